"""Compiled LSTM training steps against the sequence length: before and after
the loop primitive (issue 13), side by side.

    python tests/benchmarks/rnn_loop.py [--before /work/main] [--lengths 10 100 1000]
        [--backends tensorflow mxnet torch] [--models lstm masked] [--steps 5]
        [--timeout 600] [--jit-compile default|true|false]

For each backend, model and sequence length T, the model is
Input((T, 8)) [- Masking] - LSTM(32) - Dense(1), MSE, SGD, batch 32, trained
with the backend's compiled step: by default each backend's own compiled
mode (TensorFlow tf.function graph and MXNet CachedOps: jit_compile="auto";
PyTorch torch.compile: jit_compile=True, its "auto" being eager);
`--jit-compile true` asks every backend for jit_compile=True (XLA on
TensorFlow). It prints the first step's time (trace + compile + one step), the median of the
next steps, and the compiled graph's size:

- TensorFlow: nodes of the concrete function's graph, its function library
  included (a while loop's body is a library function);
- MXNet: nodes of the traced CachedOps' symbols, subgraphs (a foreach's
  body) included;
- PyTorch: nodes of the FX graphs that TorchDynamo hands to inductor (the
  forward graph, before autograd).

"masked" adds Masking (a zero step at the end of each sequence): the masked
LSTM runs the contract's step loop on every backend (MXNet's and PyTorch's
fused kernels take no mask).

Every measurement runs in a fresh process with PYTHONPATH set to the tree
measured (`--before` is another checkout, e.g. the main branch; the tree of
this file is "after"); runs are interleaved before/after. No assertions: it
prints figures. A run that exceeds --timeout seconds prints "> timeout".
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

AFTER = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BATCH, FEATURES, UNITS = 32, 8, 32


def _tf_graph_size(compiled):
    """Nodes of the concrete function behind TF's compiled step (found in the
    closure of the plugin's `call`), function library included."""
    for cell in compiled.__closure__ or ():
        value = cell.cell_contents
        if isinstance(value, list) and value and hasattr(value[0], "graph"):
            graph_def = value[0].graph.as_graph_def()
            return len(graph_def.node) + sum(len(f.node_def)
                                             for f in graph_def.library.function)
    return None


def _symbol_nodes(graph):
    """Nodes of an MXNet symbol's JSON graph, subgraphs included."""
    count = 0
    for node in graph["nodes"]:
        count += 1
        for sub in node.get("subgraphs", ()):
            count += _symbol_nodes(sub)
    return count


#: jit_compile per backend for "default": its compiled mode.
DEFAULT_JIT = {"tensorflow": "auto", "mxnet": "auto", "torch": True}


def worker(backend, model_name, length, steps, jit="default"):
    """One measurement in this process; prints a JSON line."""
    os.environ["KERASX_BACKEND"] = backend
    graph_nodes = []
    if backend == "mxnet":
        import numpy

        if "bool" not in vars(numpy):  # apache/mxnet#21165, as the plugin does
            numpy.bool = bool
        import mxnet as mx

        class RecordingCachedOp(mx.ndarray.CachedOp):
            def __init__(self, sym, flags=()):
                graph_nodes.append(_symbol_nodes(json.loads(sym.tojson())))
                super().__init__(sym, flags)

        mx.ndarray.CachedOp = RecordingCachedOp
    if backend == "torch":
        import torch
        from torch._inductor.compile_fx import compile_fx

        original = torch.compile

        def counting(gm, example_inputs):
            graph_nodes.append(len(gm.graph.nodes))
            return compile_fx(gm, example_inputs)

        torch.compile = lambda fn, **kwargs: original(fn, backend=counting, **kwargs)

    import numpy as np
    import kerasx as keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, length, FEATURES)).astype("float32")
    y = rng.standard_normal((BATCH, 1)).astype("float32")
    layers = [keras.Input((length, FEATURES))]
    if model_name == "masked":
        x[:, -1] = 0.0
        layers.append(keras.layers.Masking(0.0))
    layers += [keras.layers.LSTM(UNITS), keras.layers.Dense(1)]
    model = keras.Sequential(layers)
    jit_compile = {"default": DEFAULT_JIT.get(backend, True), "true": True,
                   "false": False}[jit]
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse",
                  jit_compile=jit_compile)
    start = time.perf_counter()
    model.train_on_batch(x, y)
    first = time.perf_counter() - start
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        model.train_on_batch(x, y)
        times.append(time.perf_counter() - start)
    size = None
    if backend == "tensorflow":
        step = model._step_functions["train"]
        compiled = next(iter(step._compiled.values()))[0]
        size = _tf_graph_size(compiled)
    elif graph_nodes:
        size = sum(graph_nodes)
    print(json.dumps({"first_s": first, "step_ms": 1000 * statistics.median(times),
                      "graph": size}))


def measure(tree, backend, model_name, length, steps, timeout, jit):
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND",
                                                            "KERAS_BACKEND")}
    env.update(PYTHONPATH=os.pathsep.join([tree, os.path.join(tree, "backends")]),
               TF_CPP_MIN_LOG_LEVEL="3")
    # This file runs as a script, so the kerasx measured is the one of `tree`.
    command = [sys.executable, os.path.abspath(__file__), "--worker", backend, model_name,
               str(length), str(steps), jit]
    try:
        out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tree,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout} s"}
    if out.returncode != 0:
        lines = (out.stderr or "failed").strip().splitlines()
        return {"error": lines[-1][:80]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cell(result, key, fmt):
    if result is None:
        return "-"
    if "error" in result:
        return result["error"] if key == "first_s" else ""
    value = result.get(key)
    return "-" if value is None else fmt.format(value)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        backend, model_name, length, steps, jit = argv[1:6]
        return worker(backend, model_name, int(length), int(steps), jit)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=None,
                        help="checkout measured as 'before' (e.g. the main branch)")
    parser.add_argument("--lengths", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "mxnet", "torch"])
    parser.add_argument("--models", nargs="+", default=["lstm", "masked"])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--jit-compile", choices=["default", "true", "false"],
                        default="default")
    args = parser.parse_args(argv)
    trees = [("after", AFTER)]
    if args.before:
        trees.insert(0, ("before", os.path.abspath(args.before)))
    header = (f"{'backend':<11}{'model':<8}{'T':>6}  " + "".join(
        f"{name + ' first s':>16}{name + ' step ms':>16}{name + ' graph':>14}"
        for name, _ in trees))
    print(header)
    for backend in args.backends:
        for model_name in args.models:
            for length in args.lengths:
                results = [measure(tree, backend, model_name, length, args.steps,
                                   args.timeout, args.jit_compile) for _, tree in trees]
                row = f"{backend:<11}{model_name:<8}{length:>6}  "
                for result in results:
                    row += (f"{_cell(result, 'first_s', '{:.2f}'):>16}"
                            f"{_cell(result, 'step_ms', '{:.1f}'):>16}"
                            f"{_cell(result, 'graph', '{:d}'):>14}")
                print(row, flush=True)


if __name__ == "__main__":
    main()
