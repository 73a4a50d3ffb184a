"""Global settings, as keras.config: float type, fuzz factor, image layout."""
from kerasx.backend import backend, set_backend  # noqa: F401  (as keras.config)
from kerasx.backend.dtypes import FLOAT_DTYPES

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx():
    """The default float dtype of weights and inputs ("float32")."""
    return _FLOATX


def set_floatx(value):
    """Set the default float dtype: "float16", "float32" or "float64".

    Raises:
        ValueError: for any other value.
    """
    global _FLOATX
    if value not in FLOAT_DTYPES:
        raise ValueError(f"Unknown floatx type {value!r}; expected one of {FLOAT_DTYPES}.")
    _FLOATX = str(value)


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """The default data_format of image layers ("channels_last")."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Set the default image layout: "channels_last" or "channels_first".

    Raises:
        ValueError: for any other value.
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'; "
                         f"received {data_format!r}.")
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    """`data_format`, or the global default when None."""
    if data_format is None:
        return image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'; "
                         f"received {data_format!r}.")
    return data_format


def dtype_policy():
    """The global dtype policy (keras.config.dtype_policy): by default the
    float policy of floatx()."""
    from kerasx.dtype_policies.dtype_policy import dtype_policy as global_policy
    return global_policy()


def set_dtype_policy(policy):
    """Set the global dtype policy, e.g. "mixed_float16" (layers created
    afterwards without `dtype` compute in float16 with float32 variables).

    Raises:
        ValueError: for an unknown policy.
    """
    from kerasx.dtype_policies.dtype_policy import set_dtype_policy as set_global
    set_global(policy)
