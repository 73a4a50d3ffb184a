"""The quantized dtype policies, as keras.dtype_policies: a layer whose
weights are quantized ("int8", "int4", "float8", "gptq", "awq") keeps the
float policy it came from (`source_name`) for its compute and variable
dtypes. Names read "<mode>_from_<source>": "int8_from_float32",
"float8_from_mixed_float16", "int4/128_from_float32",
"gptq/4/128_from_float32", "awq/4/128_from_float32"."""
from kerasx.dtype_policies.dtype_policy import QUANTIZATION_MODES, DTypePolicy, dtype_policy


class QuantizedDTypePolicy(DTypePolicy):
    """The policy of a quantized layer, as
    keras.dtype_policies.QuantizedDTypePolicy.

    Args:
        mode: the quantization mode, one of QUANTIZATION_MODES ("int8",
            "float8", "int4", "gptq", "awq").
        source_name: the float policy the layer had ("float32",
            "mixed_float16", ...); None: the global policy's name.

    Raises:
        ValueError: for an unknown mode, for "int8" with float16 computation,
            or for a source name that is not a float policy.
    """

    def __init__(self, mode, source_name=None):
        if source_name is None:
            source_name = dtype_policy().name
        self._compute_dtype, self._variable_dtype = self._parse_name(source_name)
        self._check_quantization_mode(mode, self._compute_dtype)
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    @staticmethod
    def _check_quantization_mode(mode, compute_dtype):
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of "
                             f"{QUANTIZATION_MODES}. Received: mode={mode}")
        if compute_dtype == "float16" and mode == "int8":
            raise ValueError(f"Quantization mode='{mode}' doesn't work well with "
                             "compute_dtype='float16'.")

    @property
    def source_name(self):
        """The name of the float policy the quantized layer came from."""
        return self._source_name

    def __eq__(self, other):
        if type(other) is not type(self):
            return False
        return (self._name == other._name
                and self._quantization_mode == other._quantization_mode
                and self._source_name == other._source_name)

    def __hash__(self):
        return hash((type(self).__name__, self._name))

    def __repr__(self):
        return f'<{type(self).__name__} "{self._name}">'

    def get_config(self):
        """{"mode", "source_name"} (Keras's config)."""
        return {"mode": self._quantization_mode, "source_name": self._source_name}


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The policy of a float8-trained layer, as
    keras.dtype_policies.QuantizedFloat8DTypePolicy: a QuantizedDTypePolicy
    with the length of the amax history used for delayed scaling.

    Args:
        mode: "float8".
        source_name: the float policy (None: the global one).
        amax_history_length: how many past amax values the layer keeps.

    Raises:
        TypeError: when `amax_history_length` is not an int.
        ValueError: as QuantizedDTypePolicy.
    """

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int):
            raise TypeError("`amax_history_length` must be an integer. "
                            f"Received: amax_history_length={amax_history_length}")
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        """The length of the amax history window (float8 scaling)."""
        return self._amax_history_length

    def __eq__(self, other):
        return super().__eq__(other) and \
            self._amax_history_length == other._amax_history_length

    __hash__ = QuantizedDTypePolicy.__hash__

    def get_config(self):
        """{"mode", "source_name", "amax_history_length"}."""
        return dict(super().get_config(), amax_history_length=self.amax_history_length)


def _parse_mode(mode, algorithm, fields, cls_name):
    """The integer fields of "algorithm/<a>/<b>"; ValueError naming the
    expected format otherwise."""
    expected = "'" + "/".join([algorithm] + [f"<{f}>" for f in fields]) + "'"
    parts = mode.split("/") if isinstance(mode, str) else []
    if len(parts) != len(fields) + 1 or parts[0] != algorithm:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format {expected}, but "
                         f"got '{mode}'.")
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        names = " and ".join(f"<{f}>" for f in fields)
        verb = "must be integers" if len(fields) > 1 else "must be an integer"
        raise ValueError(f"Invalid mode for {cls_name}. {names} {verb}. Expected format "
                         f"{expected}, but got '{mode}'.") from None


def _check_group(value, what, mode, meaning):
    if value < -1 or value == 0:
        raise ValueError(f"Invalid {what} in mode. Supported values are -1 ({meaning}) or "
                         f"a positive integer{' (sub-channel)' if what == 'block_size' else ''}"
                         f", but got {value} from '{mode}'.")


class Int4DTypePolicy(QuantizedDTypePolicy):
    """The policy of an int4 layer with its block size, as
    keras.dtype_policies.Int4DTypePolicy.

    Args:
        mode: "int4/<block_size>": -1 for per-channel scales, a positive
            block size for sub-channel groups ("int4/128").
        source_name: the float policy (None: the global one).

    Raises:
        ValueError: for a mode not of that format or a block size of 0 or
            below -1.
    """

    def __init__(self, mode, source_name=None):
        (block_size,) = _parse_mode(mode, "int4", ["block_size"], "Int4DTypePolicy")
        _check_group(block_size, "block_size", mode, "per-channel")
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def __eq__(self, other):
        return super().__eq__(other) and self.block_size == other.block_size

    __hash__ = QuantizedDTypePolicy.__hash__

    def get_config(self):
        """{"mode": "int4/<block_size>", "source_name"}."""
        return dict(super().get_config(), mode=f"{self.mode}/{self.block_size}")


class _WeightBitsPolicy(QuantizedDTypePolicy):
    """Shared parsing of "<algorithm>/<weight_bits>/<group_size>" modes."""

    _algorithm = None
    _group_meaning = None

    def __init__(self, mode, source_name=None):
        cls_name = type(self).__name__
        weight_bits, group_size = _parse_mode(mode, self._algorithm,
                                              ["weight_bits", "group_size"], cls_name)
        self._check_weight_bits(weight_bits, mode)
        _check_group(group_size, "group_size", mode, self._group_meaning)
        super().__init__(mode=self._algorithm, source_name=source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = self._algorithm
        self.weight_bits = weight_bits
        self.group_size = group_size

    def __eq__(self, other):
        return super().__eq__(other) and self.weight_bits == other.weight_bits and \
            self.group_size == other.group_size

    __hash__ = QuantizedDTypePolicy.__hash__

    def get_config(self):
        """{"mode": "<algorithm>/<weight_bits>/<group_size>", "source_name"}."""
        return dict(super().get_config(),
                    mode=f"{self.mode}/{self.weight_bits}/{self.group_size}")


class GPTQDTypePolicy(_WeightBitsPolicy):
    """The policy of a GPTQ-quantized layer, as
    keras.dtype_policies.GPTQDTypePolicy.

    Args:
        mode: "gptq/<weight_bits>/<group_size>": weight_bits 2, 3, 4 or 8;
            group_size -1 (whole tensor) or positive ("gptq/4/128").
        source_name: the float policy (None: the global one).

    Raises:
        ValueError: for a mode not of that format or unsupported values.
    """

    _algorithm = "gptq"
    _group_meaning = "whole-tensor"

    @staticmethod
    def _check_weight_bits(weight_bits, mode):
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError("Invalid weight_bits in mode. Supported values are 2, 3, 4, "
                             f"and 8, but got {weight_bits} from '{mode}'.")


class AWQDTypePolicy(_WeightBitsPolicy):
    """The policy of an AWQ-quantized layer, as
    keras.dtype_policies.AWQDTypePolicy.

    Args:
        mode: "awq/4/<group_size>": AWQ quantizes to 4 bits only; group_size
            -1 (per channel) or positive ("awq/4/128").
        source_name: the float policy (None: the global one).

    Raises:
        ValueError: for a mode not of that format or unsupported values.
    """

    _algorithm = "awq"
    _group_meaning = "per-channel"

    @staticmethod
    def _check_weight_bits(weight_bits, mode):
        if weight_bits != 4:
            raise ValueError("Invalid weight_bits in mode. AWQ only supports 4-bit "
                             f"quantization, but got {weight_bits} from '{mode}'.")


def quantized_policy_from_name(policy):
    """The quantized policy a name "<mode>_from_<source>" describes
    ("int8_from_float32", "int4/128_from_float32", "gptq/4/128_from_float32",
    "float8_from_mixed_float16", ...), as Keras's dtype_policies.get.

    Raises:
        TypeError: when `policy` is not a string.
        ValueError: for a name that does not start with a quantization mode
            or is not "<mode>_from_<source>".
    """
    if not isinstance(policy, str):
        raise TypeError(f"`policy` must be a string. Received: policy={policy}")
    if not policy.startswith(QUANTIZATION_MODES):
        raise ValueError("`policy` is incompatible with the current supported quantization.")
    parts = policy.split("_from_")
    if len(parts) != 2:
        raise ValueError("Cannot convert `policy` into a valid pair (`mode`, `source_name`) "
                         f"to instantiate `QuantizedDTypePolicy`. Received: policy={policy}")
    mode, source_name = parts
    if policy.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source_name)
    if policy.startswith(("int8", "int4")):
        return QuantizedDTypePolicy(mode, source_name)
    if policy.startswith("gptq"):
        return GPTQDTypePolicy(mode, source_name)
    if policy.startswith("awq"):
        return AWQDTypePolicy(mode, source_name)
    return QuantizedFloat8DTypePolicy(mode, source_name)
