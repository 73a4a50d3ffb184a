"""Fuzzing kerasx.models.load_model with mutated .keras files.

Every mutated file must either load as a kerasx Model or be rejected with
kerasx.saving.LoadingError: no other exception, no crash, no hang, no huge
allocation. Mutations: bytes flipped anywhere or only inside the HDF5
weights (the zip then stays valid), truncation, members dropped, swapped,
duplicated or renamed (`..`, absolute), forged declared sizes, non-UTF-8
JSON, JSON fields changed (absurd sizes, wrong types, foreign modules,
Lambda bytecode, unknown classes), HDF5 datasets removed, reshaped, retyped,
swapped or replaced by links.

    python -m tests.benchmarks.fuzz_saving --cases 3000 [--seed 0]

prints the count of each outcome and exits non-zero on any violation.
(tests/saving/test_fuzz.py runs a few hundred cases in CI.)
"""
import argparse
import collections
import copy
import io
import json
import os
import random
import struct
import sys
import tempfile
import time
import zipfile

import numpy as np

MEMBERS = ("metadata.json", "config.json", "model.weights.h5")


def make_base_files(directory):
    """Two valid .keras files (functional CNN with Adam state; Sequential MLP)."""
    import kerasx as keras

    keras.random.set_global_seed(0)
    inp = keras.Input((6, 6, 1))
    x = keras.layers.Conv2D(3, 3, activation="relu")(inp)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.2)(x)
    out = keras.layers.Dense(2)(x)
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(np.ones((4, 6, 6, 1), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    seq = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="tanh"),
                            keras.layers.Dense(1)])
    seq.compile(optimizer="sgd", loss="mse")
    paths = [os.path.join(directory, "functional.keras"),
             os.path.join(directory, "sequential.keras")]
    model.save(paths[0])
    seq.save(paths[1])
    return paths


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info.filename)) for info in zf.infolist()]


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


_ODD_VALUES = [10 ** 12, 2 ** 31, -1, 0, 1, None, True, "x", "", [], {}, [[[[[]]]]],
               [10 ** 6, 10 ** 6], 1e308, -1e308, float("nan"), 2 ** 64, "relu",
               {"class_name": "Adam", "config": {}},
               {"module": "os", "class_name": "system", "config": "echo pwned"},
               {"module": "keras.config", "class_name": "enable_unsafe_deserialization",
                "config": {}},
               {"class_name": "__lambda__", "config": {"code": "AAAA", "defaults": None,
                                                       "closure": None}},
               {"class_name": "function", "config": "__import__"},
               {"class_name": "NoSuchLayer", "config": {}}]


def _json_paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_paths(v, prefix + (i,))


def _mutate_json(rng, data):
    config = json.loads(data)
    paths = [p for p in _json_paths(config) if p]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = config
        try:
            for key in path[:-1]:
                parent = parent[key]
            if rng.random() < 0.15 and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(rng.choice(_ODD_VALUES))
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(config).encode()


def _mutate_h5(rng, data):
    import h5py

    buffer = io.BytesIO(data)
    with h5py.File(buffer, "r+") as f:
        datasets = []
        f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h5py.Dataset)
                     else None)
        if not datasets:
            return data
        name = rng.choice(datasets)
        kind = rng.randrange(6)
        if kind == 0:
            del f[name]
        elif kind == 1:
            old = f[name][()]
            del f[name]
            f.create_dataset(name, data=np.zeros(np.shape(old) + (2,), "float32"))
        elif kind == 2:
            old = f[name][()]
            del f[name]
            f.create_dataset(name, data=np.asarray(old, "float64"))
        elif kind == 3 and len(datasets) > 1:
            other = rng.choice([d for d in datasets if d != name])
            a, b = f[name][()], f[other][()]
            del f[name], f[other]
            f.create_dataset(name, data=b)
            f.create_dataset(other, data=a)
        elif kind == 4:
            del f[name]
            f[name] = h5py.SoftLink("/" + rng.choice(datasets))
        elif kind == 5:
            del f[name]
            f[name] = h5py.ExternalLink("/etc/passwd", "/x")
    return buffer.getvalue()


def _forge_sizes(rng, raw):
    """Overwrite the declared uncompressed size in central directory entries."""
    out = bytearray(raw)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        if rng.random() < 0.6:
            out[pos + 24:pos + 28] = struct.pack("<I", rng.choice(
                [0xFFFFFFFF, 0x7FFFFFFF, 10 ** 9, 0, 1]))
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def mutate(rng, raw, members):
    """(mutation name, bytes of the mutated file)."""
    kind = rng.choice(["flip", "truncate", "drop", "swap", "dup", "rename", "sizes",
                       "json", "json", "json", "badutf8", "h5flip", "h5struct",
                       "h5struct"])
    members = list(members)
    if kind == "flip":
        out = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return kind, bytes(out)
    if kind == "truncate":
        return kind, raw[:rng.randrange(len(raw))]
    if kind == "drop":
        members.pop(rng.randrange(len(members)))
        return kind, _zip(members)
    if kind == "swap":
        i, j = rng.sample(range(len(members)), 2)
        (a, da), (b, db) = members[i], members[j]
        members[i], members[j] = (a, db), (b, da)
        return kind, _zip(members)
    if kind == "dup":
        members.append(rng.choice(members))
        return kind, _zip(members)
    if kind == "rename":
        i = rng.randrange(len(members))
        name = rng.choice(["../" + members[i][0], "/" + members[i][0],
                           "a/../../" + members[i][0], "C:\\x", members[i][0] + "\x00"])
        members[i] = (name, members[i][1])
        if rng.random() < 0.5:
            members.append((members[i][0].lstrip("./\\"), members[i][1]))
        return kind, _zip(members)
    if kind == "sizes":
        return kind, _forge_sizes(rng, raw)
    if kind == "badutf8":
        i = rng.randrange(2)
        members[i] = (members[i][0], b"\xff\xfe{\"a\": \x80}" + members[i][1][:10])
        return kind, _zip(members)
    index = {name: i for i, (name, _) in enumerate(members)}
    if kind == "json":
        i = index["config.json"]
        members[i] = ("config.json", _mutate_json(rng, members[i][1]))
        return kind, _zip(members)
    i = index["model.weights.h5"]
    data = members[i][1]
    if kind == "h5flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 16)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        data = bytes(out)
    else:
        data = _mutate_h5(rng, data)
    members[i] = ("model.weights.h5", data)
    return kind, _zip(members)


def run(cases, seed=0, directory=None, log=None):
    """Run `cases` mutations; returns (Counter of outcomes, violations, max seconds)."""
    import warnings

    import kerasx
    from kerasx.saving import LoadingError

    own_dir = directory is None
    directory = directory or tempfile.mkdtemp()
    bases = [(path, open(path, "rb").read(), _members(path))
             for path in make_base_files(directory)]
    rng = random.Random(seed)
    outcomes, violations, slowest = collections.Counter(), [], 0.0
    target = os.path.join(directory, "mutated.keras")
    for case in range(cases):
        _, raw, members = rng.choice(bases)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about duplicate names
            kind, data = mutate(rng, raw, members)
        with open(target, "wb") as f:
            f.write(data)
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = kerasx.models.load_model(target)
            if not isinstance(model, kerasx.Model):
                raise AssertionError(f"load_model returned {type(model).__name__}")
            outcomes[f"{kind}: loaded"] += 1
        except LoadingError:
            outcomes[f"{kind}: LoadingError"] += 1
        except Exception as exc:  # a violation: not kerasx's error
            outcomes[f"{kind}: VIOLATION"] += 1
            violations.append((case, kind, f"{type(exc).__name__}: {exc}"[:300]))
            with open(os.path.join(directory, f"violation_{case}.keras"), "wb") as f:
                f.write(data)
        slowest = max(slowest, time.perf_counter() - start)
        if log and (case + 1) % 500 == 0:
            log(f"{case + 1} cases")
    if own_dir:
        for name in os.listdir(directory):
            if not name.startswith("violation_"):
                os.remove(os.path.join(directory, name))
    return outcomes, violations, slowest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    outcomes, violations, slowest = run(args.cases, args.seed,
                                        log=lambda m: print(m, file=sys.stderr))
    import kerasx.backend
    print(f"backend {kerasx.backend.backend()}: {args.cases} cases in "
          f"{time.perf_counter() - start:.1f} s (slowest load {slowest:.2f} s)")
    for key in sorted(outcomes):
        print(f"  {key:32s} {outcomes[key]}")
    loaded = sum(v for k, v in outcomes.items() if k.endswith("loaded"))
    rejected = sum(v for k, v in outcomes.items() if k.endswith("LoadingError"))
    print(f"loaded {loaded}, rejected with LoadingError {rejected}, "
          f"violations {len(violations)}")
    for violation in violations[:20]:
        print("  VIOLATION", violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
