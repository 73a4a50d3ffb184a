"""`kerasx conformance [--quick] [options]`: the training conformance report
(the suite's run_training; `kerasx conformance --help` lists the options)."""
from kerasx.cli import suite


def main(argv, prog="kerasx conformance"):
    run_training = suite.load("run_training", "conformance", requires=("matplotlib",))
    return run_training.main(argv, prog=prog)
