"""`kerasx corpus [options]`: the compatibility corpus report (every corpus
program on kerasx and under Keras 3)."""
from kerasx.cli import suite


def main(argv, prog="kerasx corpus"):
    corpus = suite.load("corpus.__main__", "corpus")
    return corpus.main(argv, prog=prog)
