"""The corpus table: program x column, the failures' first error lines, totals."""
from .runner import FAIL, NA, PASS, SKIP, TIMEOUT


def cell(result):
    if result is None or result.status == NA:
        return "-"
    if result.status == SKIP:
        return "skip"
    return f"{result.status} {result.seconds:.0f}s"


def table(programs, columns, results):
    """The text report: one row per program, the failures, the totals."""
    by_key = {(r.program, r.column): r for r in results}
    names = [c.name for c in columns]
    width = max([len("program")] + [len(p.name) for p in programs])
    widths = [max(len(n), 12) for n in names]
    lines = ["  ".join(["program".ljust(width)] + [n.ljust(w) for n, w in zip(names, widths)])]
    lines.append("-" * len(lines[0]))
    for p in programs:
        cells = [cell(by_key.get((p.name, n))) for n in names]
        lines.append("  ".join([p.name.ljust(width)] +
                               [c.ljust(w) for c, w in zip(cells, widths)]).rstrip())
    failures = [r for r in results if r.status in (FAIL, TIMEOUT)]
    if failures:
        lines += ["", "Failures (first error line):"]
        lines += [f"  {r.program} [{r.column}]: {r.detail}" for r in failures]
    skipped = [r for r in results if r.status == SKIP]
    if skipped:
        lines += ["", "Skipped:"] + [f"  {r.program} [{r.column}]: {r.detail}" for r in skipped]
    lines += ["", "Totals (passed / run):"]
    for n in names:
        ran = [r for r in results if r.column == n and r.status not in (NA, SKIP)]
        passed = [r for r in ran if r.status == PASS]
        lines.append(f"  {n}: {len(passed)} / {len(ran)}")
    for library in ("kerasx", "keras"):
        ran = [r for r in results if r.column.startswith(library + "-")
               and r.status not in (NA, SKIP)]
        if ran:
            passed = sum(r.status == PASS for r in ran)
            lines.append(f"  {library} (all backends): {passed} / {len(ran)}")
    return "\n".join(lines)
