"""`kerasx op-conformance [options]`: the op-level conformance report (the
suite's run_ops; every contract operation against a NumPy float64 reference)."""
from kerasx.cli import suite


def main(argv, prog="kerasx op-conformance"):
    run_ops = suite.load("run_ops", "op-conformance", requires=("scipy",))
    return run_ops.main(argv, prog=prog)
