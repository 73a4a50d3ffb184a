"""kerasx.ops: the Keras 3 `keras.ops` namespace over the selected backend.

Every contract operation declared public (a `keras.ops` name) is available
here, accepting what Keras's ops accept: native tensors, kerasx Variables,
NumPy arrays, Python scalars and lists. Two tensor operands of different
dtypes are promoted (`dispatch.result_type`). Functions whose Keras defaults
depend on global settings (data_format, floatx) are defined in
`kerasx.ops.defaults`. Backend-internal operations (variables, devices,
compilation) are not here: the front end calls `kerasx.backend.get_ops()`;
the portable gradient is `kerasx.ops.gradients.value_and_grad`.
"""
from kerasx.ops.dispatch import (convert_to_numpy, convert_to_tensor, define_public_ops,
                                 symbolic_aware)
from kerasx.ops.defaults import (adaptive_average_pool, adaptive_max_pool, arange,
                                 average_pool, conv, conv_transpose, depthwise_conv, einsum,
                                 full, max_pool, ones, pad, zeros)
from kerasx.ops.loops import fori_loop, scan, while_loop
from kerasx.ops.array_ops import array, meshgrid
from kerasx.ops.control import associative_scan, map, vectorized_map  # noqa: A004
from kerasx.ops.nn_defaults import (layer_normalization, multi_hot, normalize,
                                    rms_normalization, separable_conv)

# The hand-written ones join the functional graph on symbolic tensors, as the
# generated ones do (the loops and control flow take functions: not wrapped).
for _name in ("adaptive_average_pool", "adaptive_max_pool", "arange", "average_pool", "conv",
              "conv_transpose", "depthwise_conv", "einsum", "full", "max_pool", "ones", "pad",
              "zeros", "array", "meshgrid", "layer_normalization", "multi_hot", "normalize",
              "rms_normalization", "separable_conv"):
    globals()[_name] = symbolic_aware(_name, globals()[_name])
define_public_ops(globals())
__all__ = sorted(name for name, value in globals().items()
                 if not name.startswith("_") and callable(value)
                 and name not in ("define_public_ops", "symbolic_aware"))
del define_public_ops, symbolic_aware, _name

# Keras 3's submodules of keras.ops (imported last: they read this module).
from kerasx.ops import image, linalg, nn, numpy  # noqa: E402
