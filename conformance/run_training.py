"""The training conformance report: the same models, from one seed, train to
the same numbers on every backend and agree with Keras 3.

    python -m conformance.run_training                 # digits, every model, backend, dtype
    python -m conformance.run_training --models cnn --dtypes float64 --epochs 3
    python -m conformance.run_training --data mnist --n-train 2000 --device gpu

Prints the table (model x dtype x device x backend x execution mode: final loss, test accuracy,
max loss deviation, max weight deviation, time per epoch, PASS/FAIL), writes
report.json and report.png to --out, and exits 1 on any failure.
"""
import argparse
import os
import sys
import time

from conformance.training import models, report, suite


def _csv(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def parser():
    p = argparse.ArgumentParser(prog="python -m conformance.run_training",
                                description=__doc__.splitlines()[0])
    p.add_argument("--models", type=_csv, default=list(models.DEFAULT_MODELS),
                   help=f"comma-separated, from {', '.join(models.MODELS)} (default: all)")
    p.add_argument("--backends", type=_csv, default=list(suite.BACKENDS),
                   help="kerasx backends (default: tensorflow,torch,mxnet)")
    p.add_argument("--dtypes", type=_csv, default=list(suite.DTYPES))
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu",
                   help="gpu: run on the GPU with deterministic settings and compare "
                        "with the CPU runs too (backends without a GPU are skipped)")
    p.add_argument("--modes", type=_csv, default=list(suite.MODES),
                   help="execution modes: eager (run_eagerly=True), graph (jit_compile="
                        "False), jit (jit_compile=True); compiled ones run on the backends "
                        "that compile them (default: all)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--data", default="digits",
                   help="digits (default), mnist (Keras cache or ../shared/data/mnist), "
                        "or a path to mnist.npz / a folder of idx files")
    p.add_argument("--n-train", type=int, default=None, help="use the first N training samples")
    p.add_argument("--n-test", type=int, default=None, help="use the first N held-out samples")
    p.add_argument("--no-keras", action="store_true", help="skip the Keras 3 reference")
    p.add_argument("--no-localise", action="store_true")
    p.add_argument("--jobs", type=int, default=2, help="processes run at once (default 2)")
    p.add_argument("--out", default=os.path.join("build", "conformance-training"),
                   help="folder of report.json, report.png and the runs")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    unknown = [m for m in args.models if m not in models.MODELS]
    if unknown:
        parser().error(f"unknown model(s) {unknown}; expected {sorted(models.MODELS)}")
    bad = [d for d in args.dtypes if d not in suite.DTYPES]
    if bad:
        parser().error(f"unknown dtype(s) {bad}; expected float32, float64")
    bad = [m for m in args.modes if m not in suite.MODES]
    if bad:
        parser().error(f"unknown mode(s) {bad}; expected {', '.join(suite.MODES)}")
    options = {"modes": args.modes, "models": args.models, "backends": args.backends, "dtypes": args.dtypes,
               "devices": [args.device], "epochs": args.epochs,
               "batch_size": args.batch_size, "seed": args.seed, "data": args.data,
               "n_train": args.n_train, "n_test": args.n_test, "keras": not args.no_keras,
               "localise": not args.no_localise, "jobs": args.jobs, "out_dir": args.out}
    if args.data != "digits":
        from conformance.training import data
        try:
            data.load(args.data, 1, 1)
        except FileNotFoundError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    t0 = time.perf_counter()
    result = suite.run_suite(options, log=lambda m: print(m, flush=True))
    os.makedirs(args.out, exist_ok=True)
    json_path = os.path.join(args.out, "report.json")
    png_path = os.path.join(args.out, "report.png")
    report.figure(result, png_path)
    report.write_json(result, json_path)
    print()
    print(report.table(result))
    print(f"report: {json_path}, figure: {png_path} ({time.perf_counter() - t0:.0f} s)")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
