"""Op checks of keras.ops.linalg whose outputs are unique only up to signs
(eigh's eigenvectors): compared with NumPy after fixing each vector's sign."""
import numpy as np

from .op_cases_linalg import A3


def _signed(vectors):
    # Each column's largest-magnitude entry made positive.
    index = np.argmax(np.abs(vectors), axis=-2)[..., None, :]
    return vectors * np.sign(np.take_along_axis(vectors, index, axis=-2))


def check_eigh(ops, dtype):
    if dtype not in ("float32", "float64"):
        return
    sym = np.stack([A3 + A3.T, np.diag([3.0, -1.0, 0.5])]).astype(dtype)
    w, v = ops.eigh(ops.convert_to_tensor(sym))
    w, v = ops.to_numpy(w), ops.to_numpy(v)
    want_w, want_v = np.linalg.eigh(sym.astype("float64"))
    tol = 1e-5 if dtype == "float32" else 1e-12
    assert w.dtype.name == v.dtype.name == dtype
    np.testing.assert_allclose(w, want_w, rtol=tol, atol=tol)
    np.testing.assert_allclose(_signed(v), _signed(want_v), rtol=tol, atol=tol)


LINALG_CHECKS = {"eigh": check_eigh}
