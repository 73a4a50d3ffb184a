"""Helpers for the normalization / activation / merging / preprocessing /
regularization layer tests: run a kerasx layer and the same Keras 3 layer
(TensorFlow backend) with the same weights on the same inputs, in inference
and training mode, and compare outputs, gradients, state, output shapes and
configs."""
import collections

import numpy as np

RTOL, ATOL = 1e-5, 1e-6

#: Largest absolute deviation from Keras per kerasx backend (printed by the
#: test modules at teardown; run pytest with -s to see it).
MAX_DEVIATION = collections.defaultdict(float)


def assert_close(name, actual, expected, backend, rtol=RTOL, atol=ATOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (
        f"{name}: shape {actual.shape} != Keras's {expected.shape}")
    if actual.size:
        MAX_DEVIATION[backend] = max(MAX_DEVIATION[backend], float(np.max(np.abs(
            actual.astype("float64") - expected.astype("float64")))))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=name)


def inputs_off_kinks(shape, seed=1):
    """Standard normal inputs (x2) kept away from the kinks of the piecewise
    activations (0, 0.5, 1, 1.5), where the frameworks' subgradients
    legitimately differ."""
    x = np.random.default_rng(seed).standard_normal(shape).astype("float32") * 2
    for kink in (0.0, 0.5, 1.0, 1.5):
        x[np.abs(x - kink) < 0.02] += 0.05
    return x


def report_at_teardown(title):
    """A module-scoped autouse fixture that reports the largest deviations
    after the module's tests."""
    import pytest

    @pytest.fixture(scope="module", autouse=True)
    def _report():
        yield
        report(title)

    return _report


def report(title):
    """Print, then reset, the largest deviations seen since the last report."""
    print(f"\n{title}: largest deviation from Keras per backend: "
          + ", ".join(f"{b}={d:.2e}" for b, d in sorted(MAX_DEVIATION.items())))
    MAX_DEVIATION.clear()


def random_weights(ref, rng):
    """Random values for Keras's weights (variances positive), so that the
    copy through set_weights is meaningful."""
    values = []
    for w in ref.weights:
        shape, name = tuple(w.shape), w.name
        if "int" in str(w.dtype):
            values.append(np.asarray(w.numpy()))
        elif "variance" in name:
            values.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            values.append(rng.standard_normal(shape).astype("float32"))
    ref.set_weights(values)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def compare(backend, layer, ref, inputs, trainings=(False, True), seed=0,
            call_kwargs=None, gradients=True, randomize=True, grad_tol=None,
            copy_weights=True):
    """Compare `layer` (kerasx) with `ref` (Keras) on `inputs` (an array or a
    list of arrays); copy_weights=False when the weights are already equal.
    Returns (kerasx outputs, Keras outputs) of the last mode."""
    import tensorflow as tf

    from kerasx.backend import get_ops

    ops = get_ops()
    rng = np.random.default_rng(seed)
    multi = isinstance(inputs, (list, tuple))
    call_kwargs = dict(call_kwargs or {})
    # Build both, then copy Keras's (randomised) weights: checks order/shapes.
    ref(inputs, **call_kwargs)
    if randomize:
        random_weights(ref, rng)
    layer(inputs, **call_kwargs)
    ref_weights = ref.get_weights()
    assert [tuple(w.shape) for w in layer.weights] == [w.shape for w in ref_weights]
    assert [w.trainable for w in layer.weights] == [w.trainable for w in ref.weights]
    if copy_weights:
        layer.set_weights(ref_weights)
    kx_kwargs = {k: (ops.convert_to_tensor(v) if isinstance(v, np.ndarray) else v)
                 for k, v in call_kwargs.items()}
    gtol = grad_tol or (RTOL, ATOL)
    out = ref_out = None
    for training in trainings:
        ref_out = np.asarray(ref(inputs, training=training, **call_kwargs))
        out = ops.to_numpy(layer(inputs, training=training, **kx_kwargs))
        assert_close(f"output (training={training})", out, ref_out, backend)
        if not gradients:
            continue
        w = rng.standard_normal(ref_out.shape).astype("float32")
        ref_vars = [tf.Variable(x) for x in _as_list(inputs)]
        with tf.GradientTape() as tape:
            y = ref(ref_vars if multi else ref_vars[0], training=training, **call_kwargs)
            ref_loss = tf.reduce_sum(y * w)
        ref_grads = tape.gradient(ref_loss, ref_vars + list(ref.trainable_weights))
        kx_vars = [ops.variable(x) for x in _as_list(inputs)]
        kx_w = ops.convert_to_tensor(w)

        def fn():
            xs = [ops.variable_value(v) for v in kx_vars]
            y = layer(xs if multi else xs[0], training=training, **kx_kwargs)
            return ops.sum(ops.multiply(y, kx_w))

        weights = layer.trainable_weights
        loss, grads = ops.value_and_grad(fn, kx_vars + [v.native for v in weights])
        np.testing.assert_allclose(float(ops.to_numpy(loss)), float(ref_loss),
                                   rtol=1e-4, atol=1e-4)
        names = [f"input {i}" for i in range(len(kx_vars))] + [v.name for v in weights]
        assert len(grads) == len(ref_grads)
        for name, got, want in zip(names, grads, ref_grads):
            want = np.zeros(got.shape) if want is None else np.asarray(want)
            assert_close(f"gradient w.r.t. {name} (training={training})",
                         ops.to_numpy(got), want, backend, *gtol)
    # State (e.g. moving statistics) after the same calls on both sides.
    for variable, want in zip(layer.weights, ref.get_weights()):
        assert_close(f"weight {variable.name} after the calls", variable.numpy(), want,
                     backend)
    return out, ref_out


def check_output_shape(layer, ref, input_shape):
    """compute_output_shape with an unknown batch, as Keras."""
    assert tuple(layer.compute_output_shape(input_shape)) == tuple(
        ref.compute_output_shape(input_shape)), input_shape


def check_config(layer, ref, skip=()):
    """Same keys as Keras, same plain values, a kerasx round trip, and kerasx
    accepts Keras's config (nested object configs are other modules' business)."""
    config, ref_config = layer.get_config(), ref.get_config()
    assert set(config) == set(ref_config), set(config) ^ set(ref_config)
    for key, value in ref_config.items():
        if key in ("name", "dtype") or key in skip or isinstance(value, dict):
            continue
        assert _plain(config[key]) == _plain(value), (key, config[key], value)
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    keras_plain = {k: (config[k] if isinstance(v, dict) or k in skip else v)
                   for k, v in ref_config.items()}
    from_keras = type(layer).from_config(keras_plain)
    for key, value in config.items():
        if key != "name":
            assert _plain(from_keras.get_config()[key]) == _plain(value), key
    return clone


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
