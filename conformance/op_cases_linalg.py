"""Op conformance cases of keras.ops.linalg (kerasx/backend/contract_linalg.py;
reference: conformance/reference_linalg.py). Matrices are fixed and well
conditioned where a random one could be near singular. eigh (whose
eigenvectors' signs are each framework's) is checked in
conformance/op_checks_linalg.py; svd's cases take the singular values only
for the same reason."""
import numpy as np

from .inputs import const, normal

_RNG = np.random.default_rng(11)
# Diagonally dominant: far from singular.
A3 = _RNG.standard_normal((3, 3)) + 4 * np.eye(3)
A3B = np.stack([A3, _RNG.standard_normal((3, 3)) + 4 * np.eye(3)])
SPD = A3 @ A3.T + np.eye(3)
LOWER = np.linalg.cholesky(SPD)
RANK1 = np.outer([1.0, 2.0, -1.0, 0.5], [0.5, -1.0, 2.0])


def linalg_cases():
    from .op_cases import Case

    c = [
        Case("cholesky", [const(SPD)]),
        Case("cholesky", [const(SPD)], {"upper": True}, label="upper"),
        Case("cholesky_inverse", [const(LOWER)], grad=(0,)),
        Case("cholesky_inverse", [const(LOWER.T)], {"upper": True}, grad=(0,),
             label="upper"),
        Case("det", [const(A3)], grad=(0,)),
        Case("det", [const(A3B)], grad=(0,), label="batched"),
        Case("inv", [const(A3)], grad=(0,)),
        Case("inv", [const(A3B)], grad=(0,), label="batched"),
        Case("qr", [normal((4, 3))], grad=(0,)),
        Case("qr", [normal((4, 3))], {"mode": "complete"}, label="complete"),
        Case("qr", [normal((2, 3, 4))], label="wide batched"),
        Case("solve", [const(A3), normal((3, 2))], grad=(0, 1)),
        Case("solve", [const(A3B), normal((2, 3))], grad=(0, 1), label="batched vector"),
        Case("solve_triangular", [const(A3), normal((3, 2))], {"lower": True},
             grad=(0, 1), label="lower"),
        Case("solve_triangular", [const(A3), normal((3,))], grad=(0, 1),
             label="upper vector"),
        Case("svd", [normal((4, 3))], {"compute_uv": False}, grad=(0,)),
        Case("svd", [normal((2, 3, 5))], {"compute_uv": False}, grad=(0,),
             label="wide batched"),
        Case("lu_factor", [const(A3)]),
        Case("lu_factor", [const(A3B)], label="batched"),
        Case("pinv", [normal((4, 3))], grad=(0,)),
        Case("pinv", [const(RANK1)], label="rank 1"),
        Case("lstsq", [normal((5, 3)), normal((5, 2))], grad=(0, 1)),
        Case("lstsq", [normal((5, 3)), normal((5,))], grad=(0, 1), label="vector"),
        Case("matrix_rank", [normal((4, 3))]),
        Case("matrix_rank", [const(RANK1)], label="rank 1"),
        Case("norm", [normal((3, 4))], grad=(0,), label="all"),
        Case("norm", [normal((3, 4))], {"axis": 1, "keepdims": True}, grad=(0,),
             label="vector 2"),
    ]
    for ord_ in (1, 3, np.inf, -np.inf, 0):
        c.append(Case("norm", [normal((3, 4))], {"ord": ord_, "axis": 0},
                      grad=(0,) if ord_ != 0 else (), label=f"vector ord={ord_}"))
    for ord_ in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        c.append(Case("norm", [normal((2, 3, 4))], {"ord": ord_, "axis": (1, 2)},
                      grad=(0,), label=f"matrix ord={ord_}"))
    c.append(Case("norm", [normal((3, 2, 4))], {"ord": 2, "axis": (2, 0), "keepdims": True},
                  grad=(0,), label="matrix ord=2 axes (2, 0) keepdims"))
    return c
