"""model.quantize("awq") against Keras 3: the same float model and
calibration tokens give the same quantized variables (levels, scales, zero
points, AWQ scales, group indices) and outputs on every backend; Keras's
variable layout; .keras files both ways."""
import numpy as np
import pytest

from tests.layers.quantization import calibration_models as cm

# (kind, group_size, num_grid_points)
CASES = [("dense", -1, 20), ("dense", 16, 10), ("einsum", 16, 20), ("einsum", -1, 5)]
_REFERENCES = {}


def _configs(case, reference, model):
    import keras

    import kerasx
    common = dict(num_samples=4, sequence_length=cm.SEQ, group_size=case[1],
                  num_grid_points=case[2])
    keras_config = keras.quantizers.AWQConfig(
        dataset=cm.calibration_tokens(), tokenizer=cm.Tokenizer(),
        quantization_layer_structure=cm.structure(reference), **common)
    kerasx_config = kerasx.quantizers.AWQConfig(
        dataset=cm.calibration_tokens(), tokenizer=None,
        quantization_layer_structure=cm.structure(model), **common)
    return keras_config, kerasx_config


def quantized_pair(case):
    """(Keras model, kerasx model) quantized with AWQ from the same float
    weights; Keras's is made once per case."""
    reference, model = cm.build_pair(case[0])
    keras_config, kerasx_config = _configs(case, reference, model)
    if case not in _REFERENCES:
        with cm.keras_hooks_effective():  # see there: stock Keras ignores the data
            reference.quantize("awq", config=keras_config)
        _REFERENCES[case] = reference
    model.quantize("awq", config=kerasx_config)
    return _REFERENCES[case], model


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_awq_matches_keras(backend, case):
    reference, model = quantized_pair(case)
    differing, total = cm.compare_variables(reference, model, 4, extra=("awq_scales",))
    # Per-channel maxima are exact; the grid search's pow and mean may differ
    # by an ulp between NumPy and TensorFlow. None differed here.
    assert differing <= total // 500, (differing, total)
    if differing == 0:
        cm.compare_outputs(reference, model)
    for layer in cm.calibrated_layers(model):
        assert layer.is_awq_calibrated and layer.kernel is None
        assert layer.dtype_policy.name == f"awq/4/{case[1]}_from_float32"


def test_awq_layer_variables_as_keras(backend):
    import keras

    import kerasx
    config = dict(dataset=cm.calibration_tokens(), tokenizer=cm.Tokenizer(), group_size=4)
    for kind, make in (("dense", lambda lib: lib.layers.Dense(5, name="d")),
                       ("einsum", lambda lib: lib.layers.EinsumDense(
                           "btnh,nhd->btd", (None, 9), bias_axes="d", name="e"))):
        theirs, ours = make(keras), make(kerasx)
        shape = (None, 9) if kind == "dense" else (None, 4, 2, 3)
        theirs.build(shape)
        ours.build(shape)
        ours.set_weights(theirs.get_weights())
        x = np.random.default_rng(0).standard_normal((2,) + shape[1:]).astype("float32")
        float_out = cm.to_numpy(ours(x))
        theirs.quantize("awq", config=keras.quantizers.AWQConfig(**config))
        ours.quantize("awq", config=kerasx.quantizers.AWQConfig(**config))
        assert [(v.name, tuple(v.shape), v.dtype) for v in ours.weights] == \
            [(v.name, tuple(v.shape), v.dtype) for v in theirs.weights]
        assert not ours.is_awq_calibrated
        np.testing.assert_allclose(cm.to_numpy(ours(x)), float_out, rtol=1e-6, atol=1e-6)


def test_awq_config_errors(backend):
    import kerasx
    _, model = cm.build_pair("dense")
    no_data = kerasx.quantizers.AWQConfig(dataset=None, tokenizer=None,
                                          quantization_layer_structure=cm.structure(model))
    with pytest.raises(ValueError, match="calibration dataset"):
        model.quantize("awq", config=no_data)
    _, model = cm.build_pair("dense")
    with pytest.raises(ValueError, match="quantization structure"):
        model.quantize("awq", config=kerasx.quantizers.AWQConfig(
            dataset=cm.calibration_tokens(), tokenizer=None))


def test_awq_saved_files_load_in_keras(backend, tmp_path):
    # kerasx writes all of Keras's variables (bias, quantized_kernel,
    # kernel_scale, kernel_zero, awq_scales, g_idx): Keras 3 and kerasx load the
    # file with the same outputs.
    import keras

    import kerasx
    reference, model = quantized_pair(("dense", 16, 10))
    cm.forget_configs(model)
    tokens = cm.test_tokens()
    ours = cm.to_numpy(model(tokens))
    model.save(tmp_path / "kerasx.keras")
    loaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    np.testing.assert_allclose(np.asarray(loaded(tokens)), ours, rtol=1e-5, atol=1e-5)
    assert loaded.layers[1].layers[0].dtype_policy.name == "awq/4/16_from_float32"
    back = kerasx.saving.load_model(tmp_path / "kerasx.keras")
    np.testing.assert_allclose(cm.to_numpy(back(tokens)), ours, rtol=1e-6, atol=1e-6)
    assert cm.compare_variables(model, back, 4)[0] == 0  # the same levels


def test_awq_file_of_keras_is_refused(backend, tmp_path):
    # Keras 3.15.1 saves its AWQ layers without kernel_zero (its
    # save_own_variables skips it) and cannot load such a file itself; the
    # zero points are lost, so kerasx refuses it with a clear error too.
    import kerasx
    from kerasx.saving.errors import LoadingError
    reference, _ = quantized_pair(("dense", 16, 10))
    cm.forget_configs(reference)
    reference.save(tmp_path / "keras.keras")
    with pytest.raises(LoadingError, match="variables"):
        kerasx.saving.load_model(tmp_path / "keras.keras")


def test_stock_keras_ignores_the_calibration_data():
    # As for GPTQ: stock Keras 3.15.1 searches the AWQ scales with zero
    # activation magnitudes (all scales 1), which kerasx reproduces when
    # given no batch.
    import keras

    from kerasx.quantizers.awq import AWQ
    reference, _ = cm.build_pair("dense")
    floats = [np.asarray(layer.kernel).copy() for layer in cm.calibrated_layers(reference)]
    config = keras.quantizers.AWQConfig(
        dataset=cm.calibration_tokens(), tokenizer=cm.Tokenizer(), num_samples=4,
        sequence_length=cm.SEQ, group_size=16,
        quantization_layer_structure=cm.structure(reference))
    reference.quantize("awq", config=config)
    for layer, kernel in zip(cm.calibrated_layers(reference), floats):
        expected = AWQ(kernel, config).quantize()
        np.testing.assert_array_equal(np.asarray(layer.awq_scales), np.ones(kernel.shape[0]))
        levels = cm.unpacked_levels(np.asarray(layer.quantized_kernel), kernel.shape[1], 4)
        np.testing.assert_array_equal(levels, expected["quantized"])
