"""The quantization methods every Layer has (Keras's `Layer.quantize`,
`quantization_mode`, `quantized_build`, `quantized_call`, the argument
checks), and the helpers the quantizable layers use for their config.

The per-mode work is done by the handlers of `modes.py`; a layer declares
which handlers apply to it with the class attribute `quantization_kind`.
"""
from kerasx.backend import native_types
from kerasx.layers.quantization import modes


def quantization_modes():
    """Keras's QUANTIZATION_MODES (the modes `quantize` accepts)."""
    from kerasx.dtype_policies import QUANTIZATION_MODES
    return QUANTIZATION_MODES


class QuantizationMethods:
    """Mixin of `Layer`: quantization as Keras 3's Layer has it.

    A layer class opts in with `quantization_kind = "<kind>"` (in the class
    itself: a subclass of a quantizable layer is refused unless
    `type_check=False`, as in Keras) and by calling `quantized_build` from
    its `build` and dispatching its `call` while `_quantization` is set.
    """

    #: The handler of the layer's quantized mode (None: not quantized).
    _quantization = None
    #: The quantization config given to `quantize` (or read from a file).
    quantization_config = None

    @property
    def quantization_mode(self):
        """The quantization mode of this layer, None if not quantized."""
        policy = self._dtype_policy
        if policy is None:
            return None
        if hasattr(policy, "_policy_map") and self.path:  # a DTypePolicyMap
            policy = policy[self.path]
        return getattr(policy, "quantization_mode", None)

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantize the layer's weights in place (Keras's `layer.quantize`).

        Args:
            mode: "int8", "int4", "float8" (and the modes registered in
                kerasx.layers.quantization); optional when `config` is given.
            type_check: refuse subclasses of the quantizable layers.
            config: a `kerasx.quantizers.QuantizationConfig`.

        Raises:
            ValueError: an unknown mode, a missing or contradictory config,
                an unbuilt or already quantized layer, int8 with float16
                compute dtype.
            NotImplementedError: a layer (or mode) without quantization.
        """
        from kerasx.quantizers.quantization_config import validate_and_resolve_config
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        self._check_quantize_args(mode, self.compute_dtype)
        handler = self._quantization_handler(mode, type_check)
        self.quantization_config = config
        handler.quantize(self, config)
        modes.set_handler(self, handler)
        object.__setattr__(self, "_is_quantized", True)
        if self.quantization_mode is None:
            from kerasx import dtype_policies
            self.dtype_policy = dtype_policies.get(
                f"{handler.policy_name(self, config)}_from_{self.dtype_policy.name}")

    def _quantize_for_policy(self, value):
        """As Keras: giving a built float layer a quantized dtype policy
        quantizes it (with the mode's default config).

        Raises:
            ValueError: for a GPTQ policy, which needs a calibration config.
        """
        mode = self.quantization_mode
        if mode is None or not self.built or getattr(self, "_is_quantized", False):
            return
        if mode == "gptq":
            raise ValueError(
                "Implicitly enabling GPTQ quantization by setting `dtype_policy` to "
                f"'{value}' is not supported. GPTQ requires a calibration dataset and a "
                "`GPTQConfig` object.\n\nPlease use the `.quantize('gptq', config=...)` "
                "method on the layer or model instead.")
        self.quantize(mode)

    def _quantization_handler(self, mode, type_check=True):
        cls = native_types.kerasx_class(self)
        kind = cls.__dict__.get("quantization_kind") if type_check else \
            getattr(cls, "quantization_kind", None)
        if kind is None:
            raise NotImplementedError(f"Layer {cls.__name__} does not have a `quantize` "
                                      "method implemented.")
        handler = modes.handler(mode, kind)
        if handler is None:
            raise self._quantization_mode_error(mode)
        return handler

    def _quantization_mode_error(self, mode):
        supported = getattr(native_types.kerasx_class(self), "quantization_modes_supported",
                            None) or quantization_modes()
        return NotImplementedError(f"Invalid quantization mode. Expected one of "
                                   f"{tuple(supported)}. Received: quantization_mode={mode}")

    def _check_quantize_args(self, mode, compute_dtype):
        if not self.built:
            raise ValueError(
                "Cannot quantize a layer that isn't yet built. Layer "
                f"'{self.name}' (of type '{native_types.kerasx_class(self).__name__}') "
                "is not built yet.")
        if getattr(self, "_is_quantized", False):
            raise ValueError(f"Layer '{self.name}' is already quantized with "
                             f"dtype_policy='{self.dtype_policy.name}'. Received: "
                             f"mode={mode}")
        if mode not in quantization_modes():
            raise ValueError(f"Invalid quantization mode. Expected one of "
                             f"{quantization_modes()}. Received: mode={mode}")
        if mode == "int8" and compute_dtype == "float16":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype="
                "'float16'. Consider loading model/layer with another dtype policy "
                "such as 'mixed_bfloat16' or 'mixed_float16' before calling "
                "`quantize()`.")

    def quantized_build(self, shape, mode, config=None):
        """Create the quantized variables of `mode` for a float weight of
        `shape` (called by `build` when the dtype policy is quantized).

        Returns:
            The mode's handler.
        """
        handler = self._quantization_handler(mode, type_check=False)
        handler.build(self, tuple(shape), config)
        modes.set_handler(self, handler)
        object.__setattr__(self, "_is_quantized", True)
        return handler

    def _build_quantized_if_needed(self, shape):
        """From `build`: the quantized variables when the layer's policy is
        quantized. Returns True when the float weight must still be made."""
        mode = self.quantization_mode
        if mode is None:
            return True
        handler = self.quantized_build(shape, mode, self.quantization_config)
        return handler.keeps_float_weight

    def quantized_call(self, *args, **kwargs):
        """The forward pass in the layer's quantization mode."""
        handler = self._quantization
        if handler is None:
            raise self._quantization_mode_error(self.quantization_mode)
        return handler.call(self, *args, **kwargs)

    def _variables_in_save_order(self):
        """The layer's own variables in Keras's saved order (None: the
        default, trainable then non-trainable)."""
        handler = self._quantization
        if handler is None:
            return None
        return [getattr(self, name) for name in handler.variable_order
                if getattr(self, name, None) is not None]


def serialize_quantization_config(config):
    """A QuantizationConfig as Keras writes it in a layer config (None stays None)."""
    if config is None:
        return None
    from kerasx import quantizers
    return quantizers.serialize(config)


def deserialize_quantization_config(config):
    """The QuantizationConfig a layer config holds (a dict from Keras or
    kerasx, or already an object)."""
    if config is None or not isinstance(config, dict):
        return config
    from kerasx import quantizers
    return quantizers.deserialize(config)


def from_config_with_quantization(config, construct):
    """`construct(config)` (the base from_config) with the config's
    `quantization_config` set on the layer before it is built."""
    config = dict(config)
    quantization_config = deserialize_quantization_config(
        config.pop("quantization_config", None))
    layer = construct(config)
    layer.quantization_config = quantization_config
    return layer
