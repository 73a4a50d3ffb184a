"""Op conformance checks of the array family that the case harness cannot
express: `view` re-reads bytes, which the harness's float64 reference
inputs do not keep."""
import numpy as np

ITEMS = {"float16": 2, "float32": 4, "float64": 8, "int32": 4, "int64": 8, "bool": 1}


def check_view(ops, dtype):
    """x of `dtype` read as every dtype whose item size divides the last
    axis's bytes, against NumPy's view (bool only from valid bytes)."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 8)) * 100
    x = (x > 0) if dtype == "bool" else x.astype(dtype)
    for target, size in ITEMS.items():
        if (8 * ITEMS[dtype]) % size or target == "bool" and dtype != "bool":
            continue
        got = ops.to_numpy(ops.view(ops.convert_to_tensor(x), target))
        want = x.view(target)
        assert got.dtype == want.dtype and got.shape == want.shape, \
            f"view {dtype} -> {target}: {got.dtype}{got.shape}, want {want.dtype}{want.shape}"
        assert np.array_equal(got.view("uint8"), want.view("uint8")), \
            f"view {dtype} -> {target}: other bytes"
