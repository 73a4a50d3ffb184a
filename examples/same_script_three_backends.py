"""Run one kerasx script on every installed backend and compare the results.

    python examples/same_script_three_backends.py [--epochs 2] [--limit N]

Each backend runs in its own process (the backend is chosen at import), from
the same seed, so initial weights, batch order and dropout masks are the same;
the printed losses agree to float32 rounding.
"""
import argparse
import json
import os
import subprocess
import sys

CHILD = r'''
import json, sys
import numpy as np
import kerasx as keras
from kerasx import layers
sys.path.insert(0, {examples!r})
from _data import load_images

keras.utils.set_random_seed(0)
(x, y), (xt, yt), name = load_images({limit})
model = keras.Sequential([keras.Input(x.shape[1:]), layers.Conv2D(8, 3, activation="relu"),
                          layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.3),
                          layers.Dense(10, activation="softmax")])
model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, batch_size=32, epochs={epochs}, verbose=0).history
print(json.dumps({{"backend": keras.backend.backend(), "data": name,
                   "loss": history["loss"], "accuracy": history["accuracy"]}}))
'''


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=512)
    args = parser.parse_args(argv)
    from kerasx.backend import registry

    code = CHILD.format(examples=os.path.dirname(os.path.abspath(__file__)),
                        limit=args.limit, epochs=args.epochs)
    results = []
    for name in sorted(p.name for p in registry.discover().values() if p.is_available()):
        env = dict(os.environ, KERASX_BACKEND=name)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    for r in results:
        print(f"{r['backend']:>10}: loss per epoch " +
              " ".join(f"{v:.6f}" for v in r["loss"]))
    base = results[0]["loss"]
    worst = max(abs(a - b) / abs(b) for r in results for a, b in zip(r["loss"], base))
    print(f"largest relative difference between backends: {worst:.2e}")
    return results, worst


if __name__ == "__main__":
    main()
