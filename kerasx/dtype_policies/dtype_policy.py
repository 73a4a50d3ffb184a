"""DTypePolicy and the global policy, as keras.dtype_policies.DTypePolicy and
keras.config.dtype_policy / set_dtype_policy."""
from kerasx.backend.dtypes import DTYPES, standardize_dtype

#: The quantization modes of quantized dtype policies (as Keras).
QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")

# The policy set by `set_dtype_policy`; None: a float policy named after
# `config.floatx()` at each call (so `set_floatx` keeps working as before).
_GLOBAL_POLICY = None


class DTypePolicy:
    """A layer's dtype policy: the dtype of its variables and the dtype of its
    computations.

    `"float32"`, `"float64"` (any dtype name): both dtypes are that one.
    `"mixed_float16"`: variables in float32, computations (and outputs) in
    float16; layers cast their inputs and, inside `call`, their variables to
    float16. `compile()` then wraps the optimizer in a `LossScaleOptimizer`.

    Args:
        name: the policy's name; None for the global policy's.

    Raises:
        TypeError: when `name` is not a string.
        ValueError: for an unknown name, or bfloat16 ("mixed_bfloat16",
            "bfloat16"), which kerasx's dtypes do not include on any backend.
    """

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._quantization_mode = None

    @staticmethod
    def _parse_name(name):
        if not isinstance(name, str):
            raise TypeError("'name' must be a string, such as 'mixed_float16'. "
                            f"Received: name={name} (of type {type(name)})")
        if name == "mixed_float16":
            return "float16", "float32"
        if "bfloat16" in name:
            from kerasx.backend import backend
            raise ValueError(
                f"Dtype policy {name!r}: kerasx has no bfloat16 dtype (supported: "
                f"{', '.join(DTYPES)}) on any backend, the current one "
                f"({backend()!r}) included. Use 'mixed_float16' for mixed precision.")
        try:
            dtype = standardize_dtype(name)
        except ValueError:
            raise ValueError(
                f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid "
                "policies include 'mixed_float16' and the name of any float dtype "
                "such as 'float32'.") from None
        return dtype, dtype

    @property
    def name(self):
        """The policy's name ("float32", "mixed_float16", ...)."""
        return self._name

    @property
    def variable_dtype(self):
        """The dtype layers create their variables in."""
        return self._variable_dtype

    @property
    def compute_dtype(self):
        """The dtype layers compute in (and output)."""
        return self._compute_dtype

    @property
    def quantization_mode(self):
        """The quantization mode ("int8", "int4", "float8", "gptq", "awq") of a
        quantized policy; None for a float policy."""
        return self._quantization_mode

    def convert_input(self, x, autocast, dtype):
        """`x` as a tensor, floats cast to `dtype` when `autocast` (integer and
        bool inputs are kept)."""
        from kerasx.backend import get_ops
        ops = get_ops()
        if not ops.is_tensor(x):
            if not hasattr(x, "__array__"):
                return x
            x = ops.convert_to_tensor(x)
        if autocast and ops.dtype(x).startswith("float") and ops.dtype(x) != dtype:
            x = ops.cast(x, dtype)
        return x

    def get_config(self):
        """{"name": the policy's name}."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        """The policy a `get_config()` dict describes."""
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        if type(other) not in (DTypePolicy, FloatDTypePolicy) or \
                type(self) not in (DTypePolicy, FloatDTypePolicy):
            return NotImplemented if not isinstance(other, DTypePolicy) else False
        return self._name == other._name

    def __hash__(self):
        return hash(self._name)


class FloatDTypePolicy(DTypePolicy):
    """The float policy, as keras.dtype_policies.FloatDTypePolicy (the same
    behaviour as `DTypePolicy`, kept for configs that name it)."""


def set_dtype_policy(policy):
    """Set the global dtype policy (a name such as "mixed_float16" or
    "int8_from_float32", or a `DTypePolicy`); layers created afterwards
    without a `dtype` take it.

    Raises:
        ValueError: for anything else.
    """
    global _GLOBAL_POLICY
    if isinstance(policy, str):
        if policy.startswith(QUANTIZATION_MODES):
            from kerasx.dtype_policies.quantized_dtype_policy import quantized_policy_from_name
            policy = quantized_policy_from_name(policy)
        else:
            policy = DTypePolicy(policy)
    elif not isinstance(policy, DTypePolicy):
        raise ValueError("Invalid `policy` argument. Expected the string name of a "
                         "policy (such as 'mixed_float16') or a `DTypePolicy` instance. "
                         f"Received: policy={policy} (of type {type(policy)})")
    _GLOBAL_POLICY = policy


def dtype_policy():
    """The global dtype policy (by default, the float policy of floatx)."""
    if _GLOBAL_POLICY is not None:
        return _GLOBAL_POLICY
    from kerasx import config
    return _float_policy(config.floatx())


def explicit_global_policy():
    """The policy set with `set_dtype_policy`, or None (then layers follow
    floatx)."""
    return _GLOBAL_POLICY


_FLOAT_POLICIES = {}


def _float_policy(name):
    policy = _FLOAT_POLICIES.get(name)
    if policy is None:
        policy = _FLOAT_POLICIES[name] = DTypePolicy(name)
    return policy
