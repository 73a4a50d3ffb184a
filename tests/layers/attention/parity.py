"""Parity of the (query, value[, key]) attention layers with Keras 3
(TensorFlow backend): outputs, scores and gradients with copied weights."""
import numpy as np

import kerasx as keras
from kerasx.backend import get_ops
from tests.layer_parity import assert_close

GRAD_TOL = (1e-5, 1e-5)  # sums of O(1) products: float32 round-off ~1e-6


def weights_like(ref, rng):
    return [(rng.standard_normal(w.shape) * 0.5).astype("float32")
            for w in ref.get_weights()]


def parity(backend, class_name, layer_kwargs, q, value, call_kwargs, seed=0):
    """Outputs (and scores) and gradients (w.r.t. query, value, key and every
    weight) of the kerasx and Keras layers `class_name` called as
    `layer(q, value, **call_kwargs)`, with Keras's weights copied."""
    import keras as ref_keras
    import tensorflow as tf

    ops = get_ops()
    rng = np.random.default_rng(seed)
    ref = getattr(ref_keras.layers, class_name)(**layer_kwargs)
    layer = getattr(keras.layers, class_name)(**layer_kwargs)
    ref(q, value, **call_kwargs)
    layer(q, value, **call_kwargs)
    assert [w.name for w in layer.weights] == [w.name for w in ref.weights]
    assert [tuple(w.shape) for w in layer.weights] == [tuple(w.shape) for w in ref.weights]
    ref.set_weights(weights_like(ref, rng))
    layer.set_weights(ref.get_weights())
    scores = call_kwargs.get("return_attention_scores", False)

    want = ref(q, value, **call_kwargs)
    got = layer(q, value, **call_kwargs)
    wants = list(want) if scores else [want]
    gots = list(got) if scores else [got]
    for name, a, b in zip(("output", "scores"), gots, wants):
        assert_close(name, ops.to_numpy(a), np.asarray(b), backend)

    # Gradients of a weighted sum of the output.
    w = rng.standard_normal(tuple(wants[0].shape)).astype("float32")
    key = call_kwargs.get("key")
    arrays = [q, value] + ([key] if key is not None else [])
    fixed = {n: val for n, val in call_kwargs.items() if n != "key"}
    tf_vars = [tf.Variable(a) for a in arrays]
    with tf.GradientTape() as tape:
        extra = {"key": tf_vars[2]} if key is not None else {}
        y = ref(tf_vars[0], tf_vars[1], **extra, **fixed)
        y = y[0] if scores else y
        loss = tf.reduce_sum(y * w)
    want_grads = tape.gradient(loss, tf_vars + list(ref.trainable_weights))
    kx_vars = [ops.variable(a) for a in arrays]
    kx_fixed = {n: (ops.convert_to_tensor(val) if isinstance(val, np.ndarray) else val)
                for n, val in fixed.items()}
    kw = ops.convert_to_tensor(w)

    def loss_fn():
        xs = [ops.variable_value(v) for v in kx_vars]
        extra = {"key": xs[2]} if key is not None else {}
        y = layer(xs[0], xs[1], **extra, **kx_fixed)
        y = y[0] if scores else y
        return ops.sum(ops.multiply(y, kw))

    weights = layer.trainable_weights
    _, grads = ops.value_and_grad(loss_fn, kx_vars + [v.native for v in weights])
    names = ["query", "value", "key"][:len(arrays)] + [v.path for v in weights]
    assert len(grads) == len(want_grads)
    for name, g, want_g in zip(names, grads, want_grads):
        want_g = np.zeros(g.shape) if want_g is None else np.asarray(want_g)
        assert_close(f"gradient w.r.t. {name}", ops.to_numpy(g), want_g, backend, *GRAD_TOL)
    return layer, ref
