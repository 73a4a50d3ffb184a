"""int8 and uint8, the storage dtypes of quantized weights: every backend
converts, casts, names and reads them back; promotion with them follows
Keras where kerasx has the dtype."""
import numpy as np
import pytest

import kerasx
from kerasx.backend import get_ops
from kerasx.backend.dtypes import ALL_DTYPES, DTYPES, NARROW_INT_DTYPES, standardize_dtype


@pytest.mark.parametrize("dtype", ["int8", "uint8"])
def test_convert_cast_and_read_back(backend, dtype):
    ops = get_ops()
    lo, hi = np.iinfo(dtype).min, np.iinfo(dtype).max
    values = np.array([lo, -1 if lo else 0, 0, 1, 7, hi], dtype)
    t = ops.convert_to_tensor(values)
    assert ops.dtype(t) == dtype and standardize_dtype(np.dtype(dtype)) == dtype
    np.testing.assert_array_equal(ops.to_numpy(t), values)
    for other in ("int32", "int64", "float32", "float16", "float64"):
        there = ops.cast(t, other)
        assert ops.dtype(there) == other
        back = ops.cast(there, dtype)
        assert ops.dtype(back) == dtype
        np.testing.assert_array_equal(ops.to_numpy(back), values)
    np.testing.assert_array_equal(
        kerasx.ops.convert_to_numpy(kerasx.ops.cast(np.array([1.0, -2.0, 3.0], "float32"),
                                                    "int8")), [1, -2, 3])


def test_narrow_ints_are_storage_not_layer_inputs():
    assert NARROW_INT_DTYPES == ("int8", "uint8")
    assert set(ALL_DTYPES) == set(DTYPES) | set(NARROW_INT_DTYPES)
    assert "uint8" not in DTYPES  # uint8 images still become floats in layers


def test_promotion():
    import keras
    from kerasx.backend import result_type
    for a, b in [("int8", "int32"), ("uint8", "int64"), ("int8", "float16"),
                 ("uint8", "float32"), ("int8", "int8"), ("bool", "uint8")]:
        assert result_type(a, b) == keras.backend.result_type(a, b), (a, b)
    # Keras gives int16, which kerasx does not have: the next wider int.
    assert keras.backend.result_type("int8", "uint8") == "int16"
    assert result_type("int8", "uint8") == "int32"
