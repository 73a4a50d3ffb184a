"""keras.ops.einsum and keras.ops.dot_product_attention against Keras 3
(TensorFlow backend): values, gradients, masks, grouped heads, compiled steps
(MXNet: hybridized into CachedOps) and errors."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops
from tests.layer_parity import assert_close, report_at_teardown

_report = report_at_teardown("attention ops")

EINSUMS = [
    ("ij,jk->ik", [(3, 4), (4, 2)]),
    ("bij,jk->bik", [(2, 3, 4), (4, 5)]),
    ("...ij->...ji", [(2, 3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("abc,cde->abde", [(2, 3, 4), (4, 2, 5)]),  # EinsumDense's projection shape
    ("ii->i", [(3, 3)]),
    ("ij->", [(3, 4)]),
]


def _rng(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("equation,shapes", EINSUMS, ids=[e for e, _ in EINSUMS])
def test_einsum_values_and_gradients_match_keras(backend, equation, shapes):
    import keras as ref
    import tensorflow as tf

    rng = _rng()
    xs = [rng.standard_normal(s).astype("float32") for s in shapes]
    want = np.asarray(ref.ops.einsum(equation, *xs))
    got = keras.ops.convert_to_numpy(keras.ops.einsum(equation, *xs))
    assert_close("einsum", got, want, backend)

    w = rng.standard_normal(want.shape).astype("float32")
    tf_vars = [tf.Variable(x) for x in xs]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(ref.ops.einsum(equation, *tf_vars) * w)
    want_grads = tape.gradient(loss, tf_vars)
    ops = get_ops()
    variables = [ops.variable(x) for x in xs]
    kw = ops.convert_to_tensor(w)
    _, grads = ops.value_and_grad(lambda: ops.sum(ops.multiply(ops.einsum(
        equation, *[ops.variable_value(v) for v in variables]), kw)), variables)
    for g, want_g in zip(grads, want_grads):
        assert_close("einsum gradient", ops.to_numpy(g), np.asarray(want_g), backend)


def test_einsum_promotes_mixed_dtypes_as_keras(backend):
    import keras as ref

    a = np.arange(6, dtype="int32").reshape(2, 3)
    b = _rng().standard_normal((3, 2)).astype("float32")
    want = np.asarray(ref.ops.einsum("ij,jk->ik", a, b))
    got = keras.ops.convert_to_numpy(keras.ops.einsum("ij,jk->ik", a, b))
    assert got.dtype == want.dtype == np.float32
    assert_close("einsum int32 x float32", got, want, backend)
    ints = keras.ops.convert_to_numpy(keras.ops.einsum("ij,jk->ik", a, a.T))
    np.testing.assert_array_equal(ints, a @ a.T)
    assert ints.dtype == np.int32


def _qkv(rng, t=3, s=5, heads=4, kv_heads=4, h=8):
    q = rng.standard_normal((2, t, heads, h)).astype("float32")
    k = rng.standard_normal((2, s, kv_heads, h)).astype("float32")
    v = rng.standard_normal((2, s, kv_heads, h)).astype("float32")
    return q, k, v


ATTENTION_CASES = {
    "plain": dict(),
    "causal": dict(is_causal=True),
    "scale": dict(scale=0.3),
    "mask": dict(mask="mask"),
    "mask causal": dict(mask="mask", is_causal=True),
    "bias": dict(bias="bias"),
    "bias mask causal": dict(bias="bias", mask="mask", is_causal=True),
    "fully masked row": dict(mask="row"),
    "grouped": dict(kv_heads=2),
    "multi-query causal": dict(kv_heads=1, is_causal=True),
}


def _case(name, rng):
    spec = dict(ATTENTION_CASES[name])
    q, k, v = _qkv(rng, kv_heads=spec.pop("kv_heads", 4))
    if spec.get("mask") == "mask":
        spec["mask"] = rng.random((2, 1, 3, 5)) > 0.3
    elif spec.get("mask") == "row":
        mask = np.ones((2, 4, 3, 5), bool)
        mask[0, 1, 2] = False
        spec["mask"] = mask
    if spec.get("bias") == "bias":
        spec["bias"] = rng.standard_normal((1, 4, 3, 5)).astype("float32")
    return q, k, v, spec


@pytest.mark.parametrize("name", list(ATTENTION_CASES))
def test_dot_product_attention_matches_keras(backend, name):
    import keras as ref
    import tensorflow as tf

    rng = _rng(1)
    q, k, v, kwargs = _case(name, rng)
    groups = q.shape[2] // k.shape[2]

    def keras_attention(q, k, v, **kw):
        # Keras's TensorFlow backend repeats key/value heads only when there
        # are several (one head fails in tf.einsum): repeat them here.
        k, v = tf.repeat(k, groups, axis=2), tf.repeat(v, groups, axis=2)
        return ref.ops.dot_product_attention(q, k, v, **kw)

    want = np.asarray(keras_attention(q, k, v, **kwargs))
    got = keras.ops.convert_to_numpy(keras.ops.dot_product_attention(q, k, v, **kwargs))
    assert_close(f"attention {name}", got, want, backend)
    # keras.ops.nn holds it too, as in Keras.
    again = keras.ops.nn.dot_product_attention(q, k, v, **kwargs)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(again), got)

    # Gradients w.r.t. query, key, value and the bias.
    w = rng.standard_normal(want.shape).astype("float32")
    names = ["query", "key", "value"] + (["bias"] if "bias" in kwargs else [])
    arrays = [q, k, v] + ([kwargs["bias"]] if "bias" in kwargs else [])
    tf_vars = [tf.Variable(a) for a in arrays]
    with tf.GradientTape() as tape:
        kw = dict(kwargs, **({"bias": tf_vars[3]} if "bias" in kwargs else {}))
        loss = tf.reduce_sum(keras_attention(*tf_vars[:3], **kw) * w)
    want_grads = tape.gradient(loss, tf_vars)
    ops = get_ops()
    variables = [ops.variable(a) for a in arrays]
    mask = kwargs.get("mask")
    fixed = {k_: v_ for k_, v_ in kwargs.items() if k_ not in ("bias", "mask")}
    if mask is not None:
        fixed["mask"] = ops.convert_to_tensor(mask)
    kw_w = ops.convert_to_tensor(w)

    def loss_fn():
        values = [ops.variable_value(x) for x in variables]
        extra = {"bias": values[3]} if len(values) == 4 else {}
        out = ops.dot_product_attention(*values[:3], **extra, **fixed)
        return ops.sum(ops.multiply(out, kw_w))

    _, grads = ops.value_and_grad(loss_fn, variables)
    for n, g, want_g in zip(names, grads, want_grads):
        assert_close(f"gradient w.r.t. {n} ({name})", ops.to_numpy(g), np.asarray(want_g),
                     backend)


def test_compiled_attention_step_equals_eager(backend):
    """einsum and attention traced in a compiled step (tf.function, the torch
    plugin's mode, MXNet's hybridized CachedOps) give the eager numbers,
    gradients included."""
    ops = get_ops()
    rng = _rng(2)
    q, k, v = _qkv(rng, kv_heads=2)
    mask = ops.convert_to_tensor(rng.random((2, 1, 3, 5)) > 0.2)
    proj = ops.variable(rng.standard_normal((8, 8)).astype("float32"))

    def step(q, k, v):
        def loss():
            qp = ops.einsum("btnh,hd->btnd", q, ops.variable_value(proj))
            out = ops.dot_product_attention(qp, k, v, mask=mask, is_causal=True)
            return ops.sum(ops.square(out))

        value, (grad,) = ops.value_and_grad(loss, [proj])
        return value, grad

    args = [ops.convert_to_tensor(a) for a in (q, k, v)]
    eager = [ops.to_numpy(t) for t in step(*args)]
    compiled = ops.compile_function(step, "auto")
    if compiled is None:
        pytest.skip(f"{backend} runs compiled steps eagerly")
    for _ in range(2):  # the second call runs the cached graph
        got = [ops.to_numpy(t) for t in compiled(*args)]
        for a, b in zip(got, eager):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    if backend == "mxnet":
        assert compiled.hybridized, "the step fell back to eager execution"


def test_dot_product_attention_refuses_what_keras_refuses(backend):
    q, k, v = _qkv(_rng())
    with pytest.raises(ValueError, match="4D"):
        keras.ops.dot_product_attention(q[:, :, 0], k[:, :, 0], v[:, :, 0])
    with pytest.raises(ValueError, match="[Ff]lash"):
        keras.ops.dot_product_attention(q, k, v, flash_attention=True)
    with pytest.raises(ValueError, match="multiple"):
        keras.ops.dot_product_attention(q, k[:, :, :3], v[:, :, :3])
    # flash_attention=False (or None) is the plain computation, as in Keras.
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(keras.ops.dot_product_attention(
            q, k, v, flash_attention=False)),
        keras.ops.convert_to_numpy(keras.ops.dot_product_attention(q, k, v)))
