"""Speed benchmark: kerasx on each backend against the native framework loop of
the same framework and against Keras 3, side by side in one run.

    python -m conformance.benchmark [--rounds 3] [--steps 20] [--impls ...]

Workloads: (a) the Keras MNIST convnet training step at batch 128, (b) a tiny
CNN on digits-sized images at batch 32, (c) predict at batch 1024 with (a)'s
model, (d) time from process start to the end of the first training step of
(a), (e) peak resident memory of (a), and an LSTM(64) training step over 40
steps of 16 features at batch 64. Every measurement runs in a fresh
process (bench_worker.py); the implementations are interleaved
round by round (A B C A B C ...) so a noisy machine does not bias one side,
and the table reports medians and ratios to the native loop.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from kerasx.backend import registry

from . import paths

FRAMEWORKS = ("tensorflow", "torch", "mxnet")
WORKLOADS = ("mnist_convnet", "tiny_cnn", "predict", "lstm")


# kerasx's execution modes per framework (bench_worker.MODES): eager
# (run_eagerly=True), graph (jit_compile=False) and compile (jit_compile=True);
# the framework's default ("auto") is marked in the table. MXNet's graph mode
# is its CachedOp (hybridize), compile adds static_alloc/static_shape.
KERASX_MODES = {"tensorflow": ("eager", "graph", "compile"), "torch": ("eager", "compile"),
                "mxnet": ("eager", "graph", "compile")}
DEFAULT_MODE = {"tensorflow": "graph", "torch": "eager", "mxnet": "compile"}
NATIVE_MODES = {"torch": ("eager", "compile")}


def available_impls():
    impls = []
    for name in FRAMEWORKS:
        plugin = registry.discover().get(name)
        if plugin is None or not plugin.is_available():
            continue
        impls += [f"kerasx-{name}:{mode}" for mode in KERASX_MODES[name]]
        modes = NATIVE_MODES.get(name)
        impls += [f"native-{name}:{m}" for m in modes] if modes else [f"native-{name}"]
        if name in ("tensorflow", "torch"):
            import importlib.util
            if importlib.util.find_spec("keras") is not None:
                impls.append(f"keras-{name}")
    return impls


def native_of(impl):
    """The native loop a row is compared with: the same framework's idiomatic
    loop (the eager one for torch)."""
    framework = impl.partition(":")[0].partition("-")[2]
    modes = NATIVE_MODES.get(framework)
    return f"native-{framework}:{modes[0]}" if modes else f"native-{framework}"


def measure(impl, workload, steps, warmup, threads):
    cmd = [sys.executable, "-m", paths.module("bench_worker"), impl, workload,
           "--steps", str(steps), "--warmup", str(warmup), "--threads", str(threads),
           "--start", repr(time.time())]
    env = paths.subprocess_env(dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(impls, workloads, rounds, steps, warmup, threads, log=print):
    results = {(i, w): [] for i in impls for w in workloads}
    for r in range(rounds):
        for workload in workloads:
            for impl in impls:  # interleaved: every implementation once per round
                res = measure(impl, workload, steps, warmup, threads)
                results[impl, workload].append(res)
                if "error" in res:
                    log(f"  round {r + 1}: {impl} {workload}: ERROR {res['error']}")
    return results


def summarise(results, impls, workloads):
    """{impl: {metric: median}}; step times are medians of per-round medians."""
    table = {}
    for impl in impls:
        row = {}
        for workload in workloads:
            runs = [r for r in results[impl, workload] if "error" not in r]
            if not runs:
                continue
            row[workload] = statistics.median(statistics.median(r["times"]) for r in runs)
            if workload == "mnist_convnet":
                row["first_step"] = statistics.median(r["start_to_first_step"] for r in runs)
                row["peak_rss"] = statistics.median(r["peak_rss_mib"] for r in runs)
        table[impl] = row
    return table


def format_table(table, impls):
    columns = [("mnist_convnet", "(a) step ms", 1e3), ("tiny_cnn", "(b) step ms", 1e3),
               ("predict", "(c) predict ms", 1e3), ("first_step", "(d) start s", 1.0),
               ("peak_rss", "(e) peak MiB", 1.0), ("lstm", "LSTM step ms", 1e3)]
    lines = ["implementation".ljust(28) + "".join(title.rjust(20) for _, title, _ in columns)]
    for impl in impls:
        row = table.get(impl, {})
        native = table.get(native_of(impl), {})
        cells = []
        for key, _, scale in columns:
            if key not in row:
                cells.append("n/a".rjust(20))
                continue
            text = f"{row[key] * scale:.2f}"
            if impl != native_of(impl) and key in native and native[key]:
                text += f" ({row[key] / native[key]:.2f}x)"
            cells.append(text.rjust(20))
        kind, _, rest = impl.partition("-")
        framework, _, mode = rest.partition(":")
        mark = " *" if kind == "kerasx" and DEFAULT_MODE.get(framework) == mode else ""
        lines.append((impl + mark).ljust(28) + "".join(cells))
    lines.append("ratios (in brackets) are to the native loop of the same framework "
                 "(torch: its eager loop); medians over rounds of per-step medians.")
    lines.append("* kerasx's default mode on that backend (compile() with jit_compile='auto'); "
                 "eager = run_eagerly=True, graph = jit_compile=False, "
                 "compile = jit_compile=True (XLA, torch.compile, MXNet CachedOp with static_alloc; "
                 "MXNet graph is its CachedOp without).")
    return "\n".join(lines)


def main(argv=None, prog="python -m conformance.benchmark"):
    parser = argparse.ArgumentParser(prog=prog, description=" ".join(
        __doc__.split("\n\n")[0].split()))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0,
                        help="OMP/intra-op threads for every process (0: default)")
    parser.add_argument("--impls", nargs="*", help="subset, e.g. kerasx-torch native-torch")
    parser.add_argument("--workloads", nargs="*", choices=WORKLOADS, default=list(WORKLOADS))
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args(argv)
    impls = args.impls or available_impls()
    started = time.perf_counter()
    results = run(impls, args.workloads, args.rounds, args.steps, args.warmup, args.threads)
    table = summarise(results, impls, args.workloads)
    print(format_table(table, impls))
    print(f"{args.rounds} rounds x {len(impls)} implementations x {len(args.workloads)} "
          f"workloads in {time.perf_counter() - started:.0f}s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"table": table, "raw": {f"{i}|{w}": v for (i, w), v in
                                               results.items()}}, f, indent=1)
    return 0 if all(table.get(i) for i in impls) else 1


if __name__ == "__main__":
    sys.exit(main())
