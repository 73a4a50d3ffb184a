"""Compare a kerasx.ops function with keras.ops (TensorFlow backend) on the
same inputs: values, dtypes and shapes of every output, and gradients of
sum(output * W) with respect to chosen float arguments. Shared by the
array-op test modules."""
import numpy as np

import kerasx
from kerasx.backend import get_ops
from kerasx.ops.gradients import value_and_grad

RTOL, ATOL = 1e-5, 1e-6
#: Largest absolute deviation from Keras seen (values and gradients).
DEVIATION = {"max": 0.0}


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _close(name, got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{name}: shape {got.shape} != Keras's {want.shape}"
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want, err_msg=name)
        return
    if got.size:
        DEVIATION["max"] = max(DEVIATION["max"], float(np.max(np.abs(got - want))))
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=name)


def _dtype_name(x):
    import keras
    return keras.backend.standardize_dtype(x.dtype)


def compare(name, args, kwargs=None, grad=(), namespace=""):
    """kerasx.ops.<namespace>.<name>(*args, **kwargs) against Keras's; the
    positions in `grad` (float NumPy arguments) are differentiated.
    Returns kerasx's outputs as NumPy arrays."""
    import keras

    kwargs = kwargs or {}
    ref_fn = getattr(getattr(keras.ops, namespace) if namespace else keras.ops, name)
    fn = getattr(getattr(kerasx.ops, namespace) if namespace else kerasx.ops, name)
    want = _leaves(ref_fn(*args, **kwargs))
    got = _leaves(fn(*args, **kwargs))
    assert len(got) == len(want), f"{name}: {len(got)} outputs, Keras gives {len(want)}"
    out = []
    for i, (g, w) in enumerate(zip(got, want)):
        assert _dtype_name(kerasx.ops.convert_to_numpy(g)) == _dtype_name(
            np.asarray(w)), f"{name} output {i}: dtype {kerasx.ops.dtype(g)} != {w.dtype}"
        g = kerasx.ops.convert_to_numpy(g)
        _close(f"{name} output {i}", g, keras.ops.convert_to_numpy(w))
        out.append(g)
    if grad:
        _compare_gradients(name, ref_fn, fn, args, kwargs, grad)
    return out


def _compare_gradients(name, ref_fn, fn, args, kwargs, grad):
    import tensorflow as tf

    rng = np.random.default_rng(len(name))
    weights = [rng.normal(size=np.shape(w)).astype(np.asarray(w).dtype)
               for w in _leaves(ref_fn(*args, **kwargs))]
    # Tensors watched by the tape (some Keras ops refuse tf.Variables).
    ref_vars = [tf.constant(args[i]) for i in grad]

    def with_values(values):
        full = list(args)
        for i, v in zip(grad, values):
            full[i] = v
        return full

    with tf.GradientTape() as tape:
        tape.watch(ref_vars)
        outs = _leaves(ref_fn(*with_values(ref_vars), **kwargs))
        loss = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, weights)
                         if o.dtype.is_floating])
    want = tape.gradient(loss, ref_vars, unconnected_gradients="zero")

    ops = get_ops()
    variables = [ops.variable(args[i]) for i in grad]

    def loss_fn():
        outs = _leaves(fn(*with_values([ops.variable_value(v) for v in variables]), **kwargs))
        terms = [kerasx.ops.sum(kerasx.ops.multiply(o, w)) for o, w in zip(outs, weights)
                 if kerasx.ops.dtype(o).startswith("float")]
        total = terms[0]
        for t in terms[1:]:
            total = kerasx.ops.add(total, t)
        return total

    _, got = value_and_grad(loss_fn, variables)
    for i, g, w in zip(grad, got, want):
        _close(f"{name} gradient of argument {i}", kerasx.ops.convert_to_numpy(g), w.numpy())
