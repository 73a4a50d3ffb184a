"""The `kerasx` command: one subcommand per module of this package.

    kerasx run script.py [args...]        (or: python -m kerasx script.py [args...])
    kerasx conformance [--quick] [...]    kerasx op-conformance [...]
    kerasx corpus [...]                   kerasx benchmark [...]
    kerasx api-coverage [...]
    kerasx backends                       kerasx --version

A command's module is imported only when that command runs, so `kerasx
--help` imports no framework and no part of the conformance suite.
"""
import argparse
import importlib
import importlib.metadata
import os
import platform
import sys
import textwrap

DESCRIPTION = ("kerasx: a Keras-compatible front end over pluggable TensorFlow, PyTorch "
               "and MXNet backends. Run Keras 3 scripts on any backend, and check that "
               "every backend trains to the same numbers.")
EPILOG = ("Run `kerasx COMMAND --help` for a command's options. The backend is chosen "
          "by KERASX_BACKEND, then KERAS_BACKEND, then tensorflow.")

#: name: (module, one line for `kerasx --help`). A new command is one line
#: here and a module with main(argv, prog).
COMMANDS = {
    "run": ("kerasx.cli.run",
            "Run an unmodified Keras 3 script on kerasx (`import keras` gives kerasx)."),
    "conformance": ("kerasx.cli.conformance",
                    "Training conformance: the same models, from one seed, on every backend "
                    "and against Keras 3 (--quick: one model, about two minutes)."),
    "op-conformance": ("kerasx.cli.op_conformance",
                       "Op conformance: every contract operation on every installed "
                       "backend against a NumPy float64 reference."),
    "corpus": ("kerasx.cli.corpus",
               "Compatibility corpus: Keras 3 programs run through kerasx on each backend "
               "and under Keras 3."),
    "benchmark": ("kerasx.cli.benchmark",
                  "Speed: kerasx against the native framework loops and Keras 3."),
    "api-coverage": ("kerasx.cli.api_coverage",
                     "API coverage: kerasx's public names against the installed Keras 3, "
                     "module by module, with what is missing and why."),
    "backends": ("kerasx.cli.backends",
                 "The installed backends: framework versions, devices, and whether each "
                 "imports."),
}


def version():
    """kerasx's version, from the installed distribution's metadata."""
    try:
        return importlib.metadata.version("kerasx")
    except importlib.metadata.PackageNotFoundError:
        from kerasx import __version__
        return f"{__version__} (not installed)"


def _version_text():
    where = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return f"kerasx {version()} from {where} (Python {platform.python_version()})"


def commands_text():
    """The command list of `kerasx --help`: one line per command."""
    width = max(len(name) for name in COMMANDS) + 2
    return "\n".join(["commands:"] + [f"  {name.ljust(width)}{help_line}"
                                      for name, (_, help_line) in COMMANDS.items()])


def parser():
    """The top-level parser: --help, --version and the command's name (each
    command parses its own arguments)."""
    p = argparse.ArgumentParser(prog="kerasx", usage="kerasx [--help] [--version] COMMAND ...",
                                description=f"{DESCRIPTION}\n\n{commands_text()}",
                                epilog=EPILOG, formatter_class=_Formatter)
    # Printed by main() rather than argparse's version action, which wraps
    # the line (and with it the install path) at the terminal's width.
    p.add_argument("--version", action="store_true",
                   help="print kerasx's version, where it is installed and the Python")
    p.add_argument("command", nargs="?", choices=list(COMMANDS), metavar="COMMAND",
                   help=argparse.SUPPRESS)
    return p


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the command list's lines whole; wraps the prose paragraphs."""

    def _fill_text(self, text, width, indent):
        return "\n\n".join(
            paragraph if paragraph.startswith("commands:") else textwrap.fill(
                " ".join(paragraph.split()), width, initial_indent=indent,
                subsequent_indent=indent)
            for paragraph in text.split("\n\n"))


def main(argv=None):
    """Run `kerasx ARGV`; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and argv[0].endswith(".py"):
        argv = ["run", *argv]  # python -m kerasx script.py
    if argv and argv[0] in COMMANDS:
        module = importlib.import_module(COMMANDS[argv[0]][0])
        return module.main(argv[1:], prog=f"kerasx {argv[0]}")
    p = parser()
    options = p.parse_args(argv)  # --help, or an error naming the commands
    if options.version:
        print(_version_text())
        return 0
    p.print_help()  # no command given
    return 2


if __name__ == "__main__":
    sys.exit(main())
