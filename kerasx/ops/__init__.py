"""kerasx.ops: the Keras 3 `keras.ops` namespace over the selected backend.

Every contract operation is available here under its name, accepting what
Keras's ops accept: native tensors, kerasx Variables, NumPy arrays, Python
scalars and lists. Two tensor operands of different dtypes are promoted
(`result_type`). Functions whose Keras defaults depend on global settings
(data_format, floatx) are defined in `kerasx.ops.defaults`.
"""
from kerasx.ops.dispatch import (convert_to_numpy, convert_to_tensor, result_type,
                                 _define_all)
from kerasx.ops.defaults import (arange, average_pool, conv, conv_transpose,
                                 depthwise_conv, full, max_pool, ones, pad, zeros)
from kerasx.ops.gradients import gradients_skipped, value_and_grad
from kerasx.ops.loops import fori_loop, scan, while_loop

_define_all(globals())
