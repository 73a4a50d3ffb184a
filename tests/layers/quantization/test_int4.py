"""int4 quantization (packed two per byte) of Dense, EinsumDense and
Embedding against Keras 3 (TensorFlow backend): per channel (block_size
None), sub-channel with Keras's default block of 128 (one group at these
sizes), and small blocks (several groups, the last one padded)."""
import numpy as np
import pytest

import kerasx
from tests.layers.quantization import parity

BLOCKS = [None, 128, 4]


def _configs(block_size):
    import keras
    if block_size == 128:
        return None, None  # mode "int4": Keras's default config
    return (kerasx.quantizers.Int4QuantizationConfig(block_size=block_size),
            keras.quantizers.Int4QuantizationConfig(block_size=block_size))


def _twins(build, block_size):
    config, keras_config = _configs(block_size)
    mode = "int4" if config is None else None
    return parity.twins(build, mode, config=config, keras_config=keras_config)


@pytest.mark.parametrize("block_size", BLOCKS)
def test_dense(backend, block_size):
    ref, model = _twins(parity.dense_model, block_size)
    for ref_layer, layer in zip(ref.layers, model.layers):
        parity.assert_same_variables(ref_layer, layer)
        assert layer.dtype_policy.name == ref_layer.dtype_policy.name
    x = parity.data((4, 6))
    parity.assert_close(model.predict(x, verbose=0), ref.predict(x, verbose=0), "output")
    y = parity.data((4, 3), seed=2)
    ref_losses, losses = parity.train_both(ref, model, x, y, steps=3)
    parity.assert_close(losses, ref_losses, "losses", atol=1e-5)
    for ref_layer, layer in zip(ref.layers, model.layers):
        parity.assert_same_variables(ref_layer, layer)


@pytest.mark.parametrize("block_size", BLOCKS)
def test_einsum_dense(backend, block_size):
    ref, model = _twins(parity.einsum_model, block_size)
    parity.assert_same_variables(ref.layers[0], model.layers[0])
    x = parity.data((3, 2, 6))
    parity.assert_close(model(x), ref(x), "output")
    y = parity.data((3, 2, 4, 3), seed=2)
    ref_losses, losses = parity.train_both(ref, model, x, y, steps=2)
    parity.assert_close(losses, ref_losses, "losses", atol=1e-5)


@pytest.mark.parametrize("block_size", BLOCKS)
def test_embedding(backend, block_size):
    ref, model = _twins(parity.embedding_model, block_size)
    parity.assert_same_variables(ref.layers[0], model.layers[0])
    ids = np.array([[1, 2, 9], [0, 5, 5]], "int32")
    parity.assert_close(model(ids), ref(ids), "output")


def test_odd_units_packing(backend):
    """An odd number of output units packs with a zero nibble (5 -> 3 bytes)."""
    def build(lib):
        return lib.Sequential([lib.Input((4,)), lib.layers.Dense(5, name="d")])

    ref, model = parity.twins(build, "int4")
    assert tuple(model.layers[0].kernel.shape) == (4, 3)
    parity.assert_same_variables(ref.layers[0], model.layers[0])
    x = parity.data((2, 4))
    parity.assert_close(model(x), ref(x), "output")


def test_built_from_policy(backend):
    import keras
    for name in ("int4/-1_from_float32", "int4/2_from_float32"):
        layer = kerasx.layers.Dense(4, dtype=name)
        layer.build((None, 5))
        ref = keras.layers.Dense(4, dtype=name)
        ref.build((None, 5))
        parity.assert_same_variables(ref, layer)
