"""The Apache MXNet backend of kerasx (MXNet 1.9, NumPy-compatible interface).

Tensors are `mxnet.numpy.ndarray`; variables are `mxnet.numpy.ndarray`s with
a gradient buffer attached (trainable) or without one (non-trainable).

MXNet quirks handled here (each is marked where it is worked around):

- apache/mxnet#21165: MXNet 1.9 uses the `numpy.bool` alias that numpy 1.24
  removed; the alias is restored before mxnet is imported.
- NumPy shape semantics (0-d and zero-size tensors) are thread-local by
  default; they are switched on process-wide so that worker threads work too.
- `mx.np.pad(..., constant_values=c)` drops `c` (its constant branch lacks a
  `return`, so it always pads with 0): the internal operator is called.
- `np.take_along_axis` has no working backward: it is expressed with `take`.
- `np.prod`'s backward divides by the input (NaN at zeros): when recording,
  the product is a tree of multiplications.
- `npx.erf`'s backward is computed with a float32 constant (2e-8 relative
  error in float64): when recording, the gradient is supplied in the input's
  precision.
- Integer `matmul` is not implemented: it runs in float64 and is cast back.
- Logical and/or of bool tensors fail (`bitwise_and` rejects bool, `&` too);
  they are a product / sum cast back to bool.
- Convolution on CPU is NCHW/NCW only; "same" padding with an odd total pads
  explicitly (MXNet's padding is symmetric, apache/mxnet#12221).
- `np.clip` holds its bounds in float32 (1 - 1e-7 becomes 0.99999988): for
  float64 the clip is maximum/minimum with double scalars.
- `npx.one_hot(dtype="float64")` returns float32: cast (exactly).
- `npx.topk` orders ties arbitrarily on CPU: a second sort on an exact
  (run of equal values, index) key makes ties lowest index first.
- Deconvolution (MKL-DNN, float32 CPU) fails in backward with "could not
  execute a primitive" and leaves the engine unusable: conv_transpose is a
  convolution of the zero-upsampled, padded input with the flipped kernel.
- Pooling/convolution fail on empty inputs (a batch of 0): they return the
  empty result NumPy gives.
- `np.where` broadcasts at most 5 axes: 6-D selections run on flat views.
- `np.pad` takes at most 5 axes: the zeros a 3-D transposed convolution
  inserts between its input's elements are padded on a 4-axis view.
- Slow CPU kernels: `np.where` (7 ms against 0.7 ms for a product at
  128x1600, so dropout is a product) and `npx.relu` (5x the Activation
  operator, which runs MKL-DNN's kernel).

Compiled steps are traced into CachedOps by kerasx_mxnet.hybrid.
"""
import ctypes
import math
import threading

import numpy as onp

from kerasx.backend import loops
from kerasx.backend.contract import Backend
from kerasx.backend.errors import BackendNotInstalledError
from kerasx.backend.dtypes import ALL_DTYPES, as_numpy, range_dtype, standardize_dtype

if int(onp.__version__.split(".")[0]) >= 2:
    raise BackendNotInstalledError(
        f"The 'mxnet' backend needs numpy<2 (MXNet 1.9 does not support numpy "
        f"{onp.__version__}). Install it with: pip install 'kerasx[mxnet]'.")
if "bool" not in vars(onp):  # apache/mxnet#21165: MXNet 1.9 uses numpy.bool
    onp.bool = bool

import mxnet as mx  # noqa: E402
from mxnet import autograd  # noqa: E402
from mxnet.base import MXNetError, _LIB, check_call  # noqa: E402
from mxnet.ndarray.numpy import _internal as _nd_npi  # noqa: E402
from mxnet.symbol.numpy import _internal as _sym_npi  # noqa: E402

from kerasx_mxnet import hybrid, interop  # noqa: E402
from kerasx_mxnet.math_kernels import MathKernels  # noqa: E402
from kerasx_mxnet.array_kernels import ArrayKernels  # noqa: E402
from kerasx_mxnet.control_kernels import ControlKernels  # noqa: E402
from kerasx_mxnet.linalg_kernels import LinalgKernels  # noqa: E402
from kerasx_mxnet.attention_kernels import AttentionKernels  # noqa: E402
from kerasx_mxnet.remat_kernels import RematKernels  # noqa: E402

mx.npx.set_np()
# The plugin's ops go through hybrid.Namespace, so that a traced step
# (compile_function) computes each op's symbol along with its value.
np = hybrid.Namespace(mx.np, mx.sym.np)
npx = hybrid.Namespace(mx.npx, mx.sym.npx)
_npi = hybrid.Namespace(_nd_npi, _sym_npi)
# NumPy shape semantics process-wide (2 = GlobalOn), not only in this thread.
_prev = ctypes.c_int()
check_call(_LIB.MXSetIsNumpyShape(ctypes.c_int(2), ctypes.byref(_prev)))


class _NumpyArraysInEveryThread(threading.local):
    # MXNet keeps NumPy array semantics in a threading.local that starts off
    # in a new thread, where Gluon then makes and expects legacy NDArrays
    # (a gluon.Trainer over collect_params() refused the weights: "Converting
    # np.ndarray to mx.nd.NDArray is not allowed"). On, like the shape
    # semantics, in every thread.
    def __init__(self):
        self.value = mx.util._NumpyArrayScope(True)


mx.util._NumpyArrayScope._current = _NumpyArraysInEveryThread()

_NDArray = mx.np.ndarray
_TENSORS = (mx.np.ndarray, hybrid.Traced)
_SCALARS = (int, float, bool)
_DTYPE_NAMES = {onp.dtype(d): d for d in ALL_DTYPES}
_INT_DTYPES = ("int8", "uint8", "int32", "int64")


def _half_on_cpu(x):
    """A float16 array on the CPU, where MXNet 1.9 has no float16 gemm."""
    return _dtype_name(x) == "float16" and x.ctx.device_type == "cpu"


def _dtype_name(x):
    try:
        return _DTYPE_NAMES[x.dtype]
    except KeyError:
        return standardize_dtype(x.dtype)  # ValueError for unsupported dtypes


def _recording():
    trace = hybrid.active()
    return trace.recording if trace is not None else autograd.is_recording()


def _with_grad(value, x, local_grad):
    """`value` (a function of `x`) whose gradient w.r.t. `x` is `local_grad`
    times the incoming gradient; `local_grad` is computed by the caller in
    `x`'s precision."""
    return value.detach() + (x - x.detach()) * local_grad.detach()


def _axis_arg(axis):
    if isinstance(axis, list):
        return tuple(axis)
    return axis


def _empty_reduction(x, axis, keepdims):
    """Zeros for a sum / mean / prod whose result has no element (None
    otherwise): MXNet 1.9's reduce kernels fail on those asynchronously, and
    the engine raises the error at the next unrelated synchronisation (the
    next fit of another model: "Check failed: ... Shape size mismatch")."""
    shape = tuple(x.shape)
    if 0 not in shape:
        return None
    axes = range(len(shape)) if axis is None else \
        [a % len(shape) for a in (axis if isinstance(axis, (list, tuple)) else (axis,))]
    out = tuple(1 if i in axes else d for i, d in enumerate(shape)) if keepdims else \
        tuple(d for i, d in enumerate(shape) if i not in axes)
    return np.zeros(out, dtype=x.dtype) if 0 in out else None


class MXNetBackend(MathKernels, ArrayKernels, ControlKernels, LinalgKernels, AttentionKernels,
                   RematKernels, Backend):
    """kerasx backend on Apache MXNet 1.9 (mx.np)."""

    name = "mxnet"

    def __init__(self):
        self._count_cache = {}

    # ------------------------------------------------------------------
    # Tensors and conversion
    # ------------------------------------------------------------------
    def convert_to_tensor(self, x, dtype=None):
        if isinstance(x, _TENSORS):
            x = interop.native_of(x)  # a kerasx Variable gives its native array
            if dtype is not None:
                dtype = standardize_dtype(dtype)
                if _dtype_name(x) != dtype:
                    x = self.cast(x, dtype)
            ctx = mx.context.current_context()
            if x.ctx != ctx:
                x = x.as_in_context(ctx)
            return x
        if isinstance(x, mx.nd.NDArray):
            return self.convert_to_tensor(x.as_np_ndarray(), dtype)
        arr = as_numpy(x, dtype)
        if arr.ndim == 0 and arr.dtype.kind in "fb":
            # A scalar as an engine op: np.array() copies synchronously, which
            # waits on MXNet's engine (about 1.5 ms a call in a training step).
            # `full` takes a double, which holds any float32/float64 exactly.
            return np.full((), arr.item(), dtype=arr.dtype)
        if arr.ndim == 0 or arr.size == 0:
            return np.array(arr, dtype=arr.dtype)
        # An empty array filled by one synchronous copy: mx.np.array() goes
        # through index assignment, 2.5x slower (100 against 38 us a batch).
        out = mx.np.empty(arr.shape, dtype=arr.dtype)
        out._sync_copyfrom(onp.ascontiguousarray(arr))
        return out

    def to_numpy(self, x):
        if isinstance(x, _NDArray):
            return x.asnumpy()
        return onp.asarray(x)

    def is_tensor(self, x):
        # A kerasx Variable is an ndarray view (kerasx_mxnet.interop) but not
        # a native tensor: the front end reads its value.
        return isinstance(x, _TENSORS) and not isinstance(x, interop.VariableArray)

    def shape(self, x):
        return tuple(x.shape)

    def dtype(self, x):
        return _dtype_name(x)

    def cast(self, x, dtype):
        dtype = standardize_dtype(dtype)
        if not hasattr(x, "dtype"):  # a Python scalar, as keras.ops.cast(3, "float32")
            x = self.convert_to_tensor(x)
        if _dtype_name(x) == dtype:
            return x
        if dtype == "bool":
            return x != 0
        return x.astype(dtype)

    def zeros(self, shape, dtype="float32"):
        return np.zeros(tuple(shape), dtype=standardize_dtype(dtype))

    def ones(self, shape, dtype="float32"):
        return np.ones(tuple(shape), dtype=standardize_dtype(dtype))

    def full(self, shape, fill_value, dtype="float32"):
        return np.full(tuple(shape), fill_value, dtype=standardize_dtype(dtype))

    def arange(self, start, stop=None, step=1, dtype="int32"):
        dtype = range_dtype(dtype)
        if stop is None:
            start, stop = 0, start
        return np.arange(start, stop, step, dtype=dtype)

    # ------------------------------------------------------------------
    # Element-wise arithmetic
    # ------------------------------------------------------------------
    def add(self, a, b):
        return np.add(a, b)

    def subtract(self, a, b):
        return np.subtract(a, b)

    def multiply(self, a, b):
        return np.multiply(a, b)

    def divide(self, a, b):
        return np.true_divide(a, b)

    def power(self, a, b):
        return np.power(a, b)

    def maximum(self, a, b):
        if isinstance(a, _SCALARS) and not isinstance(b, _SCALARS):
            # Ties must send the gradient to `a`, the scalar: b gets none.
            return np.where(b > a, b, np.full_like(b, a))
        return np.maximum(a, b)

    def minimum(self, a, b):
        if isinstance(a, _SCALARS) and not isinstance(b, _SCALARS):
            return np.where(b < a, b, np.full_like(b, a))
        return np.minimum(a, b)

    def negative(self, x):
        return np.negative(x)

    def abs(self, x):
        return np.abs(x)

    def sign(self, x):
        return np.sign(x)

    def sqrt(self, x):
        return np.sqrt(x)

    def exp(self, x):
        return np.exp(x)

    def log(self, x):
        return np.log(x)

    def log1p(self, x):
        return np.log1p(x)

    def expm1(self, x):
        return np.expm1(x)

    def sin(self, x):
        return np.sin(x)

    def cos(self, x):
        return np.cos(x)

    def tanh(self, x):
        return np.tanh(x)

    def sigmoid(self, x):
        return npx.sigmoid(x)

    def erf(self, x):
        y = npx.erf(x)
        if _recording():
            # npx.erf's backward uses a float32 constant: supply the
            # derivative 2 / sqrt(pi) * exp(-x^2) in x's precision.
            d = np.exp(-(x.detach() * x.detach())) * (2.0 / math.sqrt(math.pi))
            y = _with_grad(y, x, d)
        return y

    def floor(self, x):
        return np.floor(x)

    def ceil(self, x):
        return np.ceil(x)

    def round(self, x):
        # mx.np.round rounds half to even (as numpy); np.rint does not. It has
        # no float16 kernel: float32 rounds float16 values exactly.
        if _dtype_name(x) == "float16":
            return np.round(x.astype("float32")).astype("float16")
        return np.round(x)

    # ------------------------------------------------------------------
    # Comparisons and logic
    # ------------------------------------------------------------------
    def equal(self, a, b):
        return np.equal(a, b)

    def not_equal(self, a, b):
        return np.not_equal(a, b)

    def less(self, a, b):
        return np.less(a, b)

    def less_equal(self, a, b):
        return np.less_equal(a, b)

    def greater(self, a, b):
        return np.greater(a, b)

    def greater_equal(self, a, b):
        return np.greater_equal(a, b)

    def logical_and(self, a, b):
        # MXNet 1.9 has no logical_and and its bitwise ops reject bool.
        return (a * b) != 0

    def logical_or(self, a, b):
        return (a + b) != 0

    def logical_not(self, x):
        return np.logical_not(x)

    # ------------------------------------------------------------------
    # Reductions
    # ------------------------------------------------------------------
    def sum(self, x, axis=None, keepdims=False):
        empty = _empty_reduction(x, axis, keepdims)
        if empty is not None:
            return empty
        return np.sum(x, axis=_axis_arg(axis), keepdims=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        empty = _empty_reduction(x, axis, keepdims)
        if empty is not None:
            return empty
        return np.mean(x, axis=_axis_arg(axis), keepdims=keepdims)

    def max(self, x, axis=None, keepdims=False):
        return np.max(x, axis=_axis_arg(axis), keepdims=keepdims)

    def min(self, x, axis=None, keepdims=False):
        return np.min(x, axis=_axis_arg(axis), keepdims=keepdims)

    def prod(self, x, axis=None, keepdims=False):
        empty = _empty_reduction(x, axis, keepdims)
        if empty is not None:
            return empty
        if not _recording():
            return np.prod(x, axis=_axis_arg(axis), keepdims=keepdims)
        # np.prod's backward is prod / x (NaN where x == 0): multiply pairwise.
        rank = x.ndim
        axes = self._axes_tuple(x, axis)
        keep = [i for i in range(rank) if i not in axes]
        moved = np.transpose(x, keep + list(axes)) if axes else x
        kept_shape = tuple(x.shape[i] for i in keep)
        n = 1
        for i in axes:
            n *= x.shape[i]
        flat = moved.reshape(kept_shape + (n,))
        if n == 0:
            flat = np.ones(kept_shape + (1,), dtype=x.dtype)
        while flat.shape[-1] > 1:
            m = flat.shape[-1]
            half = m // 2
            prod = flat[..., :half] * flat[..., half:2 * half]
            if m % 2:
                prod = np.concatenate([prod, flat[..., 2 * half:]], axis=-1)
            flat = prod
        out = flat.reshape(kept_shape)
        if keepdims:
            out = out.reshape(tuple(1 if i in axes else x.shape[i]
                                    for i in range(rank)))
        return out

    def any(self, x, axis=None, keepdims=False):
        return np.any(x, axis=_axis_arg(axis), keepdims=keepdims)

    def all(self, x, axis=None, keepdims=False):
        return np.all(x, axis=_axis_arg(axis), keepdims=keepdims)

    def argmax(self, x, axis=-1):
        return np.argmax(x, axis=axis).astype("int32")

    def argmin(self, x, axis=-1):
        return np.argmin(x, axis=axis).astype("int32")

    # ------------------------------------------------------------------
    # Shape manipulation
    # ------------------------------------------------------------------
    def reshape(self, x, shape):
        return np.reshape(x, tuple(shape))

    def transpose(self, x, axes=None):
        if x.dtype == onp.bool_:
            # MXNet's transpose kernel has no bool type ("Unknown type enum 7").
            return np.transpose(x.astype("uint8"),
                                None if axes is None else tuple(axes)).astype("bool")
        return np.transpose(x, None if axes is None else tuple(axes))

    def concatenate(self, xs, axis=0):
        return np.concatenate(list(xs), axis=axis)

    def stack(self, xs, axis=0):
        return np.stack(list(xs), axis=axis)

    def split(self, x, indices_or_sections, axis=0):
        if not isinstance(indices_or_sections, int):
            indices_or_sections = [int(i) for i in indices_or_sections]
        else:
            n = x.shape[axis]
            if indices_or_sections <= 0 or n % indices_or_sections:
                raise ValueError(
                    f"split: {indices_or_sections} sections do not divide an axis "
                    f"of length {n}.")
        if x.dtype == onp.bool_:  # as transpose: no bool kernel
            return [part.astype("bool") for part in
                    np.split(x.astype("uint8"), indices_or_sections, axis=axis)]
        return list(np.split(x, indices_or_sections, axis=axis))

    def slice(self, x, start_indices, shape):
        index = tuple(slice(int(s), None if int(n) == -1 else int(s) + int(n))
                      for s, n in zip(start_indices, shape))
        return x[index]

    def pad(self, x, pad_width, constant_values=0):
        pad_width = tuple((int(b), int(a)) for b, a in pad_width)
        if x.ndim == 1:  # the pad operator fails on 1-D input ("index = 1")
            return self.pad(x.reshape((1, -1)), ((0, 0),) + pad_width,
                            constant_values).reshape((-1,))
        # mx.np.pad ignores constant_values (it always pads with 0).
        return _npi.pad(x, pad_width=pad_width, mode="constant",
                        constant_value=float(constant_values))

    def tile(self, x, repeats):
        return np.tile(x, tuple(repeats))

    def broadcast_to(self, x, shape):
        return np.broadcast_to(x, tuple(shape))

    def expand_dims(self, x, axis):
        return np.expand_dims(x, axis)

    def squeeze(self, x, axis=None):
        return np.squeeze(x, axis=_axis_arg(axis))

    # ------------------------------------------------------------------
    # Indexing and selection
    # ------------------------------------------------------------------
    def take(self, x, indices, axis=None):
        if not isinstance(indices, _TENSORS):
            indices = self.convert_to_tensor(indices)
        # mode "wrap" also maps negative indices as NumPy does.
        return np.take(x, indices, axis=axis, mode="wrap")

    def take_along_axis(self, x, indices, axis):
        # np.take_along_axis has no working backward in MXNet 1.9: gather
        # from the flattened tensor with computed linear indices instead.
        if not isinstance(indices, _TENSORS):
            indices = self.convert_to_tensor(indices)
        if axis is None:
            return np.take(x.reshape(-1), indices, mode="wrap")
        rank = x.ndim
        if indices.ndim != rank:
            raise ValueError(
                "take_along_axis: `indices` must have the rank of `x`; received "
                f"{indices.ndim} and {rank}.")
        axis = axis % rank
        xshape = tuple(x.shape)
        ishape = tuple(indices.shape)
        out_shape = []
        for d in range(rank):
            if d == axis:
                out_shape.append(ishape[d])
            elif xshape[d] == ishape[d] or ishape[d] == 1:
                out_shape.append(xshape[d])
            elif xshape[d] == 1:
                out_shape.append(ishape[d])
            else:
                raise ValueError(
                    f"take_along_axis: shapes {xshape} and {ishape} do not "
                    "broadcast.")
        out_shape = tuple(out_shape)
        strides = [1] * rank
        for d in range(rank - 2, -1, -1):
            strides[d] = strides[d + 1] * xshape[d + 1]
        itype = "int64" if x.size >= 2 ** 31 else "int32"
        n = xshape[axis]
        idx = indices.astype(itype)
        idx = np.where(idx < 0, idx + n, idx) * strides[axis]
        linear = np.broadcast_to(idx, out_shape)
        for d in range(rank):
            if d == axis or xshape[d] == 1:
                continue
            shape = [1] * rank
            shape[d] = out_shape[d]
            linear = linear + (np.arange(out_shape[d], dtype=itype)
                               * strides[d]).reshape(tuple(shape))
        return np.take(x.reshape(-1), linear, mode="clip")

    def one_hot(self, indices, num_classes, dtype="float32"):
        dtype = standardize_dtype(dtype)
        if dtype == "bool":
            return npx.one_hot(indices, int(num_classes), dtype="int32") != 0
        out = npx.one_hot(indices, int(num_classes), dtype=dtype)
        if out.dtype != onp.dtype(dtype):
            # npx.one_hot returns float32 when asked for float64 (exact cast).
            out = out.astype(dtype)
        return out

    def where(self, condition, x, y):
        if isinstance(x, _SCALARS) or isinstance(y, _SCALARS):
            ref = y if isinstance(x, _SCALARS) else x
            if isinstance(ref, _SCALARS):
                raise ValueError("where: at least one of x, y must be a tensor.")
            if isinstance(x, _SCALARS):
                x = np.full_like(ref, x)
            if isinstance(y, _SCALARS):
                y = np.full_like(ref, y)
        shape = onp.broadcast_shapes(condition.shape, x.shape, y.shape)
        if len(shape) > 5:
            # np.where broadcasts at most 5 axes: run it on flat views.
            condition, x, y = (np.broadcast_to(t, shape).reshape(-1)
                               for t in (condition, x, y))
            return self.where(condition, x, y).reshape(shape)
        if _dtype_name(x) == "bool":
            return np.where(condition, x.astype("int32"), y.astype("int32")) != 0
        return np.where(condition, x, y)

    def clip(self, x, x_min, x_max):
        tensor_bounds = [b is not None and not isinstance(b, (int, float))
                         for b in (x_min, x_max)]
        if any(tensor_bounds):  # np.clip takes only Python numbers as bounds
            x_min, x_max = [self.convert_to_tensor(b, _dtype_name(x)) if t else b
                            for b, t in zip((x_min, x_max), tensor_bounds)]
        if _dtype_name(x) == "float64" or any(tensor_bounds):
            # np.clip holds its bounds as float32 (1 - 1e-7 would become
            # 0.99999988): use the scalar ops, whose scalar is a double and
            # whose gradient passes at ties (boundaries included).
            if x_min is not None:
                x = np.maximum(x, x_min)
            if x_max is not None:
                x = np.minimum(x, x_max)
            return x
        return np.clip(x, x_min, x_max)

    def top_k(self, x, k, sorted=True):
        # npx.topk orders tied values arbitrarily (partial sort on CPU). Sort
        # the whole row, number the runs of equal values, and sort again on
        # the unique exact key run * n + index: ties then come lowest index
        # first, also at the k-th value's boundary.
        k = int(k)
        n = x.shape[-1]
        if k > n or k < 0:
            raise ValueError(f"top_k: k={k} exceeds the last axis ({n}).")
        data = x.detach()
        if _dtype_name(data) not in ("float32", "float64"):
            data = data.astype("float64")
        values, order = npx.topk(data, axis=-1, k=n, ret_typ="both",
                                 is_ascend=False, dtype="float64")
        # Slices spelt out: a traced symbol refuses `...` in an index.
        lead = (slice(None),) * (x.ndim - 1)
        change = (values[lead + (slice(1, None),)] != values[lead + (slice(None, -1),)]
                  ).astype("float64")
        runs = np.cumsum(change, axis=x.ndim - 1)  # cumsum rejects axis=-1
        runs = np.concatenate([np.zeros_like(runs[lead + (slice(None, 1),)]), runs],
                              axis=-1)
        key = runs.astype("float64") * float(n) + order
        key = npx.topk(key, axis=-1, k=k, ret_typ="value", is_ascend=True)
        indices = (key - np.floor(key / float(n)) * float(n)).astype("int32")
        return self.take_along_axis(x, indices, -1), indices

    def stop_gradient(self, x):
        return x.detach()

    # ------------------------------------------------------------------
    # Linear algebra
    # ------------------------------------------------------------------
    def matmul(self, a, b):
        dtype = _dtype_name(a)
        if dtype in _INT_DTYPES:
            # MXNet has no integer matmul kernel.
            return np.matmul(a.astype("float64"), b.astype("float64")).astype(dtype)
        if _half_on_cpu(a):
            # MXNet has no float16 gemm on CPU ("FP16 gemm on cpu not implemented").
            return np.matmul(a.astype("float32"), b.astype("float32")).astype(dtype)
        return np.matmul(a, b)

    # ------------------------------------------------------------------
    # Convolution and pooling
    # ------------------------------------------------------------------
    # MXNet's CPU convolution and pooling are channels-first only. In a traced
    # step, a tensor that came from channels-first keeps that form, so a
    # conv - bias - activation - pool chain transposes once, not per layer.
    @staticmethod
    def _to_channels_first(x, rank):
        axes = (0, rank + 1) + tuple(range(1, rank + 1))
        kept = hybrid.kept_channels_first(x, axes)
        return kept if kept is not None else np.transpose(x, axes)

    @staticmethod
    def _to_channels_last(x, rank):
        y = np.transpose(x, (0,) + tuple(range(2, rank + 2)) + (1,))
        hybrid.keep_channels_first(y, x)
        return y

    # The contract checks and resolves the arguments (kerasx.backend.conv_spec).
    def _conv_kernel(self, x, kernel, spec):
        if _half_on_cpu(x):  # MXNet has no float16 gemm (im2col) on CPU
            return self._conv_kernel(x.astype("float32"), kernel.astype("float32"),
                                     spec).astype("float16")
        rank = spec.rank
        if not spec.channels_first:
            x = self._to_channels_first(x, rank)
        pad = tuple(b for b, _ in spec.pads)
        extra = [a - b for b, a in spec.pads]
        if any(extra):
            # MXNet pads symmetrically only: add the odd pixel after.
            x = _npi.pad(x, pad_width=((0, 0), (0, 0)) + tuple((0, e) for e in extra),
                         mode="constant", constant_value=0.0)
        if 0 in x.shape:
            # MXNet's convolution fails on empty arrays; NumPy gives empty.
            y = np.zeros((x.shape[0], spec.out_channels) + spec.output_spatial,
                         dtype=x.dtype)
            return y if spec.channels_first else self._to_channels_last(y, rank)
        # Keras (*window, in/groups, out) -> MXNet (out, in/groups, *window).
        w = np.transpose(kernel, (rank + 1, rank) + tuple(range(rank)))
        params = dict(kernel=spec.window, stride=spec.strides, dilate=spec.dilation,
                      pad=pad, num_filter=spec.out_channels, num_group=spec.groups)
        y = npx.convolution(x, w, no_bias=True, **params)
        hybrid.allow_bias_fusion(y, lambda xs, ws, b: mx.sym.npx.convolution(
            xs, ws, b, no_bias=False, **params), x, w)
        if not spec.channels_first:
            y = self._to_channels_last(y, rank)
        return y

    def _conv_transpose_kernel(self, x, kernel, spec):
        if _half_on_cpu(x):  # as _conv_kernel
            return self._conv_transpose_kernel(x.astype("float32"),
                                               kernel.astype("float32"),
                                               spec).astype("float16")
        rank = spec.rank
        if 0 in x.shape:
            # MXNet fails on empty arrays here ("delay_alloc"); NumPy gives empty.
            out = (spec.out_channels,) + spec.output_spatial if spec.channels_first \
                else spec.output_spatial + (spec.out_channels,)
            return np.zeros((x.shape[0],) + out, dtype=x.dtype)
        if not spec.channels_first:
            x = self._to_channels_first(x, rank)
        # MXNet's Deconvolution (MKL-DNN, float32 CPU) fails in backward with
        # "could not execute a primitive" and leaves the engine broken, so the
        # transposed convolution is computed as a convolution of the input
        # with zeros inserted between its elements (stride), padded, with the
        # spatially flipped kernel.
        shape = tuple(x.shape)
        pads = []
        for i, (n, k, s, d, (before, after)) in enumerate(zip(
                shape[2:], spec.window, spec.strides, spec.dilation, spec.pads)):
            axis = 2 + i
            if s > 1:
                # Viewed as (before the axis, axis, 1, after it), because
                # MXNet's pad takes at most 5 axes: pad the 1 to s.
                cur = tuple(x.shape)
                x = x.reshape((math.prod(cur[:axis]), n, 1, math.prod(cur[axis + 1:])))
                x = _npi.pad(x, pad_width=((0, 0), (0, 0), (0, s - 1), (0, 0)),
                             mode="constant", constant_value=0.0)
                x = x.reshape(cur[:axis] + (n * s,) + cur[axis + 1:])
            # The full output needs (k - 1) * d zeros on both sides of the
            # upsampled input (whose last s - 1 zeros are already there).
            left = (k - 1) * d - before
            right = (k - 1) * d - (s - 1) - after
            if left < 0 or right < 0:
                index = [slice(None)] * x.ndim
                index[axis] = slice(max(-left, 0), x.shape[axis] - max(-right, 0))
                x = x[tuple(index)]
                left, right = max(left, 0), max(right, 0)
            pads.append((left, right))
        sym = tuple(min(a, b) for a, b in pads)
        extra = tuple((a - p, b - p) for (a, b), p in zip(pads, sym))
        if any(a or b for a, b in extra):
            x = _npi.pad(x, pad_width=((0, 0), (0, 0)) + extra, mode="constant",
                         constant_value=0.0)
        # Keras (*window, out, in) -> convolution (out, in, *window), flipped.
        w = np.flip(np.transpose(kernel, (rank, rank + 1) + tuple(range(rank))),
                    axis=tuple(range(2, rank + 2)))
        y = npx.convolution(x, w, kernel=spec.window, stride=(1,) * rank,
                            dilate=spec.dilation, pad=sym, num_filter=spec.out_channels,
                            num_group=1, no_bias=True)
        if not spec.channels_first:
            y = self._to_channels_last(y, rank)
        return y

    def _pool(self, x, spec, pool_type):
        rank = spec.rank
        if not spec.channels_first:
            x = self._to_channels_first(x, rank)
        pool, strides, pairs = spec.window, spec.strides, spec.pads
        before = tuple(b for b, _ in pairs)
        if 0 in x.shape:
            # MXNet's pooling fails on empty arrays; NumPy gives empty.
            y = np.zeros(tuple(x.shape[:2]) + spec.output_spatial, dtype=x.dtype)
        elif spec.padding == "valid":
            y = npx.pooling(x, kernel=pool, stride=strides, pad=(0,) * rank,
                            pool_type=pool_type, pooling_convention="valid")
        elif all(a == b or s > 1 for (b, a), s in zip(pairs, strides)):
            # MXNet's "full" convention adds the odd window at the end and,
            # without count_include_pad, averages the real elements only.
            y = npx.pooling(x, kernel=pool, stride=strides, pad=before,
                            pool_type=pool_type, pooling_convention="full",
                            count_include_pad=False)
        else:
            extra = ((0, 0), (0, 0)) + tuple((0, a - b) for b, a in pairs)
            if pool_type == "max":
                x = _npi.pad(x, pad_width=extra, mode="constant",
                             constant_value=-float("inf"))
                y = npx.pooling(x, kernel=pool, stride=strides, pad=before,
                                pool_type="max", pooling_convention="valid")
            else:
                x = _npi.pad(x, pad_width=extra, mode="constant", constant_value=0.0)
                total = npx.pooling(x, kernel=pool, stride=strides, pad=before,
                                    pool_type="sum", pooling_convention="valid")
                y = total / self._pool_count(spec, x.dtype, x.ctx)
        if not spec.channels_first:
            y = self._to_channels_last(y, rank)
        return y

    def _pool_count(self, spec, dtype, ctx):
        """Number of real (unpadded) elements in each "same" pooling window,
        shaped (1, 1, *out_spatial); cached per geometry."""
        key = (spec, onp.dtype(dtype).name, str(ctx))
        count = self._count_cache.get(key)
        if count is None:
            counts = []
            for n, k, s, (b, _) in zip(spec.input_spatial, spec.window, spec.strides,
                                       spec.pads):
                out = -(-n // s)
                start = onp.arange(out) * s - b
                counts.append(onp.minimum(start + k, n) - onp.maximum(start, 0))
            grid = counts[0]
            for c in counts[1:]:
                grid = onp.multiply.outer(grid, c)
            grid = grid.reshape((1, 1) + grid.shape).astype(onp.dtype(dtype))
            count = np.array(grid, dtype=grid.dtype, ctx=ctx)
            self._count_cache[key] = count
        return count

    def _max_pool_kernel(self, x, spec):
        return self._pool(x, spec, "max")

    def _average_pool_kernel(self, x, spec):
        return self._pool(x, spec, "avg")

    # ------------------------------------------------------------------
    # Activations
    # ------------------------------------------------------------------
    def relu(self, x):
        if _dtype_name(x) in _INT_DTYPES or 0 in tuple(x.shape):
            # (MKL-DNN's Activation fails on an empty array, asynchronously.)
            return np.maximum(x, 0)
        # The Activation operator runs MKL-DNN's kernel, about 5x faster than relu.
        return npx.activation(x, act_type="relu")

    def dropout(self, x, mask, rate):
        # MXNet's np.where is about 10x slower than a product (7 ms against
        # 0.7 ms at 128x1600): scale, then multiply by the 0/1 mask, as
        # tf.nn.dropout and torch do (exact for finite inputs).
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"Dropout rate must be in [0, 1); received {rate!r}.")
        return np.true_divide(x, 1.0 - rate) * mask.astype(x.dtype)

    # ------------------------------------------------------------------
    # Variables and gradients
    # ------------------------------------------------------------------
    def variable(self, value, dtype=None, trainable=True, name=None):
        if hybrid.active() is not None:
            raise hybrid.TraceError("the step creates a variable")
        var = self.convert_to_tensor(value, dtype)
        if var is value or isinstance(value, _NDArray):
            var = var.copy()  # never alias the caller's tensor
        if trainable:
            var.attach_grad(grad_req="write")
        return var

    def variable_value(self, variable):
        return variable

    def _write(self, variable, value):
        if not isinstance(value, _TENSORS):
            value = self.convert_to_tensor(value, _dtype_name(variable))
        elif value.dtype != variable.dtype:
            value = value.astype(variable.dtype)
        if value.ctx != variable.ctx:
            value = value.as_in_context(variable.ctx)
        if value.shape != variable.shape:  # copyto does not broadcast
            value = np.broadcast_to(value, variable.shape)
        return value

    def assign(self, variable, value):
        value = self._write(variable, value)
        trace = hybrid.active()
        if trace is not None:
            trace.write(variable, value)
            return None
        if value is not variable:
            with autograd.pause():
                # copyto: one engine op (`variable[()] = value` parses the
                # index in Python, about 7x slower).
                value.copyto(variable)
        return None

    def assign_add(self, variable, value):
        value = self._write(variable, value)
        trace = hybrid.active()
        if trace is not None:
            trace.write(variable, np.add(variable, value))
            return None
        with autograd.pause():
            variable += value
        return None

    # ------------------------------------------------------------------
    # Loops: in a traced step, scan is one MXNet foreach (hybrid.foreach),
    # so the CachedOp does not grow with the number of iterations; eagerly
    # (and for while_loop, whose condition MXNet 1.9 can only loop on with a
    # fixed maximum), the contract's Python loops
    # ------------------------------------------------------------------
    def scan(self, f, init, xs=None, length=None, reverse=False, unroll=1):
        trace = hybrid.active()
        if trace is None:
            return super().scan(f, init, xs, length, reverse, unroll)
        return loops.native_scan(self, trace.foreach, f, init, xs, length, reverse, unroll)

    # ------------------------------------------------------------------
    # Fused recurrent layers (MXNet's RNN operator)
    # ------------------------------------------------------------------
    def _fused_rnn(self, mode, inputs, states, weights, biases, go_backwards):
        """npx.rnn over (batch, time, features) inputs: its parameters are one
        flat vector of the (gates * units, in) weights then the biases."""
        units = states[0].shape[-1]
        params = np.concatenate([w.T.reshape(-1) for w in weights] + list(biases))
        x = np.flip(inputs, axis=1) if go_backwards else inputs
        out = npx.rnn(x.transpose(1, 0, 2), params, *[s.reshape(1, *s.shape) for s in states],
                      state_size=units, num_layers=1, mode=mode, state_outputs=True)
        outputs = out[0].transpose(1, 0, 2)
        return (outputs[:, -1], outputs) + tuple(h[0] for h in out[1:])

    def lstm(self, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias=None,
             mask=None, go_backwards=False, zero_output_for_mask=False):
        if mask is not None:
            return super().lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel,
                                bias, mask, go_backwards, zero_output_for_mask)
        # Keras's gate order i, f, c, o is MXNet's; MXNet adds a second
        # (recurrent) bias, here zeros.
        units = recurrent_kernel.shape[0]
        zeros = np.zeros((4 * units,), dtype=kernel.dtype, ctx=kernel.ctx)
        biases = [zeros, zeros] if bias is None else [bias, zeros]
        return self._fused_rnn("lstm", inputs, [initial_h, initial_c],
                               [kernel, recurrent_kernel], biases, go_backwards)

    def gru(self, inputs, initial_h, kernel, recurrent_kernel, bias=None, mask=None,
            go_backwards=False, zero_output_for_mask=False, reset_after=True):
        if mask is not None or not reset_after:
            return super().gru(inputs, initial_h, kernel, recurrent_kernel, bias, mask,
                               go_backwards, zero_output_for_mask, reset_after)

        def reorder(w):  # Keras z, r, h -> MXNet (cuDNN) r, z, n along the last axis
            z, r, h = np.split(w, 3, axis=-1)
            return np.concatenate([r, z, h], axis=-1)

        units = recurrent_kernel.shape[0]
        if bias is None:
            zeros = np.zeros((3 * units,), dtype=kernel.dtype, ctx=kernel.ctx)
            biases = [zeros, zeros]
        else:
            biases = [reorder(bias[0]), reorder(bias[1])]
        return self._fused_rnn("gru", inputs, [initial_h],
                               [reorder(kernel), reorder(recurrent_kernel)], biases,
                               go_backwards)

    def value_and_grad(self, fn, variables):
        trace = hybrid.active()
        if trace is not None:
            return trace.value_and_grad(fn, variables)
        variables = list(variables)
        trainable = [v.grad is not None for v in variables]
        for v, t in zip(variables, trainable):
            if t:
                # A fresh zero buffer per call: grads never accumulate, a
                # variable the result does not reach keeps zeros, and the
                # returned grads are not overwritten by the next call.
                v.attach_grad(grad_req="write")
        # Views of the variables (kerasx Variables are ndarrays sharing them)
        # must share the new autograd entries.
        interop.refresh([v for v, t in zip(variables, trainable) if t])
        with autograd.record():
            value = fn()
        try:
            value.backward()
        except MXNetError as exc:
            if "not in a computational graph" not in str(exc):
                raise
        grads = [v.grad if t else np.zeros_like(v)
                 for v, t in zip(variables, trainable)]
        return value, grads

    # ------------------------------------------------------------------
    # Native interop (kerasx_mxnet.interop)
    # ------------------------------------------------------------------
    def layer_base(self):
        return interop.GluonLayer

    def variable_base(self):
        return interop.VariableArray

    def compile_function(self, fn, jit_compile="auto"):
        """`fn` hybridized: traced at its first call into MXNet CachedOps
        (see kerasx_mxnet.hybrid). True and "auto" add Gluon's
        `hybridize(static_alloc=True, static_shape=True)` memory planning,
        faster on every workload of conformance.benchmark (convnet step 53
        against 63 ms, tiny CNN 1.78 against 2.00 ms, predict 152 against
        178 ms, LSTM 8.6 against 13.9 ms); False leaves it out."""
        static = jit_compile in (True, "auto")
        flags = [("static_alloc", True), ("static_shape", True)] if static else []
        return hybrid.HybridFunction(fn, flags)

    # ------------------------------------------------------------------
    # Devices
    # ------------------------------------------------------------------
    def list_devices(self):
        try:
            gpus = mx.context.num_gpus()
        except MXNetError:
            gpus = 0
        return ["cpu:0"] + [f"gpu:{i}" for i in range(gpus)]

    def device_scope(self, device_name):
        kind, _, index = str(device_name).partition(":")
        return mx.Context(kind, int(index or 0))


hybrid.traced_methods(MXNetBackend)
