"""The conformance suite, for the commands that run it: from the checkout that
kerasx runs from (the package `conformance` beside kerasx/, as `make` runs
it), else as installed with kerasx (the package `kerasx_conformance`). One
process uses one of the two names, never both."""
import importlib
import importlib.util
import os
import sys

INSTALLED = "kerasx_conformance"
CHECKOUT = "conformance"


def checkout():
    """The repository kerasx is imported from, or None when it is installed."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if (os.path.isfile(os.path.join(root, "pyproject.toml"))
            and os.path.isfile(os.path.join(root, CHECKOUT, "paths.py"))):
        return root
    return None


def load(module, command, requires=()):
    """Import the suite's `module` (e.g. "run_training") for `kerasx command`.

    Raises:
        SystemExit: naming what to install when a package the suite needs
            (`requires`) or the suite itself is missing.
    """
    missing = [name for name in requires if importlib.util.find_spec(name) is None]
    if missing:
        sys.exit(f"kerasx {command} needs {', '.join(missing)}, which is not installed: "
                 "pip install 'kerasx[conformance]'")
    root = checkout()
    package = CHECKOUT if root else INSTALLED
    if root and root not in sys.path:
        sys.path.insert(0, root)
    try:
        return importlib.import_module(f"{package}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name not in (package, f"{package}.{module}"):
            raise
        sys.exit(f"kerasx {command}: the conformance suite ({package}) is missing from this "
                 "installation of kerasx; reinstall it: pip install --force-reinstall "
                 "'kerasx[all]'")
