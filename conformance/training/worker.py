"""One training run in its own process: one library (kerasx or the keras
package), one backend, one dtype, one device, one model.

    python -m conformance.training.worker SPEC.json

SPEC.json holds the run's options (see `suite.make_spec`) and `out`, the path
prefix of what it writes: `<out>.npz` (per-step losses and accuracies, the
final weights, the held-out predictions, the batch order, kerasx's initial
weights) and `<out>.json` (per-epoch metrics, timings, dtypes, versions).

kerasx runs shuffle with kerasx's own portable generator (fit(shuffle=True));
the order they used is replayed from the generator's state and saved, so that
the Keras 3 reference (lib "keras": the keras package on KERAS_BACKEND,
imported only in this process) trains on the same batches, from kerasx's
initial weights, one fit() call per epoch with shuffle=False.

With `probe` in the spec (kerasx only), the run stops before global step
`probe.step` and dumps, for that step's batch, every layer's forward output
and the gradient of the loss with respect to every layer's weights
(optionally after loading the weights of another backend, so that both sides
compute from identical weights): the data of the localisation.
"""
import json
import platform
import sys
import time

import numpy as np


def _load_spec(path):
    with open(path) as f:
        return json.load(f)


def _dataset(spec):
    from . import data

    d = data.load(spec["data"], spec.get("n_train"), spec.get("n_test"))
    dtype = spec["dtype"]
    return (d["x_train"].astype(dtype), d["y_train"], d["x_test"].astype(dtype),
            d["y_test"])


class _Recorder:
    """Mixed into the library's Callback class: per-step loss and accuracy
    (the running epoch means the logs carry, as in Keras) and epoch times."""

    def _setup(self, stop_after=None):
        self.step_loss, self.step_acc, self.epoch_time = [], [], []
        self.stop_after = stop_after
        self.count = 0
        self._t0 = None

    def on_epoch_begin(self, epoch, logs=None):
        self._t0 = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_time.append(time.perf_counter() - self._t0)

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        self.step_loss.append(float(logs["loss"]))
        self.step_acc.append(float(logs.get("accuracy", np.nan)))
        self.count += 1
        if self.stop_after is not None and self.count >= self.stop_after:
            self.model.stop_training = True


def _recorder(lib, stop_after=None):
    cls = type("Recorder", (_Recorder, lib.callbacks.Callback), {})
    rec = cls()
    rec._setup(stop_after)
    return rec


def _replay_orders(state, n, epochs):
    """The permutations kerasx's fit(shuffle=True) drew from the global
    generator, replayed from its state before fit()."""
    gen = np.random.Generator(np.random.PCG64())
    gen.bit_generator.state = state
    return np.stack([gen.permutation(n) for _ in range(epochs)])


def _write(out, arrays, meta):
    np.savez(out + ".npz", **arrays)
    with open(out + ".json", "w") as f:
        json.dump(meta, f, indent=1)


def run_kerasx(spec):
    import kerasx
    from kerasx.backend import get_ops
    from kerasx.random.seed_generator import global_seed_generator

    from . import models

    ops = get_ops()
    dtype = spec["dtype"]
    kerasx.config.set_floatx(dtype)
    x, y, xt, yt = _dataset(spec)
    device = "gpu:0" if spec["device"] == "gpu" else "cpu:0"
    with ops.device(device):
        kerasx.utils.set_random_seed(spec["seed"])
        model, optimizer = models.build(spec["model"], kerasx, x.shape[1:])
        if spec.get("fault"):
            _inject_fault(ops, model, **spec["fault"])
        mode = spec.get("mode") or "eager"
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], run_eagerly=mode == "eager",
                      jit_compile=mode == "jit")
        initial = [np.asarray(w) for w in model.get_weights()]
        state = global_seed_generator().get_state()
        probe = spec.get("probe")
        stop_after = probe["step"] if probe else None
        rec = _recorder(kerasx, stop_after)
        t0 = time.perf_counter()
        history = {}
        if stop_after != 0:
            history = model.fit(x, y, batch_size=spec["batch_size"], epochs=spec["epochs"],
                                shuffle=True, verbose=0, callbacks=[rec]).history
        train_time = time.perf_counter() - t0
        orders = _replay_orders(state, len(x), spec["epochs"])
        if probe:
            return _probe(spec, kerasx, ops, model, x, y, orders, rec)
        pred = model.predict(xt, batch_size=256, verbose=0)
        test = model.evaluate(xt, yt, batch_size=256, verbose=0, return_dict=True)
    weights = [np.asarray(w) for w in model.get_weights()]
    arrays = {"step_loss": np.array(rec.step_loss), "step_acc": np.array(rec.step_acc),
              "orders": orders, "pred": np.asarray(pred)}
    arrays.update({f"w{i}": w for i, w in enumerate(weights)})
    arrays.update({f"init{i}": w for i, w in enumerate(initial)})
    meta = {"history": {k: [float(v) for v in vs] for k, vs in history.items()},
            "test": {k: float(v) for k, v in test.items()},
            "epoch_time": rec.epoch_time, "train_time": train_time,
            "n_weights": len(weights),
            "weight_names": [v.path if hasattr(v, "path") else v.name
                             for v in model.weights],
            "weight_dtypes": sorted({str(w.dtype) for w in weights}),
            "pred_dtype": str(np.asarray(pred).dtype),
            "versions": _versions(spec["backend"]), "python": platform.python_version()}
    _write(spec["out"], arrays, meta)


def _inject_fault(ops, model, layer, scale):
    """Scale the output of model.layers[layer] by `scale`: a deliberate
    numerical fault, used to test the localisation."""
    target = model.layers[layer]
    call = target.call

    def faulty(*args, **kwargs):
        return ops.multiply(call(*args, **kwargs), scale)

    target.call = faulty


def _probe(spec, kerasx, ops, model, x, y, orders, rec):
    """Dump per-layer forward outputs and per-layer weight gradients of
    global step probe.step (its batch, training=True)."""
    probe = spec["probe"]
    step, bs = probe["step"], spec["batch_size"]
    spe = -(-len(x) // bs)
    epoch, i = divmod(step, spe)
    index = orders[epoch][i * bs:(i + 1) * bs]
    xb, yb = x[index], y[index]
    own = [np.asarray(w) for w in model.get_weights()]
    if probe.get("weights"):
        with np.load(probe["weights"]) as f:
            model.set_weights([f[f"own{j}"] for j in range(len(own))])
    layers = [layer for layer in model.layers if layer.__class__.__name__ != "InputLayer"]
    trainable = model.trainable_variables
    captured = {"outs": [None] * len(layers)}

    def record(k, call):
        def recorded(*args, **kwargs):
            out = call(*args, **kwargs)
            captured["outs"][k] = out
            return out
        return recorded

    for k, layer in enumerate(layers):  # each layer's output, as the model computes it
        layer.call = record(k, layer.call)

    def loss_fn():
        y_pred = model(ops.convert_to_tensor(xb), training=True)
        y_t = ops.convert_to_tensor(yb)
        return model.compute_loss(xb, y_t, y_pred, None, training=True)

    loss, grads = ops.value_and_grad(loss_fn, [v.native for v in trainable])
    arrays = {f"own{j}": w for j, w in enumerate(own)}
    names = []
    for k, (layer, out) in enumerate(zip(layers, captured["outs"])):
        arrays[f"out{k}"] = np.asarray(ops.to_numpy(out))
        names.append(layer.name)
    ids = {id(v): j for j, v in enumerate(trainable)}
    grad_layers = []
    for k, layer in enumerate(layers):
        for v in layer.trainable_weights:
            j = ids[id(v)]
            arrays[f"grad{j}"] = np.asarray(ops.to_numpy(grads[j]))
            grad_layers.append([k, layer.name, v.path if hasattr(v, "path") else v.name])
    meta = {"step": step, "epoch": epoch, "batch": i, "loss": float(ops.to_numpy(loss)),
            "layers": names, "grads": grad_layers, "n_weights": len(own),
            "step_loss": rec.step_loss}
    _write(spec["out"], arrays, meta)


def run_keras(spec):
    """The Keras 3 reference: the keras package on $KERAS_BACKEND, from
    kerasx's initial weights, on kerasx's batch order."""
    import keras

    from . import models

    dtype = spec["dtype"]
    keras.config.set_floatx(dtype)
    x, y, xt, yt = _dataset(spec)
    with np.load(spec["init"]) as f:
        n = sum(1 for k in f.files if k.startswith("init"))
        initial = [f[f"init{i}"] for i in range(n)]
        orders = f["orders"]
    model, optimizer = models.build(spec["model"], keras, x.shape[1:])
    model.set_weights(initial)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rec = _recorder(keras)
    history = {}
    t0 = time.perf_counter()
    for epoch in range(spec["epochs"]):
        order = orders[epoch]
        h = model.fit(x[order], y[order], batch_size=spec["batch_size"], epochs=1,
                      shuffle=False, verbose=0, callbacks=[rec]).history
        for k, v in h.items():
            history.setdefault(k, []).extend(float(a) for a in v)
    train_time = time.perf_counter() - t0
    pred = np.asarray(model.predict(xt, batch_size=256, verbose=0))
    test = model.evaluate(xt, yt, batch_size=256, verbose=0, return_dict=True)
    weights = [np.asarray(w) for w in model.get_weights()]
    arrays = {"step_loss": np.array(rec.step_loss), "step_acc": np.array(rec.step_acc),
              "orders": orders, "pred": pred}
    arrays.update({f"w{i}": w for i, w in enumerate(weights)})
    meta = {"history": history, "test": {k: float(v) for k, v in test.items()},
            "epoch_time": rec.epoch_time, "train_time": train_time,
            "n_weights": len(weights),
            "weight_names": [v.path for v in model.weights],
            "weight_dtypes": sorted({str(w.dtype) for w in weights}),
            "pred_dtype": str(pred.dtype),
            "versions": {"keras": keras.__version__, **_versions(keras.backend.backend())},
            "python": platform.python_version()}
    _write(spec["out"], arrays, meta)


def _versions(backend):
    """The version of the framework behind `backend` (read from package
    metadata: no import)."""
    from importlib import metadata

    dist = {"tensorflow": "tensorflow-cpu", "torch": "torch", "mxnet": "mxnet"}.get(backend)
    out = {}
    for name in ([dist, "tensorflow"] if backend == "tensorflow" else [dist]):
        try:
            out[backend] = metadata.version(name)
            break
        except Exception:  # noqa: BLE001 - metadata missing: report nothing
            continue
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    spec = _load_spec(argv[0])
    if spec["lib"] == "keras":
        run_keras(spec)
    else:
        run_kerasx(spec)
    return 0


if __name__ == "__main__":
    sys.exit(main())
