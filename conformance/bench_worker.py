"""One benchmark measurement in a fresh process: an implementation (kerasx on a
backend, a native framework loop, or Keras 3) on one workload.

    python -m conformance.bench_worker IMPL WORKLOAD --steps N --warmup W

IMPL is LIB-FRAMEWORK[:MODE]: kerasx-torch:eager, kerasx-tensorflow:graph,
native-torch:compile, keras-tensorflow ... (see MODES).

Prints one JSON line: per-step times (seconds), the time from process start to
the end of the first training step, and peak resident memory. Run by
conformance/benchmark.py, which interleaves the implementations.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np

WORKLOADS = {
    # name: (input shape without batch, classes, batch size, model builder key)
    "mnist_convnet": ((28, 28, 1), 10, 128, "convnet"),
    "tiny_cnn": ((8, 8, 1), 10, 32, "tiny"),
    "predict": ((28, 28, 1), 10, 1024, "convnet"),
    # 40 steps of 16 features, LSTM(64), batch 64 (issue 7's LSTM workload).
    "lstm": ((40, 16), 2, 64, "lstm"),
}


def data(workload, seed=0):
    """A fixed batch: MNIST images from ../shared beside a checkout when
    present, else random."""
    from .paths import SHARED_MNIST

    shape, classes, batch, _ = WORKLOADS[workload]
    rng = np.random.default_rng(seed)
    x = None
    if shape == (28, 28, 1):
        path = SHARED_MNIST
        if path and os.path.isdir(path):
            from kerasx.datasets import mnist
            (x_all, y_all), _ = mnist.load_data(path=path)
            x = (x_all[:batch, ..., None] / 255.0).astype("float32")
            y = y_all[:batch].astype("int32")
    if x is None:
        x = rng.random((batch,) + shape, dtype=np.float32)
        y = rng.integers(0, classes, batch).astype("int32")
    return x, y


# Execution modes: what compile() is given (kerasx and Keras), or how the
# native loop runs (torch only: eager, or its step under torch.compile).
MODES = {"eager": dict(run_eagerly=True, jit_compile=False),
         "graph": dict(run_eagerly=False, jit_compile=False),
         "compile": dict(run_eagerly=False, jit_compile=True),
         "default": {}}


# -- Keras-API models (kerasx and Keras 3 share the code) ---------------------------
def keras_model(lib, kind, shape, classes, mode="default"):
    L = lib.layers
    if kind == "lstm":
        stack = [L.LSTM(64), L.Dense(classes, activation="softmax")]
    elif kind == "convnet":  # the Keras "simple MNIST convnet"
        stack = [L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
                 L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2), L.Flatten(),
                 L.Dropout(0.5), L.Dense(classes, activation="softmax")]
    else:
        stack = [L.Conv2D(8, 3, activation="relu", padding="same"), L.MaxPooling2D(2),
                 L.Flatten(), L.Dense(classes, activation="softmax")]
    model = lib.Sequential([lib.Input(shape)] + stack)
    model.compile(optimizer=lib.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", **MODES[mode])
    return model


def keras_api(lib, workload, mode="default"):
    shape, classes, _, kind = WORKLOADS[workload]
    model = keras_model(lib, kind, shape, classes, mode)
    x, y = data(workload)
    if workload == "predict":
        return lambda: model.predict_on_batch(x)
    return lambda: model.train_on_batch(x, y)


# -- native loops -------------------------------------------------------------------------
def native_torch(workload, mode="eager"):
    import torch
    from torch import nn

    shape, classes, _, kind = WORKLOADS[workload]
    if kind == "lstm":
        return _torch_lstm(torch, nn, workload, classes, mode)
    if kind == "convnet":
        net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                            nn.Dropout(0.5), nn.Linear(64 * 5 * 5, classes))
    else:
        net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Linear(8 * 4 * 4, classes))
    x_np, y_np = data(workload)
    x = torch.from_numpy(np.ascontiguousarray(x_np.transpose(0, 3, 1, 2)))
    y = torch.from_numpy(y_np.astype("int64"))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    if workload == "predict":
        net.eval()
        forward = torch.compile(net) if mode == "compile" else net

        def predict():
            with torch.no_grad():
                return torch.softmax(forward(x), dim=-1).numpy()
        return predict

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss
    return _torch_mode(torch, step, mode)


def _torch_mode(torch, step, mode):
    if mode == "compile":
        step = torch.compile(step)
    return lambda: float(step())


def _torch_lstm(torch, nn, workload, classes, mode):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(16, 64, batch_first=True)
            self.out = nn.Linear(64, classes)

        def forward(self, x):
            return self.out(self.lstm(x)[0][:, -1])

    net = Net()
    x_np, y_np = data(workload)
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np.astype("int64"))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss
    return _torch_mode(torch, step, mode)


def native_tensorflow(workload, mode="graph"):
    import tensorflow as tf

    shape, classes, _, kind = WORKLOADS[workload]
    rng = np.random.default_rng(0)

    def var(*s):
        return tf.Variable(rng.standard_normal(s).astype("float32") * 0.05)

    if kind == "lstm":
        params = [var(16, 256), var(64, 256), var(256), var(64, classes), var(classes)]
    elif kind == "convnet":
        params = [var(3, 3, 1, 32), var(32), var(3, 3, 32, 64), var(64),
                  var(64 * 5 * 5, classes), var(classes)]
    else:
        params = [var(3, 3, 1, 8), var(8), var(8 * 4 * 4, classes), var(classes)]

    def forward(x, training):
        if kind == "lstm":  # the LSTM recurrence, unrolled by tf.function
            h = c = tf.zeros((tf.shape(x)[0], 64))
            for t in range(x.shape[1]):
                z = tf.matmul(x[:, t], params[0]) + tf.matmul(h, params[1]) + params[2]
                i, f, g, o = tf.split(z, 4, axis=1)
                c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
                h = tf.sigmoid(o) * tf.tanh(c)
            return tf.matmul(h, params[-2]) + params[-1]
        h = x
        convs = 2 if kind == "convnet" else 1
        for i in range(convs):
            h = tf.nn.relu(tf.nn.conv2d(h, params[2 * i], 1,
                                        "VALID" if kind == "convnet" else "SAME")
                           + params[2 * i + 1])
            h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        h = tf.reshape(h, (tf.shape(h)[0], -1))
        if training and kind == "convnet":
            h = tf.nn.dropout(h, 0.5)
        return tf.matmul(h, params[-2]) + params[-1]

    x_np, y_np = data(workload)
    x, y = tf.constant(x_np), tf.constant(y_np)
    if workload == "predict":
        predict = tf.function(lambda: tf.nn.softmax(forward(x, False)))
        return lambda: predict().numpy()

    # Adam written with tf ops (tf.keras is Keras 3 itself, which is measured
    # separately), inside one tf.function with the GradientTape.
    m = [tf.Variable(tf.zeros_like(p)) for p in params]
    v = [tf.Variable(tf.zeros_like(p)) for p in params]
    t = tf.Variable(0.0)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                y, forward(x, True)))
        grads = tape.gradient(loss, params)
        t.assign_add(1.0)
        lr = 1e-3 * tf.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        for p, g, mi, vi in zip(params, grads, m, v):
            mi.assign_add((g - mi) * 0.1)
            vi.assign_add((g * g - vi) * 0.001)
            p.assign_sub(lr * mi / (tf.sqrt(vi) + 1e-7))
        return loss

    return lambda: float(step())


def native_mxnet(workload, mode="hybridized"):
    import numpy
    if not hasattr(numpy, "bool"):
        numpy.bool = bool
    import mxnet as mx
    from mxnet import autograd, gluon
    from mxnet.gluon import nn

    class _LastStep(nn.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.squeeze(F.slice_axis(x, axis=1, begin=-1, end=None), axis=1)

    shape, classes, _, kind = WORKLOADS[workload]
    net = nn.HybridSequential()
    if kind == "lstm":
        net.add(gluon.rnn.LSTM(64, layout="NTC"), _LastStep(), nn.Dense(classes))
    elif kind == "convnet":
        net.add(nn.Conv2D(32, 3, activation="relu"), nn.MaxPool2D(2),
                nn.Conv2D(64, 3, activation="relu"), nn.MaxPool2D(2), nn.Flatten(),
                nn.Dropout(0.5), nn.Dense(classes))
    else:
        net.add(nn.Conv2D(8, 3, padding=1, activation="relu"), nn.MaxPool2D(2),
                nn.Flatten(), nn.Dense(classes))
    net.initialize(mx.init.Xavier())
    net.hybridize(static_alloc=True, static_shape=True)
    x_np, y_np = data(workload)
    x = mx.nd.array(x_np if kind == "lstm" else x_np.transpose(0, 3, 1, 2))
    y = mx.nd.array(y_np)
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 1e-3})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    if workload == "predict":
        return lambda: mx.nd.softmax(net(x)).asnumpy()

    def step():
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(x.shape[0])
        return float(loss.mean().asscalar())
    return step


def parse_impl(impl):
    """'kerasx-torch:eager' -> ('kerasx', 'torch', 'eager'); mode None if absent."""
    name, _, mode = impl.partition(":")
    kind, _, backend = name.partition("-")
    return kind, backend, mode or None


def build(impl, workload):
    kind, backend, mode = parse_impl(impl)
    if kind == "kerasx":
        os.environ["KERASX_BACKEND"] = backend
        import kerasx
        return keras_api(kerasx, workload, mode or "default")
    if kind == "keras":
        os.environ["KERAS_BACKEND"] = backend
        import keras
        return keras_api(keras, workload, mode or "default")
    if kind == "native":
        native = {"torch": native_torch, "tensorflow": native_tensorflow,
                  "mxnet": native_mxnet}[backend]
        return native(workload, mode) if mode else native(workload)
    raise ValueError(f"unknown implementation {impl!r}")


def _sync(result):
    """Make sure the step finished (frameworks may run asynchronously)."""
    if hasattr(result, "__array__") or isinstance(result, (list, tuple)):
        np.asarray(result if not isinstance(result, (list, tuple)) else result[0])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("impl")
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads (0: the frameworks' default)")
    parser.add_argument("--start", type=float, default=None,
                        help="wall time at which the parent started this process")
    args = parser.parse_args(argv)
    if args.threads:
        os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    step = build(args.impl, args.workload)
    _sync(step())
    first_step_end = time.time()
    for _ in range(args.warmup):
        _sync(step())
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        _sync(step())
        times.append(time.perf_counter() - t0)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "impl": args.impl, "workload": args.workload, "times": times,
        "start_to_first_step": (first_step_end - args.start) if args.start else None,
        "peak_rss_mib": peak_kib / 1024.0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
