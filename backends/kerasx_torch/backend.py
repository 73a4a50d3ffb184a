"""The PyTorch implementation of the kerasx backend contract.

Tensors are plain ``torch.Tensor`` objects; variables are leaf tensors with
``requires_grad`` set to their trainability. Every operation is a thin call
into PyTorch: no NumPy round trips and no Python loops over elements on the
hot path. Where PyTorch's semantics differ from the contract (tie handling,
padding, dtype of reductions, ...) the difference is handled here and
commented at the spot.
"""
import numpy as np
import torch
import torch.nn.functional as F

from kerasx.backend.contract import Backend
from kerasx.backend.dtypes import as_numpy, range_dtype, standardize_dtype
from kerasx.backend.state import STATE, setting

from kerasx_torch import interop
from kerasx_torch.math_kernels import MathKernels
from kerasx_torch.array_kernels import ArrayKernels
from kerasx_torch.control_kernels import ControlKernels
from kerasx_torch.linalg_kernels import LinalgKernels
from kerasx_torch.attention_kernels import AttentionKernels

_Tensor = torch.Tensor

_TO_TORCH = {
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
}
_FROM_TORCH = {v: k for k, v in _TO_TORCH.items()}
_INT_TORCH = (torch.int32, torch.int64, torch.int16, torch.int8, torch.uint8)

# Native kernels by number of spatial axes.
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


_SCALAR_DEFAULTS = {float: "float32", int: "int32", bool: "bool"}


def _torch_dtype(dtype):
    """torch dtype for a canonical name (or anything standardize_dtype reads)."""
    try:
        return _TO_TORCH[dtype]
    except (KeyError, TypeError):
        pass
    if isinstance(dtype, torch.dtype):
        if dtype in _FROM_TORCH:
            return dtype
        raise ValueError(f"Unsupported dtype {dtype!r}. kerasx supports: "
                         f"{', '.join(_TO_TORCH)}.")
    return _TO_TORCH[standardize_dtype(dtype)]


def _axis_arg(axis):
    """Normalise an axis argument for torch (lists become tuples)."""
    if isinstance(axis, list):
        return tuple(axis)
    return axis


class TorchBackend(MathKernels, ArrayKernels, ControlKernels, LinalgKernels, AttentionKernels,
                   Backend):
    """kerasx backend over PyTorch."""

    name = "torch"

    def __init__(self):
        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
        self._devices = ["cpu:0"] + [f"gpu:{i}" for i in range(gpus)]
        # Like Keras and TensorFlow, new tensors go to the first GPU when there
        # is one. None means torch's default (CPU) and skips device handling.
        self._default_device = torch.device("cuda", 0) if gpus else None
        self._one_hot_cache = {}
        self._pool_count_cache = {}

    # ------------------------------------------------------------------
    # Internal helpers
    # ------------------------------------------------------------------
    @property
    def _device(self):
        # The device of this thread's device_scope (kerasx/backend/state.py),
        # else the default.
        device = STATE.device
        return self._default_device if device is None else device
    def _t(self, x):
        """`x` as a tensor (operands of unary ops are normally tensors)."""
        if isinstance(x, _Tensor):
            return x
        return self.convert_to_tensor(x)

    def _scalar_for(self, s, ref):
        """A non-tensor operand converted to take the dtype of tensor `ref`.

        Python numbers stay Python numbers (torch treats them as weak scalars
        that take the tensor's dtype); only the cases where torch would
        promote instead (a float with an integer tensor, a number with a bool
        tensor) are converted.
        """
        kind = type(s)
        if kind is float:
            if ref.is_floating_point():
                return s
            if ref.dtype is torch.bool:
                return s != 0
            return int(s)
        if kind is int:
            if ref.dtype is torch.bool:
                return s != 0
            return s
        if kind is bool:
            return s
        if isinstance(s, (np.ndarray, np.generic)):
            if np.ndim(s) == 0:
                return self._scalar_for(s.item(), ref)
            return torch.as_tensor(np.asarray(s)).to(device=ref.device, dtype=ref.dtype)
        if isinstance(s, (list, tuple)):
            return torch.as_tensor(np.asarray(s)).to(device=ref.device, dtype=ref.dtype)
        return s

    def _operands(self, a, b):
        """(a, b) ready for a torch binary op: at least one is a tensor."""
        if isinstance(a, _Tensor):
            if isinstance(b, _Tensor):
                return a, b
            return a, self._scalar_for(b, a)
        if isinstance(b, _Tensor):
            return self._scalar_for(a, b), b
        a = self.convert_to_tensor(a)
        return a, self._scalar_for(b, a)

    def _both_tensors(self, a, b):
        """(a, b) as two tensors of one dtype (for ops that need tensors)."""
        a, b = self._operands(a, b)
        if not isinstance(a, _Tensor):
            a = torch.tensor(a, dtype=b.dtype, device=b.device)
        if not isinstance(b, _Tensor):
            b = torch.tensor(b, dtype=a.dtype, device=a.device)
        return a, b

    # ------------------------------------------------------------------
    # Tensors and conversion
    # ------------------------------------------------------------------
    def convert_to_tensor(self, x, dtype=None):
        device = self._device
        if isinstance(x, _Tensor):
            if dtype is not None:
                tdtype = _torch_dtype(dtype)
                if x.dtype is not tdtype:
                    x = x.to(tdtype)
            elif x.dtype not in _FROM_TORCH:
                raise ValueError(f"Unsupported dtype {x.dtype!r}. kerasx supports: "
                                 f"{', '.join(_TO_TORCH)}.")
            if device is not None and x.device != device:
                x = x.to(device)
            return x
        kind = type(x)
        if kind in _SCALAR_DEFAULTS:
            # Straight to torch, without NumPy: a compiled step (torch.compile)
            # cannot trace NumPy, and this is the hot path for scalars.
            return torch.tensor(x, dtype=_torch_dtype(dtype or _SCALAR_DEFAULTS[kind]),
                                device=device)
        if isinstance(x, (list, tuple)) and x and any(isinstance(e, _Tensor) for e in x):
            return torch.stack([self.convert_to_tensor(e, dtype) for e in x])
        arr = as_numpy(x, dtype)
        if arr is x or not arr.flags.c_contiguous or not arr.flags.writeable:
            # Copy: the tensor must not alias the caller's array (TensorFlow
            # and MXNet copy too), and torch rejects negative strides.
            arr = np.array(arr, order="C", copy=True)
        t = torch.from_numpy(arr)
        if device is not None:
            t = t.to(device)
        return t

    def to_numpy(self, x):
        if not isinstance(x, _Tensor):
            return np.asarray(x)
        x = x.detach()
        if x.device.type == "cpu":
            # A copy, so that writing to the array never changes the tensor.
            return x.numpy().copy()
        return x.cpu().numpy()

    def is_tensor(self, x):
        return isinstance(x, _Tensor)

    def shape(self, x):
        return tuple(x.shape)

    def dtype(self, x):
        try:
            return _FROM_TORCH[x.dtype]
        except KeyError:
            raise ValueError(f"Unsupported dtype {x.dtype!r}. kerasx supports: "
                             f"{', '.join(_TO_TORCH)}.") from None

    def cast(self, x, dtype):
        # torch's conversions already truncate floats toward zero and map
        # anything to bool as x != 0.
        if not isinstance(x, _Tensor):
            return self.convert_to_tensor(x, dtype)
        return x.to(_torch_dtype(dtype))

    def zeros(self, shape, dtype="float32"):
        return torch.zeros(tuple(shape), dtype=_torch_dtype(dtype), device=self._device)

    def ones(self, shape, dtype="float32"):
        return torch.ones(tuple(shape), dtype=_torch_dtype(dtype), device=self._device)

    def full(self, shape, fill_value, dtype="float32"):
        if isinstance(fill_value, (_Tensor, np.ndarray, np.generic)):
            fill_value = fill_value.item()
        return torch.full(tuple(shape), fill_value, dtype=_torch_dtype(dtype),
                          device=self._device)

    def arange(self, start, stop=None, step=1, dtype="int32"):
        if stop is None:
            start, stop = 0, start
        return torch.arange(start, stop, step, dtype=_torch_dtype(range_dtype(dtype)),
                            device=self._device)

    # ------------------------------------------------------------------
    # Element-wise arithmetic
    # ------------------------------------------------------------------
    def add(self, a, b):
        a, b = self._operands(a, b)
        return a + b

    def subtract(self, a, b):
        a, b = self._operands(a, b)
        return a - b

    def multiply(self, a, b):
        a, b = self._operands(a, b)
        return a * b

    def divide(self, a, b):
        a, b = self._operands(a, b)
        return a / b

    def power(self, a, b):
        a, b = self._operands(a, b)
        return a ** b

    def maximum(self, a, b):
        # torch.maximum splits the gradient at ties; the contract gives it to a.
        a, b = self._operands(a, b)
        return torch.where(a >= b, a, b)

    def minimum(self, a, b):
        a, b = self._operands(a, b)
        return torch.where(a <= b, a, b)

    def negative(self, x):
        return torch.neg(self._t(x))

    def abs(self, x):
        return torch.abs(self._t(x))

    def sign(self, x):
        return torch.sign(self._t(x))

    def sqrt(self, x):
        return torch.sqrt(self._t(x))

    def exp(self, x):
        return torch.exp(self._t(x))

    def log(self, x):
        return torch.log(self._t(x))

    def log1p(self, x):
        return torch.log1p(self._t(x))

    def expm1(self, x):
        return torch.expm1(self._t(x))

    def sin(self, x):
        return torch.sin(self._t(x))

    def cos(self, x):
        return torch.cos(self._t(x))

    def tanh(self, x):
        return torch.tanh(self._t(x))

    def sigmoid(self, x):
        return torch.sigmoid(self._t(x))

    def erf(self, x):
        return torch.erf(self._t(x))

    def floor(self, x):
        return torch.floor(self._t(x))

    def ceil(self, x):
        return torch.ceil(self._t(x))

    def round(self, x):
        # torch.round rounds half to even, as NumPy.
        return torch.round(self._t(x))

    # ------------------------------------------------------------------
    # Comparisons and logic
    # ------------------------------------------------------------------
    def equal(self, a, b):
        a, b = self._operands(a, b)
        return torch.eq(a, b) if isinstance(a, _Tensor) else torch.eq(b, a)

    def not_equal(self, a, b):
        a, b = self._operands(a, b)
        return torch.ne(a, b) if isinstance(a, _Tensor) else torch.ne(b, a)

    def less(self, a, b):
        a, b = self._operands(a, b)
        return torch.lt(a, b) if isinstance(a, _Tensor) else torch.gt(b, a)

    def less_equal(self, a, b):
        a, b = self._operands(a, b)
        return torch.le(a, b) if isinstance(a, _Tensor) else torch.ge(b, a)

    def greater(self, a, b):
        a, b = self._operands(a, b)
        return torch.gt(a, b) if isinstance(a, _Tensor) else torch.lt(b, a)

    def greater_equal(self, a, b):
        a, b = self._operands(a, b)
        return torch.ge(a, b) if isinstance(a, _Tensor) else torch.le(b, a)

    def logical_and(self, a, b):
        a, b = self._both_tensors(a, b)
        return torch.logical_and(a, b)

    def logical_or(self, a, b):
        a, b = self._both_tensors(a, b)
        return torch.logical_or(a, b)

    def logical_not(self, x):
        return torch.logical_not(self._t(x))

    # ------------------------------------------------------------------
    # Reductions
    # ------------------------------------------------------------------
    def sum(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        if axis == ():
            return x
        dt = x.dtype
        if dt is torch.bool or dt is torch.int32:
            # torch sums integers (and bools) to int64; keep int32 as Keras.
            return torch.sum(x, dim=axis, keepdim=keepdims, dtype=torch.int32)
        return torch.sum(x, dim=axis, keepdim=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        if not x.is_floating_point():
            x = x.to(torch.float32)
        if axis == ():
            return x
        return torch.mean(x, dim=axis, keepdim=keepdims)

    def max(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        if axis == ():
            return x
        if axis is None:
            return torch.amax(x, dim=tuple(range(x.dim())), keepdim=keepdims)
        return torch.amax(x, dim=axis, keepdim=keepdims)

    def min(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        if axis == ():
            return x
        if axis is None:
            return torch.amin(x, dim=tuple(range(x.dim())), keepdim=keepdims)
        return torch.amin(x, dim=axis, keepdim=keepdims)

    def prod(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        dt = x.dtype
        kw = {"dtype": torch.int32} if (dt is torch.int32 or dt is torch.bool) else {}
        if axis is None:
            out = torch.prod(x, **kw)
            if keepdims:
                out = out.reshape((1,) * x.dim())
            return out
        if isinstance(axis, int):
            return torch.prod(x, dim=axis, keepdim=keepdims, **kw)
        # torch.prod reduces one axis at a time; highest axis first keeps the
        # remaining indices valid when the axes are dropped.
        rank = x.dim()
        for ax in sorted((a % rank for a in axis), reverse=True):
            x = torch.prod(x, dim=ax, keepdim=keepdims, **kw)
        return x

    def any(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        if x.dtype is not torch.bool:
            x = x != 0
        if axis == ():
            return x
        if axis is None:
            return torch.any(x, dim=tuple(range(x.dim())), keepdim=keepdims) \
                if keepdims else torch.any(x)
        return torch.any(x, dim=axis, keepdim=keepdims)

    def all(self, x, axis=None, keepdims=False):
        x = self._t(x)
        axis = _axis_arg(axis)
        if x.dtype is not torch.bool:
            x = x != 0
        if axis == ():
            return x
        if axis is None:
            return torch.all(x, dim=tuple(range(x.dim())), keepdim=keepdims) \
                if keepdims else torch.all(x)
        return torch.all(x, dim=axis, keepdim=keepdims)

    def argmax(self, x, axis=-1):
        # torch.argmax returns the first maximal index, as NumPy.
        return torch.argmax(self._t(x), dim=axis).to(torch.int32)

    def argmin(self, x, axis=-1):
        return torch.argmin(self._t(x), dim=axis).to(torch.int32)

    # ------------------------------------------------------------------
    # Shape manipulation
    # ------------------------------------------------------------------
    def reshape(self, x, shape):
        if isinstance(shape, int):
            shape = (shape,)
        return torch.reshape(self._t(x), tuple(shape))

    def transpose(self, x, axes=None):
        x = self._t(x)
        if axes is None:
            return x.permute(tuple(range(x.dim() - 1, -1, -1)))
        return x.permute(tuple(axes))

    def concatenate(self, xs, axis=0):
        return torch.cat([self._t(x) for x in xs], dim=axis)

    def stack(self, xs, axis=0):
        return torch.stack([self._t(x) for x in xs], dim=axis)

    def split(self, x, indices_or_sections, axis=0):
        x = self._t(x)
        if isinstance(indices_or_sections, (int, np.integer)):
            sections = int(indices_or_sections)
            length = x.shape[axis]
            if sections <= 0 or length % sections:
                raise ValueError(
                    f"split: {sections} sections do not divide axis {axis} of "
                    f"length {length} equally.")
            return list(torch.split(x, length // sections, dim=axis))
        return list(torch.tensor_split(x, [int(i) for i in indices_or_sections],
                                       dim=axis))

    def slice(self, x, start_indices, shape):
        x = self._t(x)
        index = tuple(
            slice(int(s), None if int(n) == -1 else int(s) + int(n))
            for s, n in zip(start_indices, shape))
        return x[index]

    def pad(self, x, pad_width, constant_values=0):
        x = self._t(x)
        rank = x.dim()
        if isinstance(pad_width, int):
            pad_width = ((pad_width, pad_width),) * rank
        pad_width = [tuple(p) if not isinstance(p, int) else (p, p) for p in pad_width]
        if len(pad_width) == 1 and rank > 1:
            pad_width = pad_width * rank
        flat = []
        for before, after in reversed(pad_width):
            flat.append(int(before))
            flat.append(int(after))
        return F.pad(x, flat, mode="constant", value=constant_values)

    def tile(self, x, repeats):
        if isinstance(repeats, int):
            repeats = (repeats,)
        return torch.tile(self._t(x), tuple(repeats))

    def broadcast_to(self, x, shape):
        return torch.broadcast_to(self._t(x), tuple(shape))

    def expand_dims(self, x, axis):
        x = self._t(x)
        if isinstance(axis, int):
            return torch.unsqueeze(x, axis)
        rank = x.dim() + len(axis)
        for ax in sorted(a % rank for a in axis):
            x = torch.unsqueeze(x, ax)
        return x

    def squeeze(self, x, axis=None):
        x = self._t(x)
        if axis is None:
            return torch.squeeze(x)
        axis = (axis,) if isinstance(axis, int) else tuple(axis)
        shape = x.shape
        for ax in axis:
            if shape[ax] != 1:
                raise ValueError(
                    f"Cannot squeeze axis {ax} of shape {tuple(shape)}: its size "
                    "is not 1.")
        return torch.squeeze(x, axis)

    # ------------------------------------------------------------------
    # Indexing and selection
    # ------------------------------------------------------------------
    def _index(self, indices, device):
        if isinstance(indices, _Tensor):
            return indices
        if isinstance(indices, (int, np.integer)):
            return int(indices)
        arr = np.asarray(indices)
        if arr.dtype.kind not in "iu":
            raise ValueError(f"Indices must be integers; received dtype {arr.dtype}.")
        return torch.as_tensor(arr.astype(np.int64), device=device)

    def take(self, x, indices, axis=None):
        x = self._t(x)
        indices = self._index(indices, x.device)
        if axis is None:
            return x.reshape(-1)[indices]
        axis = axis % x.dim()
        if axis == 0:
            return x[indices]
        # Advanced indexing gives numpy.take's shape (x.shape[:axis] +
        # indices.shape + x.shape[axis+1:]) and accepts negative indices.
        return x[(slice(None),) * axis + (indices,)]

    def take_along_axis(self, x, indices, axis):
        x = self._t(x)
        indices = self._index(indices, x.device)
        if indices.dtype is not torch.int64:
            indices = indices.to(torch.int64)
        # gather wants non-negative int64 indices; NumPy accepts negatives.
        indices = torch.remainder(indices, x.shape[axis])
        return torch.take_along_dim(x, indices, dim=axis)

    def one_hot(self, indices, num_classes, dtype="float32"):
        indices = self._index(indices, self._device)
        if not isinstance(indices, _Tensor):
            indices = torch.tensor(indices, device=self._device)
        # A comparison with arange gives all-zero rows for out-of-range
        # indices; F.one_hot raises on them.
        key = (int(num_classes), indices.device)
        classes = self._one_hot_cache.get(key)
        if classes is None:
            classes = torch.arange(int(num_classes), device=indices.device)
            self._one_hot_cache[key] = classes
        return (indices.unsqueeze(-1) == classes).to(_torch_dtype(dtype))

    def where(self, condition, x, y):
        condition = self._t(condition)
        if condition.dtype is not torch.bool:
            condition = condition != 0
        if not isinstance(x, _Tensor) and not isinstance(y, _Tensor):
            x = self.convert_to_tensor(x)
        x, y = self._operands(x, y)
        return torch.where(condition, x, y)

    def clip(self, x, x_min, x_max):
        x = self._t(x)
        # torch.clamp's gradient passes where min <= x <= max (inclusive).
        if isinstance(x_min, _Tensor) or isinstance(x_max, _Tensor):
            x_min = self.convert_to_tensor(x_min, _FROM_TORCH[x.dtype])
            x_max = self.convert_to_tensor(x_max, _FROM_TORCH[x.dtype])
        else:
            x_min = self._scalar_for(x_min, x)
            x_max = self._scalar_for(x_max, x)
        return torch.clamp(x, x_min, x_max)

    def top_k(self, x, k, sorted=True):
        x = self._t(x)
        # torch.topk does not order ties by index; a stable descending sort
        # keeps the lower index first among equal values.
        values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
        return values[..., :k], indices[..., :k].to(torch.int32)

    def stop_gradient(self, x):
        return self._t(x).detach()

    # ------------------------------------------------------------------
    # Linear algebra
    # ------------------------------------------------------------------
    def matmul(self, a, b):
        return torch.matmul(self._t(a), self._t(b))

    # ------------------------------------------------------------------
    # Convolution and pooling
    # ------------------------------------------------------------------
    # The contract checks and resolves the arguments (kerasx.backend.conv_spec);
    # each kernel derives its torch call once per spec (`spec.native`).
    @staticmethod
    def _explicit_pads(pads):
        """F.pad's argument (last axis first) for per-axis (before, after)."""
        explicit = []
        for before, after in reversed(pads):
            explicit += [before, after]
        return explicit

    @staticmethod
    def _conv_plan(spec):
        rank = spec.rank
        pad, explicit = 0, None
        if spec.symmetric:
            pad = tuple(b for b, _ in spec.pads)
        else:
            # TensorFlow puts the odd pixel after; torch pads symmetrically.
            explicit = TorchBackend._explicit_pads(spec.pads)
        return (_CONV[rank],
                None if spec.channels_first else spec.to_channels_first,
                None if spec.channels_first else spec.to_channels_last,
                # Keras (*window, in/groups, out) -> torch (out, in/groups, *window).
                (rank + 1, rank) + tuple(range(rank)),
                explicit, spec.strides, pad, spec.dilation, spec.groups)

    def _conv_kernel(self, x, kernel, spec):
        x = self._t(x)
        kernel = self._t(kernel)
        fn, to_first, to_last, kperm, explicit, strides, pad, dilation, groups = \
            spec.native("torch", self._conv_plan)
        if to_first is not None:
            x = x.permute(to_first)
        if explicit is not None:
            x = F.pad(x, explicit)
        y = fn(x, kernel.permute(kperm), None, strides, pad, dilation, groups)
        if to_last is not None:
            y = y.permute(to_last)
        return y

    @staticmethod
    def _conv_transpose_plan(spec):
        rank = spec.rank
        # torch returns elements [p, full - p + q) of the full output (zeros
        # past its end) for output_padding q < max(stride, dilation).
        pad = tuple(before for before, _ in spec.pads)
        out_pad = tuple(before - after for before, after in spec.pads)
        explicit = None
        if not all(0 <= q < max(s, d) for q, s, d in zip(out_pad, spec.strides,
                                                         spec.dilation)):
            # Take the full output and crop (negative pad) or extend with
            # zeros (positive pad) to Keras's length.
            explicit = TorchBackend._explicit_pads(
                [(-before, -after) for before, after in spec.pads])
            pad, out_pad = (0,) * rank, (0,) * rank
        return (_CONV_TRANSPOSE[rank],
                None if spec.channels_first else spec.to_channels_first,
                None if spec.channels_first else spec.to_channels_last,
                # Keras (*window, out, in) -> torch (in, out, *window).
                (rank + 1, rank) + tuple(range(rank)),
                spec.strides, pad, out_pad, spec.dilation, explicit)

    def _conv_transpose_kernel(self, x, kernel, spec):
        x = self._t(x)
        kernel = self._t(kernel)
        fn, to_first, to_last, kperm, strides, pad, out_pad, dilation, explicit = \
            spec.native("torch", self._conv_transpose_plan)
        if to_first is not None:
            x = x.permute(to_first)
        y = fn(x, kernel.permute(kperm), None, strides, pad, out_pad, 1, dilation)
        if explicit is not None:
            y = F.pad(y, explicit)
        if to_last is not None:
            y = y.permute(to_last)
        return y

    @staticmethod
    def _pool_plan(spec):
        """(fn, to_first, to_last, explicit pad, torch pad, rescale-needed)."""
        pad, explicit = 0, None
        if spec.symmetric:
            # torch's implicit padding never wins a maximum and, with
            # count_include_pad=False, is not counted in an average.
            pad = tuple(b for b, _ in spec.pads)
        else:
            # torch pads symmetrically only: pad explicitly (the odd pixel
            # after, as TensorFlow).
            explicit = TorchBackend._explicit_pads(spec.pads)
        fn = (_MAX_POOL if spec.op == "max_pool" else _AVG_POOL)[spec.rank]
        return (fn, None if spec.channels_first else spec.to_channels_first,
                None if spec.channels_first else spec.to_channels_last,
                explicit, pad)

    def _max_pool_kernel(self, x, spec):
        x = self._t(x)
        fn, to_first, to_last, explicit, pad = spec.native("torch", self._pool_plan)
        if to_first is not None:
            x = x.permute(to_first)
        if explicit is not None:
            x = F.pad(x, explicit, value=float("-inf"))
        y = fn(x, spec.window, spec.strides, pad)
        if to_last is not None:
            y = y.permute(to_last)
        return y

    def _pool_scale(self, spec, like):
        """Per-position factor window_size / (number of real elements in the
        window) for "same" average pooling with asymmetric padding; cached."""
        key = (spec, like.dtype, like.device)
        scale = self._pool_count_cache.get(key)
        if scale is None:
            counts = None
            for length, k, s, (before, _) in zip(spec.input_spatial, spec.window,
                                                 spec.strides, spec.pads):
                out = -(-length // s)
                start = np.arange(out) * s - before
                c = np.minimum(start + k, length) - np.maximum(start, 0)
                counts = c if counts is None else np.multiply.outer(counts, c)
            size = float(np.prod(spec.window))
            scale = torch.as_tensor(size / counts, dtype=like.dtype, device=like.device)
            self._pool_count_cache[key] = scale
        return scale

    def _average_pool_kernel(self, x, spec):
        x = self._t(x)
        fn, to_first, to_last, explicit, pad = spec.native("torch", self._pool_plan)
        if to_first is not None:
            x = x.permute(to_first)
        if explicit is None:
            y = fn(x, spec.window, spec.strides, pad, False, False)
        else:
            # Average over the whole (zero-padded) window, then rescale by
            # window size / number of real elements, so padding is not counted.
            y = fn(F.pad(x, explicit), spec.window, spec.strides, 0)
            y = y * self._pool_scale(spec, y)
        if to_last is not None:
            y = y.permute(to_last)
        return y

    # ------------------------------------------------------------------
    # Activations
    # ------------------------------------------------------------------
    def relu(self, x):
        # torch.relu's gradient at 0 is 0.
        return torch.relu(self._t(x))

    # ------------------------------------------------------------------
    # Variables and gradients
    # ------------------------------------------------------------------
    def variable(self, value, dtype=None, trainable=True, name=None):
        t = self.convert_to_tensor(value, dtype)
        # A fresh leaf that owns its storage: assign must never write into
        # the caller's tensor.
        t = t.detach().clone()
        # An nn.Parameter, so that torch optimizers and nn.Module take it.
        return torch.nn.Parameter(t, requires_grad=bool(trainable and t.is_floating_point()))

    def variable_value(self, variable):
        return variable

    def assign(self, variable, value):
        if variable.dim() == 0:
            # Written through a (1,) view: torch.compile (inductor, CPU,
            # torch 2.13) silently drops in-place writes to 0-d float64
            # tensors, e.g. float64 metric totals.
            value = value.reshape(1) if isinstance(value, _Tensor) else value
            variable = variable.view(1)
        with torch.no_grad():
            if isinstance(value, _Tensor):
                variable.copy_(value)
            elif isinstance(value, (int, float, bool)):
                variable.fill_(value)
            else:
                variable.copy_(torch.as_tensor(np.asarray(value)))
        return None

    def assign_add(self, variable, value):
        if variable.dim() == 0:  # see assign
            value = value.reshape(1) if isinstance(value, _Tensor) else value
            variable = variable.view(1)
        with torch.no_grad():
            if isinstance(value, _Tensor):
                if value.dtype is not variable.dtype:
                    value = value.to(variable.dtype)
                variable.add_(value)
            elif isinstance(value, (int, float)):
                variable.add_(value)
            else:
                variable.add_(torch.as_tensor(np.asarray(value)).to(
                    device=variable.device, dtype=variable.dtype))
        return None

    # ------------------------------------------------------------------
    # Loops: the contract's Python loops (scan, while_loop, fori_loop). Eager
    # PyTorch runs Python loops natively. Under torch.compile they unroll:
    # PyTorch 2.13's scan operator (torch._higher_order_ops.scan), the one
    # construct that would trace the body once, cannot serve (measured with
    # a 10-step tanh recurrence, CPU): inductor lowers it only with
    # capture_scalar_outputs, then returns gradients off by 3.4 (aot_eager
    # gets them right) and refuses common bodies ("scan might be aliasing
    # the input or the output!").
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Recurrent layers: PyTorch's fused kernels (torch.lstm / torch.gru, the
    # functional forms of nn.LSTM / nn.GRU; cuDNN on GPU). They implement the
    # contract's unmasked cases exactly; masks and GRU with
    # reset_after=False fall back to the contract's step loop.
    # ------------------------------------------------------------------
    def lstm(self, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias=None,
             mask=None, go_backwards=False, zero_output_for_mask=False):
        if mask is not None or torch.compiler.is_compiling():
            # torch.compile (inductor, CPU) cannot lower the fused oneDNN
            # RNN kernel; the step loop compiles.
            return super().lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel,
                                bias, mask, go_backwards, zero_output_for_mask)
        # Keras's gate order i, f, c, o is PyTorch's i, f, g, o; PyTorch's
        # weights are (4 * units, in): the transposed Keras kernels.
        params = [kernel.t(), recurrent_kernel.t()]
        if bias is not None:
            params += [bias, torch.zeros_like(bias)]
        x = torch.flip(inputs, dims=(1,)) if go_backwards else inputs
        outputs, h, c = torch.lstm(x, (initial_h.unsqueeze(0), initial_c.unsqueeze(0)),
                                   params, bias is not None, 1, 0.0, False, False, True)
        return outputs[:, -1], outputs, h[0], c[0]

    def gru(self, inputs, initial_h, kernel, recurrent_kernel, bias=None, mask=None,
            go_backwards=False, zero_output_for_mask=False, reset_after=True):
        if mask is not None or not reset_after or torch.compiler.is_compiling():
            return super().gru(inputs, initial_h, kernel, recurrent_kernel, bias, mask,
                               go_backwards, zero_output_for_mask, reset_after)

        def reorder(w):  # Keras z, r, h -> PyTorch r, z, n along the last axis
            z, r, h = torch.chunk(w, 3, dim=-1)
            return torch.cat([r, z, h], dim=-1)

        params = [reorder(kernel).t(), reorder(recurrent_kernel).t()]
        if bias is not None:
            params += [reorder(bias[0]), reorder(bias[1])]
        x = torch.flip(inputs, dims=(1,)) if go_backwards else inputs
        outputs, h = torch.gru(x, initial_h.unsqueeze(0), params, bias is not None, 1, 0.0,
                               False, False, True)
        return outputs[:, -1], outputs, h[0]

    def value_and_grad(self, fn, variables):
        variables = list(variables)
        with torch.enable_grad():
            value = fn()
        wanted = [i for i, v in enumerate(variables) if v.requires_grad]
        grads = [None] * len(variables)
        if wanted and isinstance(value, _Tensor) and value.requires_grad:
            found = torch.autograd.grad(
                value, [variables[i] for i in wanted],
                grad_outputs=None if value.dim() == 0 else torch.ones_like(value),
                allow_unused=True)
            for i, g in zip(wanted, found):
                grads[i] = g
        for i, g in enumerate(grads):
            v = variables[i]
            if g is None:
                grads[i] = torch.zeros_like(v, memory_format=torch.contiguous_format)
            elif g.dtype is not v.dtype:
                grads[i] = g.to(v.dtype)
        if isinstance(value, _Tensor):
            value = value.detach()
        return value, grads

    def adam_update(self, variables, grads, momentums, velocities, alpha, beta_1, beta_2,
                    epsilon):
        # The composite's element-wise sequence in multi-tensor kernels (as
        # torch.optim.Adam): about 10 calls instead of 12 per variable.
        with torch.no_grad():
            diff = torch._foreach_sub(grads, momentums)
            torch._foreach_mul_(diff, 1 - beta_1)
            torch._foreach_add_(momentums, diff)
            diff = torch._foreach_mul(grads, grads)
            torch._foreach_sub_(diff, velocities)
            torch._foreach_mul_(diff, 1 - beta_2)
            torch._foreach_add_(velocities, diff)
            step = torch._foreach_mul(momentums, alpha)
            denom = torch._foreach_sqrt(velocities)
            torch._foreach_add_(denom, epsilon)
            torch._foreach_div_(step, denom)
            torch._foreach_sub_(variables, step)

    # ------------------------------------------------------------------
    # Native interop (kerasx_torch.interop)
    # ------------------------------------------------------------------
    def layer_base(self):
        return interop.LayerModule

    def variable_base(self):
        return interop.VariableTensor

    def module_variables(self, module):
        return interop.module_variables(module)

    # ------------------------------------------------------------------
    # Compiled execution
    # ------------------------------------------------------------------
    def compile_function(self, fn, jit_compile="auto"):
        # torch has no graph mode short of torch.compile, whose first call
        # compiles for tens of seconds on a small CPU; so, as in Keras 3's
        # torch backend, only jit_compile=True compiles.
        if jit_compile is not True:
            return None
        return torch.compile(fn, dynamic=False)

    # ------------------------------------------------------------------
    # Devices
    # ------------------------------------------------------------------
    def list_devices(self):
        return list(self._devices)

    def device_scope(self, device_name):
        kind, _, index = str(device_name).partition(":")
        index = int(index or 0)
        if kind == "cpu":
            device = torch.device("cpu")
        elif kind in ("gpu", "cuda"):
            device = torch.device("cuda", index)
        else:
            raise ValueError(f"Invalid device name {device_name!r}.")
        return setting(device=device)
