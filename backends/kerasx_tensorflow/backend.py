"""The TensorFlow implementation of the kerasx backend contract.

Tensors are native `tf.Tensor`, variables native `tf.Variable`. Every
primitive is a thin call to the TensorFlow op with the same semantics; the few
places where TensorFlow's CPU kernels fall short are handled in
`kerasx_tensorflow._conv` (see the notes there).
"""
import numpy as np
import tensorflow as tf

from kerasx.backend import loops
from kerasx.backend.contract import Backend
from kerasx.backend.dtypes import as_numpy, range_dtype, standardize_dtype

from kerasx_tensorflow import _conv, interop
from kerasx_tensorflow.math_kernels import MathKernels
from kerasx_tensorflow.array_kernels import ArrayKernels
from kerasx_tensorflow.autodiff_kernels import AutodiffKernels
from kerasx_tensorflow.control_kernels import ControlKernels
from kerasx_tensorflow.linalg_kernels import LinalgKernels
from kerasx_tensorflow.attention_kernels import AttentionKernels
from kerasx_tensorflow.image_kernels import ImageKernels
from kerasx_tensorflow.remat_kernels import RematKernels

_TF_DTYPES = {
    "float16": tf.float16,
    "float32": tf.float32,
    "float64": tf.float64,
    "int8": tf.int8,
    "uint8": tf.uint8,
    "int32": tf.int32,
    "int64": tf.int64,
    "bool": tf.bool,
}
_SCALARS = (bool, int, float)


def _tf_dtype(dtype):
    """The tf.DType of a canonical dtype name (or anything standardize_dtype
    accepts); raises ValueError for an unsupported one."""
    try:
        return _TF_DTYPES[dtype]
    except (KeyError, TypeError):
        return _TF_DTYPES[standardize_dtype(dtype)]


def _axis(axis):
    """TensorFlow wants a list where the contract allows a tuple."""
    if isinstance(axis, tuple):
        return list(axis)
    return axis


def _scalar_like(value, like):
    """Python scalar `value` as a tensor of `like`'s dtype (the contract's rule
    for a scalar operand)."""
    dtype = like.dtype
    try:
        return tf.constant(value, dtype)
    except (TypeError, ValueError):
        return tf.constant(np.asarray(value).astype(dtype.as_numpy_dtype))


def _needs_help(scalar, tensor):
    """TensorFlow converts a Python scalar to its partner's dtype by itself,
    except a float (or bool) scalar with an integer (or bool) tensor."""
    dtype = getattr(tensor, "dtype", None)
    if not isinstance(dtype, tf.DType):
        return False
    return isinstance(scalar, bool) or not dtype.is_floating


def _pair(a, b):
    """Operands of a binary op: a Python scalar takes the other's dtype."""
    if isinstance(b, _SCALARS):
        if not isinstance(a, _SCALARS) and _needs_help(b, a):
            b = _scalar_like(b, a)
    elif isinstance(a, _SCALARS) and isinstance(getattr(b, "dtype", None), tf.DType):
        # Always converted: in a graph (tf.function), TensorFlow would give a
        # leading Python float its default float32 whatever `b`'s dtype.
        a = _scalar_like(a, b)
    return a, b


class TensorFlowBackend(MathKernels, ArrayKernels, ControlKernels, AutodiffKernels, LinalgKernels,
                        AttentionKernels, ImageKernels, RematKernels, Backend):
    """kerasx backend on TensorFlow 2 (eager; tf.function-compatible)."""

    name = "tensorflow"

    # ------------------------------------------------------------------
    # Tensors and conversion
    # ------------------------------------------------------------------
    def convert_to_tensor(self, x, dtype=None):
        if isinstance(x, (tf.Tensor, tf.Variable)):
            if dtype is None:
                return tf.convert_to_tensor(x) if isinstance(x, tf.Variable) else x
            dt = _tf_dtype(dtype)
            if isinstance(x, tf.Variable):
                x = x.value()
            return x if x.dtype == dt else self.cast(x, dt)
        if tf.is_tensor(x):  # other tensor-likes (e.g. symbolic inputs)
            x = tf.convert_to_tensor(x)
            return x if dtype is None else self.cast(x, dtype)
        return tf.convert_to_tensor(as_numpy(x, dtype))

    def to_numpy(self, x):
        if isinstance(x, (tf.Tensor, tf.Variable)):
            return x.numpy()
        return np.asarray(x)

    def is_tensor(self, x):
        # A kerasx Variable acts as a tensor for TensorFlow but is not a
        # native one: the front end reads its value.
        # NumPy data and Python numbers return early: tf.is_tensor checks a
        # typing Protocol, about 10 us a call, several calls a step.
        if isinstance(x, (np.ndarray, np.generic, int, float, list)):
            return False
        return isinstance(x, (tf.Tensor, tf.Variable)) or (
            tf.is_tensor(x) and not isinstance(x, interop.VariableTensor))

    def shape(self, x):
        return tuple(x.shape)

    def dtype(self, x):
        return x.dtype.name

    def cast(self, x, dtype):
        dt = _tf_dtype(dtype)
        if not self.is_tensor(x):
            x = self.convert_to_tensor(x)
        if x.dtype == dt:
            return x
        if dt == tf.bool:
            return tf.math.not_equal(x, tf.zeros((), x.dtype))
        return tf.cast(x, dt)

    def zeros(self, shape, dtype="float32"):
        return tf.zeros(shape, _tf_dtype(dtype))

    def ones(self, shape, dtype="float32"):
        return tf.ones(shape, _tf_dtype(dtype))

    def full(self, shape, fill_value, dtype="float32"):
        dt = _tf_dtype(dtype)
        if self.is_tensor(fill_value):
            value = self.cast(fill_value, dt)
        else:
            value = tf.constant(np.asarray(fill_value).astype(dt.as_numpy_dtype))
        return tf.fill(shape, value)

    def arange(self, start, stop=None, step=1, dtype="int32"):
        dt = _tf_dtype(range_dtype(dtype))
        if stop is None:
            start, stop = 0, start
        if dt.is_integer and any(isinstance(v, float) for v in (start, stop, step)):
            # NumPy semantics for float bounds with an integer dtype.
            return tf.constant(np.arange(start, stop, step).astype(dt.as_numpy_dtype))
        return tf.range(start, stop, step, dtype=dt)

    # ------------------------------------------------------------------
    # Element-wise arithmetic
    # ------------------------------------------------------------------
    def add(self, a, b):
        a, b = _pair(a, b)
        return tf.math.add(a, b)

    def subtract(self, a, b):
        a, b = _pair(a, b)
        return tf.math.subtract(a, b)

    def multiply(self, a, b):
        a, b = _pair(a, b)
        return tf.math.multiply(a, b)

    def divide(self, a, b):
        a, b = _pair(a, b)
        return tf.realdiv(a, b)

    def power(self, a, b):
        a, b = _pair(a, b)
        return tf.math.pow(a, b)

    def maximum(self, a, b):
        # TensorFlow's Maximum gradient uses x >= y: ties go to `a`.
        a, b = _pair(a, b)
        return tf.math.maximum(a, b)

    def minimum(self, a, b):
        # TensorFlow's Minimum gradient uses x <= y: ties go to `a`.
        a, b = _pair(a, b)
        return tf.math.minimum(a, b)

    def negative(self, x):
        return tf.math.negative(x)

    def abs(self, x):
        return tf.math.abs(x)

    def sign(self, x):
        return tf.math.sign(x)

    def sqrt(self, x):
        return tf.math.sqrt(x)

    def exp(self, x):
        return tf.math.exp(x)

    def log(self, x):
        return tf.math.log(x)

    def log1p(self, x):
        return tf.math.log1p(x)

    def expm1(self, x):
        return tf.math.expm1(x)

    def sin(self, x):
        return tf.math.sin(x)

    def cos(self, x):
        return tf.math.cos(x)

    def tanh(self, x):
        return tf.math.tanh(x)

    def sigmoid(self, x):
        return tf.math.sigmoid(x)

    def erf(self, x):
        return tf.math.erf(x)

    def floor(self, x):
        return tf.math.floor(x)

    def ceil(self, x):
        return tf.math.ceil(x)

    def round(self, x):
        # tf.round rounds half to even, as numpy.round.
        return tf.math.round(x)

    # ------------------------------------------------------------------
    # Comparisons and logic
    # ------------------------------------------------------------------
    def equal(self, a, b):
        a, b = _pair(a, b)
        return tf.math.equal(a, b)

    def not_equal(self, a, b):
        a, b = _pair(a, b)
        return tf.math.not_equal(a, b)

    def less(self, a, b):
        a, b = _pair(a, b)
        return tf.math.less(a, b)

    def less_equal(self, a, b):
        a, b = _pair(a, b)
        return tf.math.less_equal(a, b)

    def greater(self, a, b):
        a, b = _pair(a, b)
        return tf.math.greater(a, b)

    def greater_equal(self, a, b):
        a, b = _pair(a, b)
        return tf.math.greater_equal(a, b)

    def logical_and(self, a, b):
        return tf.math.logical_and(a, b)

    def logical_or(self, a, b):
        return tf.math.logical_or(a, b)

    def logical_not(self, x):
        return tf.math.logical_not(x)

    # ------------------------------------------------------------------
    # Reductions
    # ------------------------------------------------------------------
    def sum(self, x, axis=None, keepdims=False):
        return tf.math.reduce_sum(x, axis=_axis(axis), keepdims=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        return tf.math.reduce_mean(x, axis=_axis(axis), keepdims=keepdims)

    def max(self, x, axis=None, keepdims=False):
        return tf.math.reduce_max(x, axis=_axis(axis), keepdims=keepdims)

    def min(self, x, axis=None, keepdims=False):
        return tf.math.reduce_min(x, axis=_axis(axis), keepdims=keepdims)

    def prod(self, x, axis=None, keepdims=False):
        return tf.math.reduce_prod(x, axis=_axis(axis), keepdims=keepdims)

    def any(self, x, axis=None, keepdims=False):
        return tf.math.reduce_any(x, axis=_axis(axis), keepdims=keepdims)

    def all(self, x, axis=None, keepdims=False):
        return tf.math.reduce_all(x, axis=_axis(axis), keepdims=keepdims)

    def argmax(self, x, axis=-1):
        return tf.math.argmax(x, axis=axis, output_type=tf.int32)

    def argmin(self, x, axis=-1):
        return tf.math.argmin(x, axis=axis, output_type=tf.int32)

    # ------------------------------------------------------------------
    # Shape manipulation
    # ------------------------------------------------------------------
    def reshape(self, x, shape):
        return tf.reshape(x, shape)

    def transpose(self, x, axes=None):
        if axes is None:
            return tf.transpose(x)
        # Negative axes transpose forward but break tf.transpose's gradient
        # (InvertPermutation refuses them).
        rank = len(x.shape)
        return tf.transpose(x, perm=[a % rank for a in axes])

    def concatenate(self, xs, axis=0):
        return tf.concat(list(xs), axis=axis)

    def stack(self, xs, axis=0):
        return tf.stack(list(xs), axis=axis)

    def split(self, x, indices_or_sections, axis=0):
        length = x.shape[axis]
        if isinstance(indices_or_sections, int):
            sections = indices_or_sections
            if sections < 1 or length % sections:
                raise ValueError(
                    f"split: {sections!r} sections do not divide an axis of "
                    f"length {length}.")
            return tf.split(x, sections, axis=axis)
        # Split points, as numpy.split (slices clamp to the axis).
        bounds = [0] + [int(p) for p in indices_or_sections] + [length]
        bounds = [min(max(p + length if p < 0 else p, 0), length) for p in bounds]
        sizes = [max(hi - lo, 0) for lo, hi in zip(bounds[:-1], bounds[1:])]
        if sum(sizes) == length:
            return tf.split(x, sizes, axis=axis)
        rank = len(x.shape)
        axis = axis % rank
        out = []
        for lo, size in zip(bounds[:-1], sizes):
            begin = [0] * rank
            extent = [-1] * rank
            begin[axis] = lo
            extent[axis] = size
            out.append(tf.slice(x, begin, extent))
        return out

    def slice(self, x, start_indices, shape):
        return tf.slice(x, list(start_indices), list(shape))

    def pad(self, x, pad_width, constant_values=0):
        pad_width = [list(p) for p in pad_width]
        if isinstance(constant_values, _SCALARS) and constant_values == 0:
            return tf.pad(x, pad_width)
        if self.is_tensor(constant_values):
            value = self.cast(constant_values, x.dtype)
        else:
            value = _scalar_like(constant_values, x)
        return tf.pad(x, pad_width, constant_values=value)

    def tile(self, x, repeats):
        return tf.tile(x, list(repeats))

    def broadcast_to(self, x, shape):
        return tf.broadcast_to(x, shape)

    def expand_dims(self, x, axis):
        return tf.expand_dims(x, axis)

    def squeeze(self, x, axis=None):
        return tf.squeeze(x, axis=_axis(axis))

    # ------------------------------------------------------------------
    # Indexing and selection
    # ------------------------------------------------------------------
    def take(self, x, indices, axis=None):
        if axis is None:
            x = tf.reshape(x, [-1])
            axis = 0
        return tf.gather(x, indices, axis=axis)

    def take_along_axis(self, x, indices, axis):
        x = tf.convert_to_tensor(x)
        indices = tf.convert_to_tensor(indices)
        rank = len(x.shape)
        axis = axis % rank
        x_shape = list(x.shape)
        i_shape = list(indices.shape)
        if len(i_shape) != rank:
            raise ValueError(
                "take_along_axis: `indices` must have the rank of `x` "
                f"({rank}); received shape {tuple(i_shape)}.")
        # Broadcast every axis but `axis` (NumPy's rule).
        common = [1 if i == axis else max(a, b)
                  for i, (a, b) in enumerate(zip(x_shape, i_shape))]
        x_target = list(common)
        x_target[axis] = x_shape[axis]
        i_target = list(common)
        i_target[axis] = i_shape[axis]
        if x_target != x_shape:
            x = tf.broadcast_to(x, x_target)
        if i_target != i_shape:
            indices = tf.broadcast_to(indices, i_target)
        if axis == rank - 1:
            return tf.gather(x, indices, batch_dims=rank - 1, axis=axis)
        perm = [i for i in range(rank) if i != axis] + [axis]
        inverse = [0] * rank
        for position, dim in enumerate(perm):
            inverse[dim] = position
        out = tf.gather(tf.transpose(x, perm), tf.transpose(indices, perm),
                        batch_dims=rank - 1, axis=rank - 1)
        return tf.transpose(out, inverse)

    def one_hot(self, indices, num_classes, dtype="float32"):
        # tf.one_hot gives an all-zero row for any index outside [0, depth).
        indices = tf.convert_to_tensor(indices)
        if not indices.dtype.is_integer:  # float labels, as Keras 3 casts them
            indices = tf.cast(indices, tf.int64)
        return tf.one_hot(indices, num_classes, dtype=_tf_dtype(dtype))

    def where(self, condition, x, y):
        x, y = _pair(x, y)
        return tf.where(condition, x, y)

    def clip(self, x, x_min, x_max):
        # maximum(minimum(x, max), min): each picks `x` at ties, so the
        # gradient passes at both boundaries.
        return tf.math.maximum(tf.math.minimum(x, x_max), x_min)

    def top_k(self, x, k, sorted=True):
        # TensorFlow puts the lower index first among ties.
        values, indices = tf.math.top_k(x, k=k, sorted=sorted)
        return values, indices

    def stop_gradient(self, x):
        return tf.stop_gradient(x)

    # ------------------------------------------------------------------
    # Linear algebra
    # ------------------------------------------------------------------
    def matmul(self, a, b):
        a_rank = len(a.shape)
        b_rank = len(b.shape)
        if a_rank >= 2 and b_rank >= 2:
            return tf.linalg.matmul(a, b)
        if a_rank == 1 and b_rank == 1:
            return tf.tensordot(a, b, 1)
        if a_rank == 1:
            return tf.squeeze(tf.linalg.matmul(tf.expand_dims(a, 0), b), -2)
        return tf.squeeze(tf.linalg.matmul(a, tf.expand_dims(b, -1)), -1)

    # ------------------------------------------------------------------
    # Convolution and pooling
    # ------------------------------------------------------------------
    # The contract checks and resolves the arguments (kerasx.backend.conv_spec).
    def _conv_kernel(self, x, kernel, spec):
        return _conv.conv(x, kernel, spec)

    def _conv_transpose_kernel(self, x, kernel, spec):
        return _conv.conv_transpose(x, kernel, spec)

    def _max_pool_kernel(self, x, spec):
        return _conv.pool(tf.nn.max_pool, x, spec)

    def _average_pool_kernel(self, x, spec):
        # TensorFlow's "SAME" average pooling excludes the padding.
        return _conv.pool(tf.nn.avg_pool, x, spec)

    # ------------------------------------------------------------------
    # Activations
    # ------------------------------------------------------------------
    def relu(self, x):
        # ReluGrad is `features > 0`: the gradient at 0 is 0.
        return tf.nn.relu(x)

    # ------------------------------------------------------------------
    # Loops: tf.while_loop in graphs, so a tf.function holds one loop body
    # whatever the number of iterations; eagerly, the contract's Python loops
    # ------------------------------------------------------------------
    def scan(self, f, init, xs=None, length=None, reverse=False, unroll=1):
        if tf.executing_eagerly():
            return super().scan(f, init, xs, length, reverse, unroll)
        return loops.native_scan(self, _while_scan, f, init, xs, length, reverse, unroll)

    def while_loop(self, cond, body, loop_vars, maximum_iterations=None):
        if tf.executing_eagerly():
            return super().while_loop(cond, body, loop_vars, maximum_iterations)
        is_sequence, loop_vars = loops.while_arguments(self, cond, body, loop_vars,
                                                       maximum_iterations)
        body = loops.refusing_draws(body)
        result = tf.while_loop(
            loops.refusing_draws(cond),
            lambda *v: loops.body_result(self, body(*v), loop_vars), loop_vars,
            maximum_iterations=maximum_iterations)
        return tuple(result) if is_sequence else result[0]

    # ------------------------------------------------------------------
    # Variables and gradients
    # ------------------------------------------------------------------
    def variable(self, value, dtype=None, trainable=True, name=None):
        initial = self.convert_to_tensor(value, dtype)
        return tf.Variable(initial, trainable=trainable, name=name)

    def variable_value(self, variable):
        return variable.value()

    def _value_for(self, variable, value):
        if isinstance(value, (tf.Tensor, tf.Variable)) or tf.is_tensor(value):
            value = tf.convert_to_tensor(value)
            if value.dtype != variable.dtype:
                value = self.cast(value, variable.dtype)
        else:
            value = tf.convert_to_tensor(
                as_numpy(value, variable.dtype.as_numpy_dtype))
        if value.shape != variable.shape:  # e.g. a scalar increment
            value = tf.broadcast_to(value, variable.shape)
        return value

    def assign(self, variable, value):
        variable.assign(self._value_for(variable, value), read_value=False)

    def assign_add(self, variable, value):
        variable.assign_add(self._value_for(variable, value), read_value=False)

    def value_and_grad(self, fn, variables):
        variables = list(variables)
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(variables)
            value = fn()
        grads = tape.gradient(value, variables,
                              unconnected_gradients=tf.UnconnectedGradients.ZERO)
        out = []
        for g, v in zip(grads, variables):
            if isinstance(g, tf.IndexedSlices):
                g = tf.convert_to_tensor(g)
            if g.dtype != v.dtype:
                g = tf.cast(g, v.dtype)
            out.append(g)
        return value, out

    # ------------------------------------------------------------------
    # Native interop (kerasx_tensorflow.interop)
    # ------------------------------------------------------------------
    def layer_base(self):
        return interop.LayerTrackable

    def variable_base(self):
        return interop.VariableTensor

    # ------------------------------------------------------------------
    # Compiled execution
    # ------------------------------------------------------------------
    def compile_function(self, fn, jit_compile="auto"):
        # A graph per input signature (the front end asks once per signature,
        # so shapes stay static and retracing never happens). Autograph is
        # off: the front end's Python control flow depends only on shapes.
        # "auto" is the plain graph, without XLA: on CPU it measured 22 ms
        # against XLA's 43 ms on the MNIST convnet step and 43 against 83 ms
        # on predict (conformance/benchmark.py). It runs the eager kernels;
        # Grappler's constant folding can still move a float32 result by an
        # ulp (docs/architecture.md, "Compiled execution").
        function = tf.function(fn, jit_compile=jit_compile is True,
                               autograph=False, reduce_retracing=False)
        concrete = []

        def call(*args):
            # The concrete function of the one signature, called directly:
            # tf.function's per-call dispatch (matching the arguments against
            # its traces) cost more than the graph itself on small steps.
            if not concrete:
                concrete.append(function.get_concrete_function(*args))
            return concrete[0](*args)

        return call

    # ------------------------------------------------------------------
    # Devices
    # ------------------------------------------------------------------
    def list_devices(self):
        names = []
        for device in tf.config.list_logical_devices():
            kind = device.device_type.lower()
            if kind not in ("cpu", "gpu"):
                continue
            index = device.name.rsplit(":", 1)[-1]
            names.append(f"{kind}:{int(index)}")
        return names

    def device_scope(self, device_name):
        kind, _, index = device_name.partition(":")
        return tf.device(f"/{kind.upper()}:{int(index or 0)}")


def _while_scan(step, carry, xs, ys_like, count, reverse):
    """The loop of `loops.native_scan`: TensorArrays read and written at the
    iteration's index inside one tf.while_loop (as Keras 3's TensorFlow scan).
    maximum_iterations keeps it differentiable under XLA."""
    inputs = [tf.TensorArray(x.dtype, size=count, element_shape=x.shape[1:]).unstack(x)
              for x in xs]
    outputs = [tf.TensorArray(y.dtype, size=count, element_shape=y.shape)
               for y in ys_like]

    def body(i, carry, outputs):
        index = count - 1 - i if reverse else i
        carry, ys = step(list(carry), [x.read(index) for x in inputs])
        return i + 1, carry, [o.write(index, y) for o, y in zip(outputs, ys)]

    _, carry, outputs = tf.while_loop(lambda i, *_: i < count, body,
                                      (tf.constant(0), list(carry), outputs),
                                      maximum_iterations=count)
    return list(carry), [o.stack() for o in outputs]
