"""The quantization configs, as keras.quantizers: what `model.quantize` and
layers' `quantize` are asked to do. `Int8QuantizationConfig`,
`Int4QuantizationConfig` and `Float8QuantizationConfig` name a mode and its
quantizers; `GPTQConfig` and `AWQConfig` carry the calibration settings of
those algorithms (the algorithms live in their own modules)."""
from kerasx.dtype_policies.dtype_policy import QUANTIZATION_MODES


def _serialize(obj):
    from kerasx.saving.serialization import serialize_keras_object
    return serialize_keras_object(obj)


def _deserialize(config):
    from kerasx.saving.serialization import deserialize_keras_object
    return deserialize_keras_object(config)


class QuantizationConfig:
    """Base class of quantization configs, as
    keras.quantizers.QuantizationConfig: a weight quantizer and an
    activation quantizer (None: the mode's default), and the `mode` a
    subclass names.

    Args:
        weight_quantizer: the quantizer of the weights, or None.
        activation_quantizer: the quantizer of the inputs, or None.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer=None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self):
        """The quantization mode ("int8", "int4", "float8", "gptq", "awq").

        Raises:
            NotImplementedError: on the base class.
        """
        raise NotImplementedError("Subclasses must implement this property. Do not "
                                  "instantiate QuantizationConfig directly.")

    def get_config(self):
        """The serialized weight and activation quantizers."""
        return {"weight_quantizer": _serialize(self.weight_quantizer),
                "activation_quantizer": _serialize(self.activation_quantizer)}

    @classmethod
    def from_config(cls, config):
        """The config a `get_config()` dict describes."""
        return cls(weight_quantizer=_deserialize(config.get("weight_quantizer")),
                   activation_quantizer=_deserialize(config.get("activation_quantizer")))

    @staticmethod
    def weight_quantizer_or_default(config, default):
        """`config`'s weight quantizer, or `default` when there is none."""
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        """`config`'s activation quantizer (None included), or `default`
        without a config."""
        if config is not None:
            return config.activation_quantizer
        return default


class Int8QuantizationConfig(QuantizationConfig):
    """Int8 quantization, as keras.quantizers.Int8QuantizationConfig.

    Args:
        weight_quantizer: the weights' quantizer (None: the layer's default,
            abs-max per output channel).
        activation_quantizer: the inputs' quantizer; "default" for
            `AbsMaxQuantizer()` (per row along the last axis), None for
            weight-only quantization.

    Raises:
        ValueError: when the weight quantizer's output_dtype is not "int8".
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default"):
        from kerasx.quantizers.quantizers import AbsMaxQuantizer
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if self.weight_quantizer is not None and self.weight_quantizer.output_dtype != "int8":
            raise ValueError("Int8QuantizationConfig requires a weight_quantizer with "
                             "output_dtype='int8'. Received: "
                             f"output_dtype={self.weight_quantizer.output_dtype}")

    @property
    def mode(self):
        """"int8"."""
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """Int4 quantization, as keras.quantizers.Int4QuantizationConfig.

    Args:
        weight_quantizer: the weights' quantizer (value_range (-8, 7),
            output_dtype "int8"), only with per-channel scales.
        activation_quantizer: "default" (None: int4 is weight-only by
            default) or a quantizer, only with per-channel scales.
        block_size: rows per group of sub-channel scales (128 by default);
            None or -1 for one scale per output channel.

    Raises:
        ValueError: for a block_size of 0 or below -1, custom quantizers with
            sub-channel groups, or a weight quantizer with another range or
            output dtype.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default", block_size=128):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError("block_size must be None, -1, or a positive integer. "
                             f"Received: block_size={block_size}")
        self.block_size = block_size
        sub_channel = block_size is not None and block_size > 0
        if sub_channel and (self.weight_quantizer is not None
                            or self.activation_quantizer is not None):
            raise ValueError("Int4 sub-channel quantization (block_size > 0) does not "
                             "support custom quantizers. Either set block_size to None or "
                             "-1 for per-channel quantization, or remove the custom "
                             f"quantizer arguments. Received: block_size={block_size}")
        if self.weight_quantizer is not None:
            if tuple(self.weight_quantizer.value_range) != (-8, 7):
                raise ValueError("Int4QuantizationConfig requires a weight_quantizer with "
                                 "value_range=(-8, 7). Received: "
                                 f"value_range={self.weight_quantizer.value_range}")
            if self.weight_quantizer.output_dtype != "int8":
                raise ValueError("Int4QuantizationConfig requires a weight_quantizer with "
                                 "output_dtype='int8'. Received: "
                                 f"output_dtype={self.weight_quantizer.output_dtype}")

    @property
    def mode(self):
        """"int4"."""
        return "int4"

    def get_config(self):
        """The quantizers and block_size."""
        return dict(super().get_config(), block_size=self.block_size)

    @classmethod
    def from_config(cls, config):
        """The config a `get_config()` dict describes (no block_size, from
        older files: per-channel)."""
        return cls(weight_quantizer=_deserialize(config.get("weight_quantizer")),
                   activation_quantizer=_deserialize(config.get("activation_quantizer")),
                   block_size=config.get("block_size", None))


class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training, as keras.quantizers.Float8QuantizationConfig: no
    custom quantizers; it only selects the "float8" mode."""

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self):
        """"float8"."""
        return "float8"

    def get_config(self):
        """{} (nothing to configure)."""
        return {}

    @classmethod
    def from_config(cls, config):
        """A Float8QuantizationConfig."""
        return cls()


def _check_calibration(num_samples, sequence_length, group_size, group_meaning):
    if num_samples <= 0:
        raise ValueError("num_samples must be a positive integer.")
    if sequence_length <= 0:
        raise ValueError("sequence_length must be a positive integer.")
    if group_size < -1 or group_size == 0:
        raise ValueError(f"Invalid group_size. Supported values are -1 ({group_meaning}) "
                         f"or a positive integer, but got {group_size}.")


class GPTQConfig(QuantizationConfig):
    """The settings of GPTQ post-training quantization, as
    keras.quantizers.GPTQConfig: calibration data and the quantization
    grid. `dataset` and `tokenizer` are used once, for calibration, and are
    not saved in the config.

    Args:
        dataset: the calibration data (strings, or token arrays).
        tokenizer: a callable that turns the dataset's strings into tokens.
        weight_bits: 2, 3, 4 (default) or 8.
        num_samples: calibration samples to use (128).
        per_channel: one scale per output channel (True).
        sequence_length: tokens per calibration sample (512).
        hessian_damping: fraction of the Hessian's mean diagonal added for
            stability, in [0, 1] (0.01).
        group_size: columns per scale group, or -1 for whole rows (128).
        symmetric: symmetric quantization (False).
        activation_order: quantize columns by decreasing activation
            importance (False).
        quantization_layer_structure: {"pre_block_layers": [...],
            "sequential_blocks": [...]}, or None for the model's own.

    Raises:
        ValueError: for unsupported weight_bits, a non-positive num_samples
            or sequence_length, a hessian_damping outside [0, 1], or a
            group_size of 0 or below -1.
    """

    def __init__(self, dataset, tokenizer, *, weight_bits=4, num_samples=128, per_channel=True,
                 sequence_length=512, hessian_damping=0.01, group_size=128, symmetric=False,
                 activation_order=False, quantization_layer_structure=None):
        super().__init__()
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError(f"Unsupported weight_bits {weight_bits}. Supported values are "
                             "2, 3, 4, and 8.")
        if num_samples <= 0:
            raise ValueError("num_samples must be a positive integer.")
        if sequence_length <= 0:
            raise ValueError("sequence_length must be a positive integer.")
        if hessian_damping < 0 or hessian_damping > 1:
            raise ValueError("hessian_damping must be between 0 and 1.")
        if group_size < -1 or group_size == 0:
            raise ValueError("Invalid group_size. Supported values are -1 (whole-tensor) "
                             f"or a positive integer, but got {group_size}.")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.num_samples = num_samples
        self.per_channel = per_channel
        self.sequence_length = sequence_length
        self.hessian_damping = hessian_damping
        self.weight_bits = weight_bits
        self.group_size = group_size
        self.symmetric = symmetric
        self.activation_order = activation_order
        self.quantization_layer_structure = quantization_layer_structure

    def get_config(self):
        """The settings. Dataset, tokenizer and the layer structure serve only
        the one-time calibration and hold objects that are not config (Keras
        writes the structure and then cannot save a model that used one):
        they are written as None."""
        return {"dataset": None, "tokenizer": None, "weight_bits": self.weight_bits,
                "num_samples": self.num_samples, "per_channel": self.per_channel,
                "sequence_length": self.sequence_length,
                "hessian_damping": self.hessian_damping, "group_size": self.group_size,
                "symmetric": self.symmetric, "activation_order": self.activation_order,
                "quantization_layer_structure": None}

    @classmethod
    def from_config(cls, config):
        """The config a `get_config()` dict describes."""
        return cls(**config)

    @property
    def mode(self):
        """"gptq"."""
        return "gptq"

    def dtype_policy_string(self):
        """The mode part of the layers' policy names: "gptq/<bits>/<group_size>"."""
        return f"gptq/{self.weight_bits}/{self.group_size}"


class AWQConfig(QuantizationConfig):
    """The settings of AWQ (activation-aware weight quantization), as
    keras.quantizers.AWQConfig. `dataset` and `tokenizer` are used once,
    for calibration, and are not saved in the config.

    Args:
        dataset: the calibration data.
        tokenizer: a callable that turns the dataset's strings into tokens.
        weight_bits: 4 (AWQ quantizes to 4 bits only).
        num_samples: calibration samples to use (128).
        sequence_length: tokens per calibration sample (512).
        group_size: columns per scale group, or -1 per channel (128).
        num_grid_points: points of the per-channel scale search (20).
        quantization_layer_structure: {"pre_block_layers": [...],
            "sequential_blocks": [...]}, or None for the model's own.

    Raises:
        ValueError: for weight_bits other than 4, a non-positive
            num_samples, sequence_length or num_grid_points, or a group_size
            of 0 or below -1.
    """

    def __init__(self, dataset, tokenizer, *, weight_bits=4, num_samples=128,
                 sequence_length=512, group_size=128, num_grid_points=20,
                 quantization_layer_structure=None):
        super().__init__()
        if weight_bits != 4:
            raise ValueError("AWQ only supports 4-bit quantization. "
                             f"Received weight_bits={weight_bits}.")
        _check_calibration(num_samples, sequence_length, group_size, "per-channel")
        if num_grid_points <= 0:
            raise ValueError("num_grid_points must be a positive integer.")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.weight_bits = weight_bits
        self.num_samples = num_samples
        self.sequence_length = sequence_length
        self.group_size = group_size
        self.num_grid_points = num_grid_points
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self):
        """"awq"."""
        return "awq"

    def dtype_policy_string(self):
        """The mode part of the layers' policy names: "awq/<bits>/<group_size>"."""
        return f"awq/{self.weight_bits}/{self.group_size}"

    def get_config(self):
        """The settings. Dataset, tokenizer and the layer structure serve only
        the one-time calibration and hold objects that are not config (Keras
        writes the structure and then cannot save a model that used one):
        they are written as None."""
        return {"dataset": None, "tokenizer": None, "weight_bits": self.weight_bits,
                "num_samples": self.num_samples, "sequence_length": self.sequence_length,
                "group_size": self.group_size, "num_grid_points": self.num_grid_points,
                "quantization_layer_structure": None}

    @classmethod
    def from_config(cls, config):
        """The config a `get_config()` dict describes."""
        return cls(**config)


def _validate_mode(mode):
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                         f"Received: mode={mode}")


def validate_and_resolve_config(mode, config):
    """The QuantizationConfig that `quantize(mode, config=...)` means, as
    Keras: a string config is a mode; no config gives the mode's default
    config (int8, int4, float8); GPTQ and AWQ need their config objects.

    Raises:
        ValueError: for an unknown mode, neither mode nor config, GPTQ/AWQ
            without their config, a config that is not a QuantizationConfig,
            or a mode that contradicts the config's.
    """
    if isinstance(config, str):
        mode, config = config, None
    _validate_mode(mode)
    if config is None:
        defaults = {"int8": Int8QuantizationConfig, "int4": Int4QuantizationConfig,
                    "float8": Float8QuantizationConfig}
        if mode in defaults:
            config = defaults[mode]()
        elif mode == "gptq":
            raise ValueError("For GPTQ, you must pass a `GPTQConfig` object in the "
                             "`config` argument.")
        elif mode == "awq":
            raise ValueError("For AWQ, you must pass an `AWQConfig` object in the "
                             "`config` argument.")
        else:
            raise ValueError("You must provide either `mode` or `config` to `quantize`.")
    elif not isinstance(config, QuantizationConfig):
        raise ValueError("Argument `config` must be an instance of `QuantizationConfig`. "
                         f"Received: config={config} (of type {type(config)})")
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but "
                         f"config.mode='{config.mode}'")
    _validate_mode(config.mode)
    if config.mode == "gptq" and not isinstance(config, GPTQConfig):
        raise ValueError("Mode 'gptq' requires a valid `config` argument of type "
                         f"`GPTQConfig`. Received: {type(config)}")
    if config.mode == "awq" and not isinstance(config, AWQConfig):
        raise ValueError("Mode 'awq' requires a valid `config` argument of type "
                         f"`AWQConfig`. Received: {type(config)}")
    return config
