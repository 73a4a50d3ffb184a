"""Masks of symbolic tensors in the functional API (`x._keras_mask`), as Keras 3."""
import numpy as np

import kerasx as keras
from kerasx import layers, ops


class _PassMask(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return ops.relu(inputs)


class _SplitInTwo(keras.layers.Layer):
    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else ops.split(mask, 2, axis=1)


def _keras_symbolic_masks():
    import keras as ref

    inputs = ref.Input(shape=(None,), dtype="int32")
    x = ref.layers.Embedding(50, 4, mask_zero=True)(inputs)
    passed = ref.layers.Activation("relu")(x)
    dense = ref.layers.Dense(3)(x)
    return x, passed, dense


def test_mask_generating_and_propagating_layers_attach_symbolic_masks(backend):
    ref_x, ref_passed, _ = _keras_symbolic_masks()
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(50, 4, mask_zero=True)(inputs)
    passed = _PassMask()(x)
    for got, want in ((x, ref_x), (passed, ref_passed)):
        assert got._keras_mask.shape == want._keras_mask.shape == (None, None)
        assert got._keras_mask.dtype == want._keras_mask.dtype == "bool"
    assert getattr(inputs, "_keras_mask", None) is None


def test_layer_with_compute_mask_splits_the_symbolic_mask(backend):
    inputs = keras.Input(shape=(6,), dtype="int32")
    x = layers.Embedding(50, 4, mask_zero=True)(inputs)
    first, second = _SplitInTwo()(x)
    assert first._keras_mask.shape == second._keras_mask.shape == (None, 3)


def test_masked_functional_model_runs_with_runtime_masks(backend):
    # The symbolic masks describe the graph; the model computes real ones.
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(5,), dtype="int32")
    x = layers.Embedding(20, 3, mask_zero=True)(inputs)
    x = _PassMask()(x)
    outputs = layers.GlobalAveragePooling1D()(x)
    model = keras.Model(inputs, outputs)
    data = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 7]])
    got = np.asarray(model.predict(data, verbose=0))
    table = np.maximum(model.get_weights()[0], 0)
    want = np.stack([table[[1, 2]].mean(0), table[[3, 4, 5, 6, 7]].mean(0)])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_layers_without_masks_give_unmasked_symbolic_tensors(backend):
    _, _, ref_dense = _keras_symbolic_masks()
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(50, 4, mask_zero=True)(inputs)
    dense = layers.Dense(3)(x)   # Dense supports masking in Keras 3
    assert (getattr(dense, "_keras_mask", None) is None) == \
        (getattr(ref_dense, "_keras_mask", None) is None)
    plain = layers.Dense(3)(keras.Input((4,)))
    assert getattr(plain, "_keras_mask", None) is None


class _MaskedTimeSoftmax(keras.layers.Layer):
    """A mask consumer: it needs its mask in the symbolic call too."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            raise AssertionError("the layer was called without its mask")
        weights = ops.cast(ops.expand_dims(mask, -1), inputs.dtype)
        exp = ops.exp(inputs) * weights
        return exp / ops.sum(exp, axis=1, keepdims=True)


def test_mask_consumer_gets_the_mask_in_symbolic_and_real_calls(backend):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(10, 2, mask_zero=True)(inputs)
    outputs = _MaskedTimeSoftmax()(x)
    assert outputs.shape == (None, None, 2)
    model = keras.Model(inputs, outputs)
    data = np.array([[1, 2, 0], [3, 0, 0]])
    got = np.asarray(model.predict(data, verbose=0))
    table = model.get_weights()[0]
    exp = np.exp(table[data]) * (data > 0)[..., None]
    np.testing.assert_allclose(got, exp / exp.sum(1, keepdims=True), rtol=1e-5, atol=1e-6)
