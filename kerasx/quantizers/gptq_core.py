"""GPTQ over a model (Keras 3's `gptq_core`): the calibration pass that
feeds each quantizable layer's inputs into its Hessian, block by block,
and the lookups of a layer's GPTQ bit width and group size."""
from kerasx.quantizers.calibration import (calibrate_blocks, check_calibration_config,
                                           get_dataloader)
from kerasx.quantizers.gptq import GPTQ


def gptq_quantize(config, quantization_layer_structure, filters=None):
    """Calibrate and quantize, with GPTQ, the layers already put in "gptq"
    mode by `layer.quantize("gptq", config)` (what `Model.quantize("gptq")`
    does first).

    Args:
        config: a GPTQConfig with its dataset (and tokenizer for strings).
        quantization_layer_structure: {"pre_block_layers": [...],
            "sequential_blocks": [...]}.
        filters: the layer filters of `Model.quantize`.

    Raises:
        ValueError: no dataset, no structure, no blocks, strings without a
            tokenizer, too few tokens.
    """
    check_calibration_config(config, quantization_layer_structure, "GPTQ")
    samples = get_dataloader(config.tokenizer, config.sequence_length, config.dataset,
                             num_samples=config.num_samples)
    calibrate_blocks(
        samples[:config.num_samples], config.num_samples, quantization_layer_structure,
        "gptq", filters,
        start=lambda layer: GPTQ(layer._quantization.calibration_matrix(layer), config),
        observe=lambda state, x: state.update_hessian_with_batch(x.reshape(-1, state.rows)))


def _policy_of(layer):
    policy = layer.dtype_policy
    if hasattr(policy, "_policy_map"):  # a DTypePolicyMap: the layer's entry
        policy = policy[layer.path]
    return policy


def _setting(layer, config, name):
    if config is not None and getattr(config, "mode", None) == "gptq":
        return getattr(config, name)
    policy = _policy_of(layer)
    if getattr(policy, "quantization_mode", None) == "gptq":
        return getattr(policy, name)
    raise ValueError(f"For GPTQ quantization, the {name} must be specified either through a "
                     "`dtype_policy` of type `GPTQDTypePolicy` or the `config` argument.")


def get_weight_bits_for_layer(layer, config):
    """The GPTQ bit width of `layer`: from `config` (a GPTQConfig) when
    given, else from its GPTQDTypePolicy (a loaded layer).

    Raises:
        ValueError: neither says it.
    """
    return _setting(layer, config, "weight_bits")


def get_group_size_for_layer(layer, config):
    """The GPTQ group size of `layer` (-1: one group), from `config` or its
    GPTQDTypePolicy.

    Raises:
        ValueError: neither says it.
    """
    return _setting(layer, config, "group_size")
