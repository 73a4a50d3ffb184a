"""Run a kerasx layer and the same Keras 3 layer (TensorFlow backend) on the
same input with the same weights; compare outputs, gradients, output shapes
and configs. Shared by the layer test modules."""
import collections

import numpy as np

#: Largest absolute deviation from Keras seen per backend (reported at the end
#: of the session by tests that ask for it).
MAX_DEVIATION = collections.defaultdict(float)

RTOL, ATOL = 1e-5, 1e-6


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _assert_close(name, actual, expected, backend, scaled=False):
    """assert_allclose at RTOL / ATOL; with `scaled`, ATOL is relative to the
    tensor's largest magnitude (for weight gradients: sums of many float32
    terms, whose small entries carry cancellation error of that order, and
    whose summation order depends on the framework's threading)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{name}: shape {actual.shape} != {expected.shape}"
    if actual.size:
        MAX_DEVIATION[backend] = max(MAX_DEVIATION[backend],
                                     float(np.max(np.abs(actual - expected))))
    atol = ATOL * max(1.0, float(np.max(np.abs(expected)))) if scaled and expected.size \
        else ATOL
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=atol, err_msg=name)


def keras_layer(class_name, kwargs):
    import keras
    return getattr(keras.layers, class_name)(**kwargs)


def check_layer(backend, class_name, kwargs, input_shape, seed=0, mask=None,
                gradients=True, none_shapes=(), exact_bias_gradient=False):
    """Compare kerasx.layers.<class_name>(**kwargs) with Keras's on a random
    float32 input of `input_shape`: weights (shapes and order, via
    set_weights), forward output, gradients of sum(output * W) w.r.t. the input
    and every weight, compute_output_shape (batch None, and each shape in
    `none_shapes`), and the configs (same keys, same plain values, kerasx
    round trip, kerasx built from Keras's config).

    exact_bias_gradient: compare the bias gradient with its exact value,
    sum(W) over all but the channel axis (the layer must have no activation),
    instead of Keras's: Keras 3.15 on TensorFlow 2.21 CPU returns a wrong
    bias gradient for a channels_first convolution whose output has the shape
    (N, C, C, C) (its output and its other gradients are right)."""
    import tensorflow as tf

    from kerasx import layers
    from kerasx.backend import get_ops

    rng = np.random.default_rng(seed)
    x = rng.standard_normal(input_shape).astype("float32")
    ref = keras_layer(class_name, kwargs)
    layer = getattr(layers, class_name)(**kwargs)

    ref_out = ref(x) if mask is None else ref(x, mask=mask)
    ref_out = np.asarray(ref_out)
    ops = get_ops()
    layer(x)  # build
    ref_weights = ref.get_weights()
    assert [w.shape for w in layer.weights] == [w.shape for w in ref_weights]
    layer.set_weights(ref_weights)
    out = layer(x) if mask is None else layer(x, mask=ops.convert_to_tensor(mask))
    _assert_close(f"{class_name} output", ops.to_numpy(out), ref_out, backend)

    if gradients:
        w = rng.standard_normal(ref_out.shape).astype("float32")
        x_var = tf.Variable(x)
        with tf.GradientTape() as tape:
            y = ref(x_var) if mask is None else ref(x_var, mask=mask)
            loss = tf.reduce_sum(y * w)
        ref_grads = tape.gradient(loss, [x_var] + list(ref.trainable_weights))
        ref_grads = [np.asarray(g) for g in ref_grads]
        if exact_bias_gradient:
            channel = 1 if kwargs.get("data_format") == "channels_first" else w.ndim - 1
            ref_grads[-1] = w.sum(axis=tuple(a for a in range(w.ndim) if a != channel))

        kx_x = ops.variable(x)
        kx_w = ops.convert_to_tensor(w)
        kx_mask = None if mask is None else ops.convert_to_tensor(mask)

        def fn():
            inputs = ops.variable_value(kx_x)
            y = layer(inputs) if kx_mask is None else layer(inputs, mask=kx_mask)
            return ops.sum(ops.multiply(y, kx_w))

        value, grads = ops.value_and_grad(fn, [kx_x] + [v.native for v in layer.weights])
        np.testing.assert_allclose(float(ops.to_numpy(value)), float(loss), rtol=1e-4,
                                   atol=1e-5)
        names = ["input"] + [v.name for v in layer.weights]
        for name, got, want in zip(names, grads, ref_grads):
            _assert_close(f"{class_name} gradient w.r.t. {name}", ops.to_numpy(got), want,
                          backend, scaled=True)

    for shape in [(None,) + tuple(input_shape[1:])] + list(none_shapes):
        assert tuple(layer.compute_output_shape(shape)) == tuple(
            ref.compute_output_shape(shape)), shape

    check_config(layer, ref)
    return layer, ref


def check_config(layer, ref):
    """Same keys as Keras; equal plain values; round trips in kerasx; kerasx
    accepts Keras's own config."""
    config, ref_config = layer.get_config(), ref.get_config()
    assert set(config) == set(ref_config), (set(config) ^ set(ref_config))
    for key, value in ref_config.items():
        if key in ("name", "dtype") or isinstance(value, dict):
            continue
        assert _plain(config[key]) == _plain(value), (key, config[key], value)
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    # Keras's plain arguments (its nested initializer / regularizer configs
    # are kerasx.initializers' business, not the layer's).
    keras_plain = {k: (config[k] if isinstance(v, dict) else v)
                   for k, v in ref_config.items()}
    from_keras = type(layer).from_config(keras_plain)
    for key, value in config.items():
        if key != "name":
            assert _plain(from_keras.get_config()[key]) == _plain(value), key


def case_id(case):
    """A readable pytest id for a (layer name, kwargs, input shape) case."""
    name, kwargs, shape = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items()) + f"-{shape}"


def none_spatial_shapes(name, kwargs, shape):
    """The case's input shape with unknown batch and spatial axes, for the
    symbolic-shape check of `check_layer` (none for layers whose target
    shape fixes the axes)."""
    if name in ("Reshape", "Permute", "RepeatVector"):
        return []
    rank = len(shape) - 2
    if kwargs.get("data_format") == "channels_first":
        return [(None, shape[1]) + (None,) * rank]
    return [(None,) + (None,) * rank + (shape[-1],)]
