"""Run corpus programs in subprocesses and collect one result per
(program, column); a column is kerasx on a backend (`kerasx run program.py`)
or Keras 3 itself on a backend (`python program.py`)."""
import dataclasses
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time

from .. import paths
from . import fixture
from .catalog import KERAS3_BACKENDS, KERASX_BACKENDS

PASS, FAIL, TIMEOUT, SKIP, NA = "PASS", "FAIL", "TIMEOUT", "SKIP", "n/a"
RESULT_LINE = re.compile(r"^RESULT\b.*$", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Column:
    library: str   # "kerasx" or "keras"
    backend: str

    @property
    def name(self):
        return f"{self.library}-{self.backend}"


def columns(backends=KERASX_BACKENDS, keras3=True):
    """kerasx on each backend, then Keras 3 on each of its backends among `backends`."""
    cols = [Column("kerasx", b) for b in KERASX_BACKENDS if b in backends]
    if keras3:
        cols += [Column("keras", b) for b in KERAS3_BACKENDS if b in backends]
    return cols


@dataclasses.dataclass
class Result:
    program: str
    column: str
    status: str
    seconds: float = 0.0
    detail: str = ""      # the first error line, or why it was skipped
    result: str = ""      # the program's RESULT line

    @property
    def failed(self):
        return self.status in (FAIL, TIMEOUT)


def applies(program, column):
    """Whether the program is written for this column."""
    targets = program.backends if column.library == "kerasx" else program.keras3
    return column.backend in targets


def error_line(stderr, returncode):
    """The exception line of the last traceback in `stderr` (the line that
    names the error), else its last non-empty line, else the exit status."""
    lines = stderr.splitlines()
    start = max((i for i, l in enumerate(lines) if l.startswith("Traceback (most recent")),
                default=None)
    if start is not None:
        # The first unindented line after the frames; Keras appends notes
        # ("Arguments received by ...") after it.
        block = [l for l in lines[start + 1:] if l.strip()]
        first = next((i for i, l in enumerate(block) if not l.startswith(" ")), None)
        if first is not None:
            line = block[first].strip()
            if line.endswith(":") and first + 1 < len(block):
                # tf.function's "X: in user code:" puts the message last.
                line = f"{line} ... {block[-1].strip()}"
            return line[:300]
    tail = [l.strip() for l in lines if l.strip()]
    return tail[-1][:300] if tail else f"exit status {returncode}"


def command(program, column):
    """The command line that runs `program` in `column`."""
    if column.library == "kerasx":
        return [sys.executable, "-m", "kerasx", "run", program.path]
    return [sys.executable, program.path]


def environment(column, keras_home):
    """The subprocess environment: the backend, the offline datasets and the
    loader hook on PYTHONPATH (with the repository when run from a checkout, so
    kerasx imports)."""
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND", "KERAS_BACKEND")}
    env["KERAS_BACKEND"] = column.backend
    if column.library == "kerasx":
        env["KERASX_BACKEND"] = column.backend
    env.update(fixture.environment(keras_home))
    env = paths.subprocess_env(env)
    env["PYTHONPATH"] = os.pathsep.join(
        [fixture.SITE_DIR] + [p for p in [env.get("PYTHONPATH")] if p])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_one(program, column, keras_home, timeout=180):
    """Run one program in one column, in a fresh working folder.

    A run passes when it exits with status 0 and printed a RESULT line.
    """
    if not applies(program, column):
        return Result(program.name, column.name, NA)
    missing = [n for n in program.needs if importlib.util.find_spec(n) is None]
    if missing:
        return Result(program.name, column.name, SKIP, detail=f"needs {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix=f"corpus-{program.name}-") as workdir:
        start = time.perf_counter()
        try:
            proc = subprocess.run(command(program, column), cwd=workdir, text=True,
                                  capture_output=True, timeout=timeout,
                                  env=environment(column, keras_home))
        except subprocess.TimeoutExpired:
            return Result(program.name, column.name, TIMEOUT, time.perf_counter() - start,
                          f"timed out after {timeout} s")
        seconds = time.perf_counter() - start
    results = RESULT_LINE.findall(proc.stdout)
    if proc.returncode != 0:
        return Result(program.name, column.name, FAIL, seconds,
                      error_line(proc.stderr, proc.returncode))
    if not results:
        return Result(program.name, column.name, FAIL, seconds,
                      "exited 0 without printing a RESULT line")
    return Result(program.name, column.name, PASS, seconds, result=results[-1])
