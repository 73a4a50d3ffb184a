"""The compatibility corpus report: every program x (kerasx on each backend,
Keras 3 on TensorFlow and PyTorch).

    python -m conformance.corpus                       # everything
    python -m conformance.corpus --quick               # the fast CI subset
    python -m conformance.corpus --programs custom_layer_add_weight --backends torch
    python -m conformance.corpus --json corpus.json --libraries kerasx

Prints the table (PASS with seconds, FAIL/TIMEOUT, then each failure's first
error line) and the totals; exits 1 when a kerasx run fails on a backend the
program is written for (Keras 3 failures are reported, not counted).
"""
import argparse
import json
import os
import sys
import tempfile

from . import catalog, fixture, report, runner


def _csv(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def parser(prog="python -m conformance.corpus"):
    p = argparse.ArgumentParser(prog=prog, description=" ".join(
        __doc__.split("\n\n")[0].split()))
    p.add_argument("--programs", type=_csv, default=[],
                   help="comma-separated program names (default: all)")
    p.add_argument("--backends", type=_csv, default=list(catalog.KERASX_BACKENDS),
                   help="backends to run, for kerasx and Keras 3 (default: tensorflow,"
                        "torch,mxnet)")
    p.add_argument("--quick", action="store_true", help="only the fast CI subset")
    p.add_argument("--libraries", type=_csv, default=["kerasx", "keras"],
                   help="kerasx, keras (Keras 3 itself) or both (default)")
    p.add_argument("--timeout", type=float, default=180, help="seconds per run (180)")
    p.add_argument("--keras-home", default=os.path.join(tempfile.gettempdir(),
                                                        "kerasx-corpus-keras-home"),
                   help="the KERAS_HOME prepared with the offline datasets")
    p.add_argument("--json", dest="json_out", help="write the results to this file")
    return p


def main(argv=None, prog="python -m conformance.corpus"):
    p = parser(prog)
    options = p.parse_args(argv)
    unknown = [b for b in options.backends if b not in catalog.KERASX_BACKENDS]
    if unknown:
        p.error(f"unknown backends {unknown}; choose from "
                       f"{', '.join(catalog.KERASX_BACKENDS)}")
    try:
        programs = catalog.select(catalog.programs(), options.programs, options.quick)
    except ValueError as exc:
        p.error(str(exc))
    cols = [c for c in runner.columns(options.backends) if c.library in options.libraries]
    if not cols:
        p.error("no column to run: --libraries takes kerasx and/or keras")
    sources = fixture.prepare(options.keras_home)
    print(f"datasets: {', '.join(f'{k} ({v})' for k, v in sources.items())} "
          f"in {options.keras_home}", flush=True)
    results = []
    for program in programs:
        for column in cols:
            result = runner.run_one(program, column, options.keras_home, options.timeout)
            results.append(result)
            if result.status != runner.NA:
                print(f"  {program.name} [{column.name}] {result.status} "
                      f"{result.seconds:.1f}s {result.detail}".rstrip(), flush=True)
    print()
    print(report.table(programs, cols, results))
    if options.json_out:
        with open(options.json_out, "w") as f:
            json.dump({"datasets": sources, "columns": [c.name for c in cols],
                       "results": [r.__dict__ for r in results]}, f, indent=1)
    failed = [r for r in results if r.failed and r.column.startswith("kerasx-")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
