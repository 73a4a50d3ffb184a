"""Global settings, as keras.config: float type, fuzz factor, image layout,
dtype policy, debugging caps of fit, and switches Keras code reads."""
import os

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


# -- debugging caps of fit (as Keras: also read from the environment) --------
_MAX_EPOCHS = int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ \
    else None
_MAX_STEPS_PER_EPOCH = int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"]) \
    if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ else None


def max_epochs():
    """The cap on the epochs of every `fit` (None: no cap)."""
    return _MAX_EPOCHS


def set_max_epochs(max_epochs):
    """Cap the number of epochs of every `fit` (None removes the cap); for
    debugging, also set by the KERAS_MAX_EPOCHS environment variable."""
    global _MAX_EPOCHS
    _MAX_EPOCHS = max_epochs


def max_steps_per_epoch():
    """The cap on the steps of every fit/evaluate/predict epoch (None: no cap)."""
    return _MAX_STEPS_PER_EPOCH


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Cap the steps of every fit, evaluate and predict epoch (None removes
    the cap); also set by the KERAS_MAX_STEPS_PER_EPOCH environment variable."""
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = max_steps_per_epoch


# -- switches that Keras code reads ------------------------------------------
_TRACEBACK_FILTERING = True
_INTERACTIVE_LOGGING = True


def enable_interactive_logging():
    """Print progress bars and epoch lines to stdout (the default)."""
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging():
    """Send progress bars and epoch lines to the "kerasx" logger (Python's
    logging) instead of stdout, as Keras sends them to absl logging."""
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled():
    """Whether progress output goes to stdout (True by default)."""
    return _INTERACTIVE_LOGGING
_FLASH_ATTENTION = None


def enable_traceback_filtering():
    """Record that traceback filtering is wanted (the default). kerasx's
    errors are raised where they arise, so there is nothing to filter; the
    switch is kept for code that sets and reads it."""
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering():
    """Record that traceback filtering is not wanted (see enable_...)."""
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled():
    """The recorded traceback-filtering switch (True by default)."""
    return _TRACEBACK_FILTERING


def enable_flash_attention():
    """Record a request for flash attention. kerasx's attention has no
    flash kernel; the switch is kept for code that sets and reads it."""
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = True


def disable_flash_attention():
    """Record that flash attention must not be used."""
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled():
    """The recorded flash-attention switch: None (automatic, the default),
    True or False, as Keras."""
    return _FLASH_ATTENTION


def is_nnx_enabled():
    """False: Flax NNX is a JAX feature; kerasx has no JAX backend."""
    return False


def enable_unsafe_deserialization():
    """Allow Python bytecode (Lambda layers' functions) in every later load,
    as if `safe_mode=False` were passed. Only for files you trust."""
    from kerasx.saving.registry import enable_unsafe_deserialization as enable
    enable()
