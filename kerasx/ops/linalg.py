"""kerasx.ops.linalg: the linear algebra of `keras.ops.linalg`, the same
functions as at the top of kerasx.ops (Keras 3 lists them in both places).

Keras 3's names are listed here; those kerasx does not offer yet are left
out (`kerasx api-coverage` lists them).
"""
from kerasx import ops as _ops

#: Keras 3.15's `keras.ops.linalg` names.
KERAS_NAMES = (
    'cholesky', 'cholesky_inverse', 'det', 'eig', 'eigh', 'inv', 'jvp', 'lstsq',
    'lu_factor', 'matrix_rank', 'norm', 'pinv', 'qr', 'solve',
    'solve_triangular', 'svd'
)

globals().update({_n: getattr(_ops, _n) for _n in KERAS_NAMES if hasattr(_ops, _n)})
__all__ = sorted(_n for _n in KERAS_NAMES if hasattr(_ops, _n))
