"""The GPTQ/AWQ calibration samples (kerasx/quantizers/calibration.py)
against Keras 3's `get_dataloader`, and the calibration pass's errors."""
import numpy as np
import pytest

from kerasx.quantizers import calibration


class _Tokenizer:
    """Characters to ids, as a keras_hub tokenizer's `tokenize`."""

    def tokenize(self, text):
        return np.array([ord(c) % 50 for c in text], np.int32)


def _keras_loader(*args, **kwargs):
    from keras.src.quantizers.gptq_core import get_dataloader
    return np.asarray(get_dataloader(*args, **kwargs))


@pytest.mark.parametrize("strategy", ["strided", "linspace", "random"])
def test_token_arrays_match_keras(backend, strategy):
    from kerasx import ops
    rng = np.random.default_rng(0)
    dataset = [rng.integers(0, 100, size=n) for n in (7, 13, 4)]
    tensors = [ops.convert_to_tensor(d.astype("int32")) for d in dataset]
    for num_samples, length in ((3, 5), (10, 6)):  # the second repeats the tokens
        expected = _keras_loader(None, length, dataset, num_samples=num_samples,
                                 strategy=strategy, seed=3)
        actual = calibration.get_dataloader(None, length, tensors, num_samples=num_samples,
                                            strategy=strategy, seed=3)
        assert actual.shape == (num_samples, 1, length) and actual.dtype == np.int32
        np.testing.assert_array_equal(actual, expected)


def test_strings_match_keras(backend):
    texts = ["hello world", "kerasx calibrates", "gptq"]
    expected = _keras_loader(_Tokenizer(), 4, texts, num_samples=5, eos_id=0)
    actual = calibration.get_dataloader(_Tokenizer(), 4, texts, num_samples=5, eos_id=0)
    np.testing.assert_array_equal(actual, expected)
    # A plain callable tokenizes too.
    actual = calibration.get_dataloader(_Tokenizer().tokenize, 4, texts, num_samples=5,
                                        eos_id=0)
    np.testing.assert_array_equal(actual, expected)


def test_dataloader_errors():
    with pytest.raises(TypeError, match="iterable"):
        calibration.get_dataloader(None, 4, "some text")
    with pytest.raises(TypeError, match="iterable"):
        calibration.get_dataloader(None, 4, 12)
    with pytest.raises(ValueError, match="empty"):
        calibration.get_dataloader(None, 4, [])
    with pytest.raises(ValueError, match="tokenizer"):
        calibration.get_dataloader(None, 4, ["text"])
    with pytest.raises(ValueError, match="Unknown strategy"):
        calibration.get_dataloader(None, 2, [np.arange(8)], num_samples=2, strategy="every")


def test_calibration_config_errors():
    class Config:
        dataset = None
    with pytest.raises(ValueError, match="requires a calibration dataset"):
        calibration.check_calibration_config(Config(), {}, "GPTQ")
    Config.dataset = [np.arange(4)]
    with pytest.raises(ValueError, match="quantization structure"):
        calibration.check_calibration_config(Config(), None, "AWQ")
    with pytest.raises(ValueError, match="No sequential blocks"):
        calibration.calibrate_blocks([], 1, {"pre_block_layers": []}, "gptq", None,
                                     None, None)


def test_layer_settings_from_config_or_policy(backend):
    import kerasx
    from kerasx.quantizers import awq_core, gptq_core
    layer = kerasx.layers.Dense(3, dtype="gptq/8/32_from_float32")
    assert gptq_core.get_weight_bits_for_layer(layer, None) == 8
    assert gptq_core.get_group_size_for_layer(layer, None) == 32
    config = kerasx.quantizers.GPTQConfig(dataset=None, tokenizer=None, weight_bits=3,
                                          group_size=-1)
    assert gptq_core.get_weight_bits_for_layer(layer, config) == 3
    assert gptq_core.get_group_size_for_layer(layer, config) == -1
    awq_layer = kerasx.layers.Dense(3, dtype="awq/4/16_from_float32")
    assert awq_core.get_group_size_for_layer(awq_layer, None) == 16
    plain = kerasx.layers.Dense(3)
    with pytest.raises(ValueError, match="weight_bits"):
        gptq_core.get_weight_bits_for_layer(plain, None)
    with pytest.raises(ValueError, match="group_size"):
        awq_core.get_group_size_for_layer(layer, None)
