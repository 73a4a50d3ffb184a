"""keras.ops fft, fft2, ifft2, rfft, irfft, stft and istft against keras.ops on
every backend: values of both parts, and gradients."""
import numpy as np
import pytest

from tests.ops.array_parity import compare

RNG = np.random.default_rng(5)


def normal(*shape, dtype="float32"):
    return RNG.normal(size=shape).astype(dtype)


def pair(*shape):
    return (normal(*shape), normal(*shape))


CASES = [
    ("fft", [pair(3, 8)], {}),
    ("fft", [pair(2, 2, 5)], {}),
    ("fft2", [pair(2, 4, 6)], {}),
    ("ifft2", [pair(3, 5)], {}),
    ("rfft", [normal(3, 8)], {}),
    ("rfft", [normal(7)], {"fft_length": 10}),
    ("rfft", [normal(2, 9)], {"fft_length": 6}),
    ("irfft", [pair(2, 5)], {}),
    ("irfft", [pair(2, 5)], {"fft_length": 9}),
    ("irfft", [pair(4)], {"fft_length": 10}),
    ("stft", [normal(2, 40)], {"sequence_length": 8, "sequence_stride": 4, "fft_length": 8}),
    ("stft", [normal(33)], {"sequence_length": 6, "sequence_stride": 3, "fft_length": 10,
                            "window": "hamming", "center": False}),
    ("stft", [normal(2, 20)], {"sequence_length": 5, "sequence_stride": 2, "fft_length": 8,
                               "window": None}),
    ("istft", [pair(2, 11, 5)], {"sequence_length": 8, "sequence_stride": 4,
                                 "fft_length": 8}),
    ("istft", [pair(9, 6)], {"sequence_length": 6, "sequence_stride": 3, "fft_length": 10,
                             "window": "hamming", "center": False}),
    ("istft", [pair(9, 5)], {"sequence_length": 8, "sequence_stride": 2, "fft_length": 8,
                             "length": 17}),
]


def _id(case):
    name, _, kwargs = case
    return name + ("[" + ",".join(f"{k}={v}" for k, v in kwargs.items()) + "]"
                   if kwargs else "")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, args, kwargs = case
    # Gradients of the parts: a pair argument is differentiated as a whole
    # where it is the only argument.
    # TensorFlow's rfft gradient fails when fft_length cuts the input.
    cut = name == "rfft" and kwargs.get("fft_length", 0) < np.shape(args[0])[-1]
    compare(name, args, kwargs, grad=() if isinstance(args[0], tuple) or cut else (0,))


@pytest.mark.parametrize("name", ["fft", "ifft2", "irfft"])
def test_gradient_of_complex_input(backend, name):
    import keras
    import tensorflow as tf

    import kerasx
    from kerasx.backend import get_ops

    re, im = normal(2, 6), normal(2, 6)
    w = [normal(*np.shape(o)) for o in keras.ops.__dict__[name]((re, im))] \
        if name != "irfft" else [normal(2, 10)]
    a, b = tf.constant(re), tf.constant(im)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        outs = getattr(keras.ops, name)((a, b))
        outs = outs if isinstance(outs, tuple) else (outs,)
        loss = tf.add_n([tf.reduce_sum(o * v) for o, v in zip(outs, w)])
    want = tape.gradient(loss, [a, b])
    ops = get_ops()
    va, vb = ops.variable(re), ops.variable(im)

    def loss_fn():
        outs = getattr(kerasx.ops, name)((ops.variable_value(va), ops.variable_value(vb)))
        outs = outs if isinstance(outs, tuple) else (outs,)
        total = None
        for o, v in zip(outs, w):
            t = kerasx.ops.sum(kerasx.ops.multiply(o, v))
            total = t if total is None else kerasx.ops.add(total, t)
        return total

    _, got = kerasx.ops.gradients.value_and_grad(loss_fn, [va, vb])
    for g, e in zip(got, want):
        np.testing.assert_allclose(kerasx.ops.convert_to_numpy(g), e.numpy(),
                                   rtol=1e-4, atol=1e-5)
