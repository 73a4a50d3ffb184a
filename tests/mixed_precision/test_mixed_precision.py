"""Mixed precision against Keras 3: dtype policies (names, dtypes, configs),
a Conv2D/Dense model under "mixed_float16" (variable and output dtypes, forward
values within float16 bars), and `fit` with dynamic loss scaling on every
backend, including a step skipped for overflowing float16 gradients."""
import numpy as np
import pytest

import kerasx
from kerasx import dtype_policies, mixed_precision
import kerasx.dtype_policies.dtype_policy as policy_module

# float16 has an 11-bit significand: 2 ** -11 ~ 4.9e-4 relative per rounding.
F16_RTOL = 1e-2


@pytest.fixture
def mixed():
    """Both libraries under "mixed_float16"; the defaults restored after."""
    import keras

    keras.config.set_dtype_policy("mixed_float16")
    kerasx.config.set_dtype_policy("mixed_float16")
    try:
        yield
    finally:
        keras.config.set_dtype_policy("float32")
        policy_module._GLOBAL_POLICY = None


def test_policies_match_keras():
    import keras

    for name in ["float32", "float64", "float16", "mixed_float16"]:
        k, x = keras.DTypePolicy(name), kerasx.DTypePolicy(name)
        assert (x.name, x.compute_dtype, x.variable_dtype, x.quantization_mode) == \
            (k.name, k.compute_dtype, k.variable_dtype, k.quantization_mode)
        assert dtype_policies.serialize(x) == keras.dtype_policies.serialize(k)
        assert dtype_policies.deserialize(keras.dtype_policies.serialize(k)) == x
        assert repr(x) == repr(k)
    assert kerasx.FloatDTypePolicy("float32") == kerasx.DTypePolicy("float32")
    assert mixed_precision.Policy is kerasx.DTypePolicy
    assert dtype_policies.get("mixed_float16").compute_dtype == "float16"
    assert dtype_policies.get(None).name == "float32"
    assert kerasx.config.dtype_policy().name == "float32"


def test_bfloat16_is_a_clear_error(backend):
    with pytest.raises(ValueError, match=f"bfloat16.*'{backend}'"):
        kerasx.DTypePolicy("mixed_bfloat16")
    with pytest.raises(ValueError, match="Cannot convert"):
        kerasx.DTypePolicy("mixed_float8")
    with pytest.raises(ValueError, match="Invalid `policy`"):
        kerasx.config.set_dtype_policy(3)


def test_dtype_policy_map():
    import keras

    x_map = dtype_policies.DTypePolicyMap(default_policy="float32")
    k_map = keras.dtype_policies.DTypePolicyMap(default_policy="float32")
    for m in (x_map, k_map):
        m["encoder/dense"] = "float16"
        m["decoder/.*"] = "mixed_float16"
    for path in ["encoder/dense", "decoder/attention", "decoder", "other"]:
        assert x_map[path].name == k_map[path].name, path
    assert x_map.name == k_map.name and len(x_map) == 2
    assert (x_map.compute_dtype, x_map.variable_dtype) == ("float32", "float32")
    again = dtype_policies.DTypePolicyMap.from_config(x_map.get_config())
    assert again["decoder/x"].name == "mixed_float16"
    with pytest.raises(ValueError, match="already exist"):
        x_map["encoder/dense"] = "float32"
    x_map["enc.*"] = "float64"
    assert x_map["encoder/dense2"].name == "float64"
    x_map["encoder/.*"] = "float16"
    with pytest.raises(ValueError, match="multiple"):
        x_map["encoder/dense2"]


def test_global_policy_and_layer_config(backend, mixed):
    import keras

    assert mixed_precision.global_policy().name == "mixed_float16"
    x_layer, k_layer = kerasx.layers.Dense(2), keras.layers.Dense(2)
    for attr in ("dtype", "compute_dtype", "variable_dtype"):
        assert getattr(x_layer, attr) == getattr(k_layer, attr), attr
    assert x_layer.dtype_policy == kerasx.DTypePolicy("mixed_float16")
    assert x_layer.get_config()["dtype"] == k_layer.get_config()["dtype"]
    clone = kerasx.layers.Dense.from_config(k_layer.get_config())
    assert clone.compute_dtype == "float16" and clone.variable_dtype == "float32"
    # An explicit dtype overrides the global policy.
    assert kerasx.layers.Dense(2, dtype="float32").compute_dtype == "float32"


def _build(lib):
    inp = lib.Input((6, 6, 2))
    x = lib.layers.Conv2D(3, 3, activation="relu")(inp)
    x = lib.layers.Flatten()(x)
    x = lib.layers.Dense(4, activation="tanh")(x)
    out = lib.layers.Dense(2)(x)
    return lib.Model(inp, out)


def _weights():
    rng = np.random.default_rng(0)
    shapes = [(3, 3, 2, 3), (3,), (48, 4), (4,), (4, 2), (2,)]
    return [(rng.normal(size=s) * 0.3).astype("float32") for s in shapes]


def _data():
    rng = np.random.default_rng(1)
    return (rng.normal(size=(8, 6, 6, 2)).astype("float32"),
            rng.normal(size=(8, 2)).astype("float32"))


def test_model_dtypes_and_forward_match_keras(backend, mixed):
    import keras

    k_model, x_model = _build(keras), _build(kerasx)
    k_model.set_weights(_weights())
    x_model.set_weights(_weights())
    assert [w.dtype for w in x_model.weights] == [w.dtype for w in k_model.weights]
    assert [w.dtype for w in x_model.weights] == ["float32"] * 6
    assert [layer.compute_dtype for layer in x_model.layers[1:]] == \
        [layer.compute_dtype for layer in k_model.layers[1:]]
    assert x_model.output.dtype == k_model.output.dtype == "float16"
    x, _ = _data()
    want = np.asarray(k_model(x))
    have = kerasx.ops.convert_to_numpy(x_model(x))
    assert want.dtype == have.dtype == np.float16
    np.testing.assert_allclose(have.astype("float32"), want.astype("float32"),
                               rtol=F16_RTOL, atol=F16_RTOL * float(np.max(np.abs(want))))


def test_fit_scales_the_loss_as_keras(backend, mixed):
    import keras

    k_model, x_model = _build(keras), _build(kerasx)
    for model in (k_model, x_model):
        model.set_weights(_weights())
    k_model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    x_model.compile(optimizer=kerasx.optimizers.SGD(0.05), loss="mse")
    assert type(x_model.optimizer).__name__ == type(k_model.optimizer).__name__ == \
        "LossScaleOptimizer"
    x, y = _data()
    k_hist = k_model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    x_hist = x_model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(x_hist.history["loss"], k_hist.history["loss"],
                               rtol=F16_RTOL)
    assert x_hist.history["loss"][-1] < x_hist.history["loss"][0]
    assert float(x_model.optimizer.dynamic_scale.numpy()) == \
        float(k_model.optimizer.dynamic_scale.numpy()) == 2.0 ** 15
    assert int(x_model.optimizer.iterations.numpy()) == 6
    for want, have in zip(k_model.get_weights(), x_model.get_weights()):
        assert have.dtype == np.float32
        np.testing.assert_allclose(have, want, rtol=F16_RTOL,
                                   atol=F16_RTOL * float(np.max(np.abs(want))))


def test_overflowing_step_is_skipped_as_keras(backend, mixed):
    """A loss scale of 2 ** 40 overflows the float16 gradients: the step is
    skipped (weights unchanged) and the scale halved, in Keras and kerasx."""
    import keras

    x, y = _data()
    scales = []
    for lib in (keras, kerasx):
        model = _build(lib)
        model.set_weights(_weights())
        model.compile(optimizer=lib.optimizers.LossScaleOptimizer(
            lib.optimizers.SGD(0.05), initial_scale=2.0 ** 40), loss="mse")
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
        for want, have in zip(_weights(), model.get_weights()):
            np.testing.assert_array_equal(have, want)
        assert int(model.optimizer.iterations.numpy()) == 0
        scales.append(float(model.optimizer.dynamic_scale.numpy()))
    assert scales == [2.0 ** 39, 2.0 ** 39]
