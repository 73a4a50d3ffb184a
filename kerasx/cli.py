"""The `kerasx` command: run an unmodified Keras 3 script on kerasx, or the
training conformance report.

    kerasx run script.py [args...]
    python -m kerasx script.py [args...]
    kerasx conformance [--models ...] [--backends ...] [--dtypes ...] [--modes ...]
    kerasx corpus [--programs ...] [--backends ...] [--quick] [--json out.json]

`import keras` and `from keras import ...` in the script (and in what it
imports) resolve to kerasx; the backend is chosen by KERASX_BACKEND or
KERAS_BACKEND as usual.
"""
import argparse
import os
import runpy
import sys


def run_script(path, args=()):
    """Run the script at `path` as __main__ with keras aliased to kerasx.

    Raises:
        FileNotFoundError: if the script does not exist.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such script: {path!r}")
    from kerasx import keras_alias

    keras_alias.install()
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    runpy.run_path(path, run_name="__main__")


def conformance(argv):
    """`kerasx conformance [options]`: the training conformance report, from a
    checkout of the repository (the suite is not part of the installed package).

    Raises:
        SystemExit: with a clear message when the suite is not found.
    """
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not os.path.isfile(os.path.join(repo, "conformance", "run_training.py")):
        sys.exit("kerasx conformance needs a checkout of the kerasx repository "
                 "(conformance/ is not installed with the package).")
    sys.path.insert(0, repo)
    from conformance import run_training
    return run_training.main(argv)


def corpus(argv):
    """`kerasx corpus [options]`: the compatibility corpus report (every corpus
    program on kerasx and Keras 3), from a checkout of the repository.

    Raises:
        SystemExit: with a clear message when the corpus is not found.
    """
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not os.path.isfile(os.path.join(repo, "conformance", "corpus", "__main__.py")):
        sys.exit("kerasx corpus needs a checkout of the kerasx repository "
                 "(conformance/ is not installed with the package).")
    sys.path.insert(0, repo)
    from conformance.corpus.__main__ import main as corpus_main
    return corpus_main(argv)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "conformance":
        return conformance(argv[1:])
    if argv and argv[0] == "corpus":
        return corpus(argv[1:])
    if argv and argv[0] != "run" and argv[0].endswith(".py"):
        argv = ["run", *argv]  # python -m kerasx script.py
    parser = argparse.ArgumentParser(prog="kerasx", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a Keras 3 script on kerasx")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    try:
        run_script(options.script, options.args)
    except FileNotFoundError as exc:
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
