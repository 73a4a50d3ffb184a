"""EinsumDense against keras.layers.EinsumDense (TensorFlow backend): weight
shapes, outputs and gradients with copied weights, output shapes, config,
initial fans, errors, and a .keras file Keras 3 loads."""
import numpy as np
import pytest

import kerasx as keras
from tests.layer_parity import check_config, compare, report_at_teardown

_report = report_at_teardown("EinsumDense")

CASES = {
    "dense": ("ab,bc->ac", 4, "c", (3, 5)),
    "sequence": ("abc,cd->abd", (None, 4), "d", (2, 3, 5)),
    "heads": ("abc,cde->abde", (None, 2, 3), "de", (2, 3, 5)),
    "output projection": ("abcd,cde->abe", (None, 6), "e", (2, 3, 2, 4)),
    "left ellipsis": ("...b,bc->...c", 4, "c", (2, 3, 5)),
    "right ellipsis": ("ab...,bc->ac...", (4, None), "c", (2, 5, 3)),
    "no bias": ("abc,cd->abd", (None, 4), None, (2, 3, 5)),
    "partial bias": ("abc,cde->abde", (None, 2, 3), "e", (2, 3, 5)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_einsum_dense_matches_keras(backend, name):
    import keras as ref

    equation, output_shape, bias_axes, input_shape = CASES[name]
    x = np.random.default_rng(3).standard_normal(input_shape).astype("float32")
    kwargs = dict(output_shape=output_shape, bias_axes=bias_axes, activation="tanh")
    layer = keras.layers.EinsumDense(equation, **kwargs)
    keras_layer = ref.layers.EinsumDense(equation, **kwargs)
    # Gradients sum products of O(1) terms: float32 round-off is ~1e-6 absolute.
    compare(backend, layer, keras_layer, x, trainings=(False,), grad_tol=(1e-5, 1e-5))
    batchless = (None,) + input_shape[1:]
    assert tuple(layer.compute_output_shape(batchless)) == \
        tuple(keras_layer.compute_output_shape(batchless))
    check_config(layer, keras_layer)


def test_kernel_fans_come_from_the_equation(backend):
    """Glorot on a (5, 2, 3) projection kernel: fan_in 5, fan_out 6 (Keras's
    input/output axes), not the last two axes' sizes."""
    keras.utils.set_random_seed(0)
    layer = keras.layers.EinsumDense("abc,cde->abde", (None, 40, 30), bias_axes="de")
    layer.build((None, 3, 50))
    kernel = layer.get_weights()[0]
    limit = np.sqrt(6.0 / (50 + 1200))
    assert kernel.shape == (50, 40, 30)
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.95 * limit  # 60,000 draws reach the edge
    assert np.all(layer.get_weights()[1] == 0) and layer.get_weights()[1].shape == (40, 30)


def test_invalid_equations_are_refused_clearly(backend):
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        keras.layers.EinsumDense("ab->b", 3).build((2, 4))
    with pytest.raises(ValueError, match="Bias dimension 'z'"):
        keras.layers.EinsumDense("ab,bc->ac", 3, bias_axes="z").build((2, 4))
    with pytest.raises(ValueError, match="Weight dimension 'q'"):
        keras.layers.EinsumDense("ab,bq->ab", 4).build((2, 4))
    with pytest.raises(ValueError, match="LoRA"):
        keras.layers.EinsumDense("ab,bc->ac", 3, lora_rank=2)


def test_einsum_dense_model_saves_a_file_keras_loads(backend, tmp_path):
    import keras as ref

    inp = keras.Input((3, 5))
    x = keras.layers.EinsumDense("abc,cde->abde", (None, 2, 4), bias_axes="de")(inp)
    out = keras.layers.EinsumDense("abcd,cde->abe", (None, 3), bias_axes="e")(x)
    model = keras.Model(inp, out)
    x_val = np.random.default_rng(0).standard_normal((4, 3, 5)).astype("float32")
    want = model.predict(x_val, verbose=0)
    model.save(tmp_path / "einsum.keras")
    loaded = ref.models.load_model(tmp_path / "einsum.keras")
    np.testing.assert_allclose(loaded.predict(x_val, verbose=0), want, rtol=1e-5, atol=1e-6)
