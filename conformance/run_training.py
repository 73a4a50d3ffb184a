"""The training conformance report: the same models, from one seed, train to
the same numbers on every backend and agree with Keras 3.

    python -m conformance.run_training --quick         # one model, a minute or two
    python -m conformance.run_training                 # digits, every model, backend, dtype
    python -m conformance.run_training --models cnn --dtypes float64 --epochs 3
    python -m conformance.run_training --data mnist --n-train 2000 --device gpu

(`kerasx conformance [options]` is the same.) Prints the verdict first (one
line: PASS or FAIL with the largest deviation), then the table (model x dtype
x device x backend x execution mode: final loss, test accuracy, max loss
deviation, max weight deviation, time per epoch, PASS/FAIL); progress goes to
stderr. Writes report.json and report.png to --out, and exits 1 on any
failure.
"""
import argparse
import os
import sys
import time

from kerasx.backend import registry

from .training import models, report, suite

#: What --quick runs where an option is not given: the cnn, eagerly, for one
#: epoch, on every installed backend in float32 and float64, against Keras 3's
#: TensorFlow backend (its torch backend does not keep float64 end to end, so
#: in float64 it is information only; the full run has it).
QUICK = {"models": ["cnn"], "modes": ["eager"], "epochs": 1,
         "keras_backends": ["tensorflow"]}
#: The full run's defaults.
FULL = {"models": list(models.DEFAULT_MODELS), "modes": list(suite.MODES), "epochs": 3,
        "keras_backends": list(suite.KERAS_BACKENDS)}


def _csv(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def installed_backends():
    """The backends whose plugin is registered and whose framework is
    installed (nothing is imported), in the suite's order."""
    available = [name for name, plugin in registry.discover().items()
                 if plugin.is_available()]
    ordered = [b for b in suite.BACKENDS if b in available]
    return ordered + sorted(set(available) - set(ordered))


def parser(prog="python -m conformance.run_training"):
    p = argparse.ArgumentParser(prog=prog, description=" ".join(__doc__.split("\n\n")[0].split()))
    p.add_argument("--quick", action="store_true",
                   help=f"the quick check: {', '.join(f'{k}={v}' for k, v in QUICK.items())} "
                        "unless given (about 1-2 minutes on 2 cores)")
    p.add_argument("--models", type=_csv, default=None,
                   help=f"comma-separated, from {', '.join(models.MODELS)} (default: all)")
    p.add_argument("--backends", type=_csv, default=None,
                   help="kerasx backends (default: every installed one)")
    p.add_argument("--dtypes", type=_csv, default=list(suite.DTYPES))
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu",
                   help="gpu: run on the GPU with deterministic settings and compare "
                        "with the CPU runs too (backends without a GPU are skipped)")
    p.add_argument("--modes", type=_csv, default=None,
                   help="execution modes: eager (run_eagerly=True), graph (jit_compile="
                        "False), jit (jit_compile=True); compiled ones run on the backends "
                        "that compile them (default: all)")
    p.add_argument("--epochs", type=int, default=None, help="default 3")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--data", default="digits",
                   help="digits (default), mnist (the Keras cache, or ../shared/data/mnist "
                        "beside a checkout), or a path to mnist.npz / a folder of idx files")
    p.add_argument("--n-train", type=int, default=None, help="use the first N training samples")
    p.add_argument("--n-test", type=int, default=None, help="use the first N held-out samples")
    p.add_argument("--keras-backends", type=_csv, default=None,
                   help="the Keras 3 backends of the reference (default: tensorflow,torch)")
    p.add_argument("--no-keras", action="store_true", help="skip the Keras 3 reference")
    p.add_argument("--no-localise", action="store_true")
    p.add_argument("--jobs", type=int, default=2, help="processes run at once (default 2)")
    p.add_argument("--out", default=os.path.join("build", "conformance-training"),
                   help="folder of report.json, report.png and the runs")
    return p


def options_from(args, error):
    """The suite's options from parsed `args` (--quick presets filled in where
    an option was not given); `error(message)` reports bad input and exits."""
    preset = QUICK if args.quick else FULL
    chosen = {k: getattr(args, k) if getattr(args, k) is not None else preset[k]
              for k in preset}
    backends = args.backends if args.backends is not None else installed_backends()
    unknown = [m for m in chosen["models"] if m not in models.MODELS]
    if unknown:
        error(f"unknown model(s) {unknown}; expected {sorted(models.MODELS)}")
    bad = [d for d in args.dtypes if d not in suite.DTYPES]
    if bad:
        error(f"unknown dtype(s) {bad}; expected float32, float64")
    bad = [m for m in chosen["modes"] if m not in suite.MODES]
    if bad:
        error(f"unknown mode(s) {bad}; expected {', '.join(suite.MODES)}")
    bad = [b for b in chosen["keras_backends"] if b not in suite.KERAS_BACKENDS]
    if bad:
        error(f"unknown Keras 3 backend(s) {bad}; expected "
              f"{', '.join(suite.KERAS_BACKENDS)}")
    if not backends:
        error("no backend is installed: pip install 'kerasx[torch]' (or tensorflow, "
              "mxnet, all)")
    if chosen["epochs"] < 1:
        error("--epochs must be at least 1")
    return {"modes": chosen["modes"], "models": chosen["models"], "backends": backends,
            "dtypes": args.dtypes, "devices": [args.device], "epochs": chosen["epochs"],
            "batch_size": args.batch_size, "seed": args.seed, "data": args.data,
            "n_train": args.n_train, "n_test": args.n_test, "keras": not args.no_keras,
            "keras_backends": chosen["keras_backends"],
            "localise": not args.no_localise, "jobs": args.jobs, "out_dir": args.out}


def main(argv=None, prog=None):
    p = parser(prog) if prog else parser()
    args = p.parse_args(argv)
    options = options_from(args, p.error)
    if args.data != "digits":
        from .training import data
        try:
            data.load(args.data, 1, 1)
        except FileNotFoundError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    t0 = time.perf_counter()
    result = suite.run_suite(options, log=lambda m: print(m, file=sys.stderr, flush=True))
    os.makedirs(args.out, exist_ok=True)
    json_path = os.path.join(args.out, "report.json")
    png_path = os.path.join(args.out, "report.png")
    report.figure(result, png_path)
    report.write_json(result, json_path)
    print(report.verdict_line(result))
    print()
    print(report.table(result))
    print(f"report: {json_path}, figure: {png_path} ({time.perf_counter() - t0:.0f} s)")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
