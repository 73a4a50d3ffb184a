"""`kerasx run script.py [args...]` (also `python -m kerasx script.py`): run an
unmodified Keras 3 script on kerasx.

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


def main(argv, prog="kerasx run"):
    parser = argparse.ArgumentParser(prog=prog, description=" ".join(
        __doc__.split("\n\n")[0].split()))
    parser.add_argument("script", help="the Python file to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    options = parser.parse_args(argv)
    try:
        run_script(options.script, options.args)
    except FileNotFoundError as exc:
        parser.error(str(exc))
    return 0
