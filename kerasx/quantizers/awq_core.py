"""AWQ over a model (Keras 3's `awq_core`): the calibration pass that
records the largest |input| of each input channel of each quantizable
layer, block by block, and the lookup of a layer's AWQ group size."""
from kerasx.quantizers.awq import AWQ
from kerasx.quantizers.calibration import (calibrate_blocks, check_calibration_config,
                                           get_dataloader)


def awq_quantize(config, quantization_layer_structure, filters=None):
    """Calibrate and quantize, with AWQ, the layers already put in "awq"
    mode by `layer.quantize("awq", config)`.

    Args:
        config: an AWQConfig with its dataset (and tokenizer for strings).
        quantization_layer_structure: {"pre_block_layers": [...],
            "sequential_blocks": [...]}.
        filters: the layer filters of `Model.quantize`.

    Raises:
        ValueError: no dataset, no structure, no blocks, strings without a
            tokenizer, too few tokens.
    """
    check_calibration_config(config, quantization_layer_structure, "AWQ")
    samples = get_dataloader(config.tokenizer, config.sequence_length, config.dataset,
                             num_samples=config.num_samples)
    calibrate_blocks(
        samples[:config.num_samples], config.num_samples, quantization_layer_structure,
        "awq", filters,
        start=lambda layer: AWQ(layer._quantization.calibration_matrix(layer), config),
        observe=lambda state, x: state.update_activation_magnitudes(x.reshape(-1, state.rows)))


def get_group_size_for_layer(layer, config):
    """The AWQ group size of `layer` (-1: per channel): from `config` (an
    AWQConfig) when given, else from its AWQDTypePolicy.

    Raises:
        ValueError: neither says it.
    """
    if config is not None and getattr(config, "mode", None) == "awq":
        return config.group_size
    policy = layer.dtype_policy
    if hasattr(policy, "_policy_map"):
        policy = policy[layer.path]
    if getattr(policy, "quantization_mode", None) == "awq":
        return policy.group_size
    raise ValueError("For AWQ quantization, group_size must be specified through AWQConfig "
                     "or AWQDTypePolicy.")
