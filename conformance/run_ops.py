"""Op conformance report: every contract operation on every installed backend.

    python -m conformance.run_ops [--backend NAME ...] [--op NAME ...]

Prints a coverage table (operation x backend: pass, FAIL, unsupported, the
number of variants run, and the worst normwise error seen in float32 and in
float64), then the failures, and exits non-zero on any failure or unsupported
operation.
"""
import argparse
import collections
import sys
import time

from kerasx.backend import contract_kernels, contract_ops, registry
from kerasx.backend.errors import UnsupportedOperationError

from . import harness
from .op_cases import CASES
from .op_checks import ALL_DTYPES, CHECKS


def cases_by_op():
    grouped = collections.defaultdict(list)
    for case in CASES:
        grouped[case.op].append(case)
    return grouped


def run_check(ops, op, dtype):
    try:
        CHECKS[op](ops, dtype)
        return harness.Outcome("pass")
    except UnsupportedOperationError as exc:
        return harness.Outcome("unsupported", str(exc))
    except Exception as exc:
        return harness.Outcome("fail", f"{type(exc).__name__}: {exc}")


def evaluate_op(ops, op, grouped):
    """[(variant label, dtype, Outcome)] for every case or check of `op`."""
    results = []
    if op in CHECKS:
        for dtype in ALL_DTYPES:
            results.append((f"{op} {dtype}", dtype, run_check(ops, op, dtype)))
    for case in grouped.get(op, []):
        for dtype, data_format in harness.variants(case):
            label = f"{case.id} {dtype}" + (f" {data_format}" if case.spatial else "")
            results.append((label, dtype,
                            harness.run_case(ops, case, dtype, data_format)))
    return results


def summarise(results):
    if not results:
        return "no case"
    statuses = {o.status for _, _, o in results}
    if "fail" in statuses:
        return "FAIL"
    if "unsupported" in statuses:
        return "unsupported"
    return "pass"


def main(argv=None, prog="python -m conformance.run_ops"):
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append",
                        help="backend to run (repeatable; default: all installed)")
    parser.add_argument("--op", action="append", help="only these operations")
    args = parser.parse_args(argv)

    names = args.backend or [p.name for p in registry.discover().values()
                             if p.is_available()]
    backends = {registry.resolve(n): registry.load(n) for n in names}
    # Native kernels are run through their public operations' cases.
    ops_list = args.op or [op for op in contract_ops() if op not in contract_kernels()]
    grouped = cases_by_op()

    table, failures = {}, []
    started = time.perf_counter()
    for op in ops_list:
        for name, ops in backends.items():
            results = evaluate_op(ops, op, grouped)
            worst = {d: max((o.error for _, dt, o in results if dt == d), default=0.0)
                     for d in harness.TOLERANCE}
            table[op, name] = (summarise(results), worst, len(results))
            failures += [(name, label, o) for label, _, o in results
                         if o.status != "pass"]
    elapsed = time.perf_counter() - started

    width = max(len(op) for op in [*ops_list, "operation"]) + 2
    cell_width = 34
    header = "operation".ljust(width) + "".join(n.ljust(cell_width) for n in backends)
    print(header)
    print("-" * len(header))
    for op in ops_list:
        row = op.ljust(width)
        for name in backends:
            status, worst, count = table[op, name]
            cell = f"{status} ({count})"
            if status == "pass" and any(worst.values()):
                cell += " f32 {float32:.0e} f64 {float64:.0e}".format(**worst)
            row += cell.ljust(cell_width)
        print(row)
    totals = collections.Counter(s for s, _, _ in table.values())
    variants = sum(c for _, _, c in table.values())
    print(f"\n{len(ops_list)} operations x {len(backends)} backends, {variants} "
          f"variants, {elapsed:.1f}s: " + ", ".join(f"{v} {k}" for k, v in totals.items()))
    print("tolerances (normwise relative): " + ", ".join(
        f"{d} {t:g}" for d, t in harness.TOLERANCE.items()))
    for name, label, outcome in failures:
        print(f"  [{name}] {outcome.status}: {label}: {outcome.detail}")
    bad = [k for k, (s, _, _) in table.items() if s != "pass"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
