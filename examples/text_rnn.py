"""Is this line Python code or English prose? A character-level LSTM, on any backend.

    KERASX_BACKEND=torch python examples/text_rnn.py [--epochs 6] [--limit N]

The data ships with Python: the lines of a few standard-library modules'
source, labelled 1 for code and 0 for prose (their docstrings). Lines have
different lengths: each is a sequence of character ids padded with 0, and
Embedding(mask_zero=True) masks the padding, so the LSTM stops at the end of
each line (the mask propagates through the model as in Keras).
"""
import argparse
import ast
import importlib
import inspect

import numpy as np

import kerasx as keras
from kerasx import layers

MODULES = ("argparse", "textwrap", "json.decoder", "collections", "calendar", "difflib",
           "shutil", "string", "tarfile", "zipfile")
MAXLEN = 40
VOCAB = 96  # 0 is padding; printable ASCII 32..126 are 1..95


def _docstring_lines(tree):
    """Line numbers (1-based) covered by docstrings, and the prose lines."""
    covered, prose = set(), []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None),
                                                          ast.Constant) and \
                    isinstance(first.value.value, str):
                covered.update(range(first.lineno, first.end_lineno + 1))
                prose += first.value.value.splitlines()
    return covered, prose


def load_lines(seed=0):
    """(texts, labels): balanced code (1) and prose (0) lines, shuffled."""
    code, prose = [], []
    for name in MODULES:
        source = inspect.getsource(importlib.import_module(name))
        covered, doc = _docstring_lines(ast.parse(source))
        prose += [line.strip() for line in doc]
        code += [line.strip() for i, line in enumerate(source.splitlines(), 1)
                 if i not in covered and not line.strip().startswith("#")]
    keep = lambda line: len(line) >= 12 and line.isascii()  # noqa: E731
    code = sorted(set(filter(keep, code)))
    prose = sorted(set(filter(keep, prose)))
    rng = np.random.default_rng(seed)
    n = min(len(code), len(prose))
    code = [code[i] for i in rng.permutation(len(code))[:n]]
    prose = [prose[i] for i in rng.permutation(len(prose))[:n]]
    texts, labels = code + prose, [1] * n + [0] * n
    order = rng.permutation(2 * n)
    return [texts[i] for i in order], np.asarray(labels, "float32")[order]


def encode(texts):
    """(n, MAXLEN) int32 character ids, 0-padded at the end."""
    out = np.zeros((len(texts), MAXLEN), "int32")
    for row, text in enumerate(texts):
        ids = [min(max(ord(ch) - 31, 1), VOCAB - 1) for ch in text[:MAXLEN]]
        out[row, :len(ids)] = ids
    return out


def build_model(units=32):
    inputs = keras.Input((MAXLEN,), dtype="int32")
    x = layers.Embedding(VOCAB, 16, mask_zero=True)(inputs)
    x = layers.LSTM(units)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--limit", type=int, default=None,
                        help="use at most this many lines (train + test)")
    parser.add_argument("--units", type=int, default=32)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(7)
    texts, labels = load_lines()
    if args.limit:
        texts, labels = texts[:args.limit], labels[:args.limit]
    x = encode(texts)
    split = int(0.8 * len(x))
    model = build_model(args.units)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=5e-3),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x[:split], labels[:split], batch_size=32, epochs=args.epochs, verbose=2,
              validation_data=(x[split:], labels[split:]))
    loss, accuracy = model.evaluate(x[split:], labels[split:], verbose=0)
    print(f"code-or-prose on {keras.backend.backend()}: {len(x)} lines, "
          f"held-out accuracy {accuracy:.4f}")
    probe = ["for key, value in sorted(items.items()):",
             "Return a list of the words in the string."]
    guesses = model.predict(encode(probe), verbose=0)[:, 0]
    for line, p in zip(probe, guesses):
        print(f"  {'code ' if p > 0.5 else 'prose'} ({p:.2f})  {line}")
    return accuracy


if __name__ == "__main__":
    main()
