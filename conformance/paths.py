"""Where the suite runs from, and what follows from it.

The suite runs from a checkout of the kerasx repository (the package
`conformance`, beside kerasx/ and pyproject.toml) or installed with kerasx
(the same files as the package `kerasx_conformance`, a name no other
distribution uses). Its modules import each other relatively, so one copy
serves under either name; the subprocesses it starts run its modules under
the name it was imported as (`module`), so a process never holds two copies.
"""
import os

#: The name the suite was imported under: "conformance" or "kerasx_conformance".
PACKAGE = __name__.rpartition(".")[0]
SUITE_DIR = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(SUITE_DIR)


def _is_checkout(root):
    return (os.path.isfile(os.path.join(root, "pyproject.toml"))
            and os.path.isdir(os.path.join(root, "kerasx")))


#: The repository when the suite runs from a checkout, else None (installed).
REPO = _ROOT if _is_checkout(_ROOT) else None
#: ../shared/data/mnist beside a checkout (MNIST's idx files, when present);
#: None when installed, where MNIST comes from the Keras cache or a given path.
SHARED_MNIST = (os.path.join(os.path.dirname(REPO), "shared", "data", "mnist")
                if REPO else None)


def module(name):
    """The importable name of the suite's module `name` (e.g.
    "training.worker"), for `python -m` in a subprocess."""
    return f"{PACKAGE}.{name}"


def subprocess_env(env):
    """`env` with what a subprocess needs to import the suite and kerasx: from
    a checkout, the repository first on PYTHONPATH; installed, nothing (the
    installed packages are already importable, and putting site-packages on
    PYTHONPATH would place it before the standard library)."""
    env = dict(env)
    if REPO:
        env["PYTHONPATH"] = os.pathsep.join(
            [REPO] + [p for p in [env.get("PYTHONPATH")] if p])
    return env
