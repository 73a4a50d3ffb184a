"""The dtypes of the contract and the rules for turning Python values into arrays.

Shared by every plugin so that all backends read inputs the same way.
"""
import numpy as np

#: Dtypes every backend supports, by canonical name.
#: Dtypes every backend computes in, by canonical name.
DTYPES = ("float16", "float32", "float64", "int32", "int64", "bool")
#: Narrow integers for quantized weights and packed int4 bytes (keras.quantizers):
#: every backend casts to and from them and converts them; kerasx computes on
#: them only where a quantizer needs it (inputs such as uint8 images still
#: become floats in layers, which test membership of `DTYPES`).
NARROW_INT_DTYPES = ("int8", "uint8")
#: Every dtype name a kerasx tensor may have.
ALL_DTYPES = DTYPES + NARROW_INT_DTYPES
FLOAT_DTYPES = ("float16", "float32", "float64")

#: Dtype of a Python float, as Keras's floatx.
DEFAULT_FLOAT = "float32"
#: Dtype of a Python int, as Keras.
DEFAULT_INT = "int32"


def standardize_dtype(dtype):
    """Return the canonical name of `dtype` (a string, NumPy dtype or type).

    Raises:
        ValueError: if the dtype is not one of `DTYPES`.
    """
    if dtype is None:
        return None
    if isinstance(dtype, str) and dtype in ALL_DTYPES:
        return dtype
    if dtype is bool:
        return "bool"
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = getattr(dtype, "name", str(dtype))
    if name not in ALL_DTYPES:
        raise ValueError(
            f"Unsupported dtype {dtype!r}. kerasx supports: {', '.join(ALL_DTYPES)}."
        )
    return name


def range_dtype(dtype):
    """The canonical name of an `arange` dtype; every plugin's arange checks
    it here, so that all backends refuse the same values with one message.

    Raises:
        ValueError: for "bool" (a range of booleans has no meaning; Keras 3
            refuses it on every backend) or a dtype outside `DTYPES`.
    """
    name = standardize_dtype(dtype)
    if name == "bool":
        raise ValueError(
            "arange cannot make a range of dtype 'bool' (neither can Keras 3): "
            "ask for an integer or float dtype, and compare the result (e.g. "
            "not_equal(arange(n), 0)) where booleans are wanted.")
    return name


def is_float(dtype):
    return standardize_dtype(dtype) in FLOAT_DTYPES


def as_numpy(x, dtype=None):
    """Convert a Python scalar, list or NumPy array to a NumPy array.

    NumPy arrays keep their dtype; Python floats become float32, ints int32 and
    bools bool (Keras's rules); `dtype` overrides all of these.
    """
    dtype = standardize_dtype(dtype)
    if isinstance(x, (np.ndarray, np.generic)):
        arr = np.asarray(x)
        if dtype is None and arr.dtype.name not in ALL_DTYPES:
            raise ValueError(
                f"Unsupported dtype {arr.dtype.name!r}. kerasx supports: "
                f"{', '.join(ALL_DTYPES)}. Cast the array first."
            )
    else:
        arr = np.asarray(x)
        if dtype is None:
            if arr.dtype.kind == "f":
                dtype = DEFAULT_FLOAT
            elif arr.dtype.kind in "iu":
                dtype = DEFAULT_INT
            elif arr.dtype.kind == "b":
                dtype = "bool"
            else:
                raise ValueError(
                    f"Cannot convert {type(x).__name__} of dtype "
                    f"{arr.dtype.name!r} to a tensor."
                )
    if dtype is not None and arr.dtype.name != dtype:
        arr = arr.astype(dtype)
    return arr
