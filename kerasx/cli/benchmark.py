"""`kerasx benchmark [options]`: kerasx against the native framework loops and
Keras 3 (the suite's benchmark)."""
from kerasx.cli import suite


def main(argv, prog="kerasx benchmark"):
    benchmark = suite.load("benchmark", "benchmark")
    return benchmark.main(argv, prog=prog)
