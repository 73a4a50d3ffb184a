"""The backend contract: every operation the kerasx front end may call.

A plugin subclasses `Backend` and implements every *primitive*. *Composites*
are written here once, in terms of primitives, so that every backend computes
them with the same formula (hence the same numerics); a plugin may override a
composite with a native kernel when that passes the same op conformance.

Each operation's decorator also declares its role (`OpRole`: which arguments
are tensors, whether they are promoted together, whether it is a Keras op or
backend-internal). `kerasx.ops`, the MXNet tracer and docs/contract.md are
generated from these declarations (`contract_roles()`).

Conventions that hold for every operation unless its docstring says otherwise:

- Tensors are the framework's own (tf.Tensor, torch.Tensor, mx.np.ndarray).
  Arguments named `x`, `a`, `b` ... accept a native tensor; binary operations
  also accept a Python scalar for one operand, which takes the dtype of the
  other operand.
- Dtypes are named by the strings of `kerasx.backend.dtypes.DTYPES`:
  float16, float32, float64, int32, int64, bool; and int8, uint8
  (`NARROW_INT_DTYPES`, quantized storage), which every plugin casts to and
  from and converts.
- The two tensor operands of a binary operation share one dtype; the front end
  casts explicitly (there is no implicit promotion in the contract). The result
  has that dtype, except comparisons and logical operations, which return bool.
- Floating results keep the input's precision: a float64 input gives float64
  arithmetic end to end (no silent drop to float32).
- `axis` may be an int, a tuple of ints or None (all axes); negative axes count
  from the end.
- Spatial operations take `data_format` "channels_last" (N, *spatial, C), the
  default, or "channels_first" (N, C, *spatial). Weights are always in Keras
  layout: convolution kernels (*window, in_channels // groups, out_channels),
  transposed-convolution kernels (*window, out_channels, in_channels).
- "same" padding is TensorFlow's: ceil(n / stride) outputs, the odd pixel of
  padding after the input (`kerasx.backend.conv_utils.same_padding`).
- Every primitive is differentiable where the mathematics is, through
  `value_and_grad`.
"""
import re

from kerasx.backend.contract_activations import EPSILON, ActivationsContract  # noqa: F401
from kerasx.backend.contract_array import ArrayContract
from kerasx.backend.contract_attention import AttentionContract
from kerasx.backend.contract_autodiff import AutodiffContract
from kerasx.backend.contract_control import ControlContract
from kerasx.backend.contract_conv import ConvContract
from kerasx.backend.contract_creation import CreationContract
from kerasx.backend.contract_ctc import CtcContract
from kerasx.backend.contract_einops import EinopsContract
from kerasx.backend.contract_fft import FftContract
from kerasx.backend.contract_host import HostContract
from kerasx.backend.contract_image import ImageContract
from kerasx.backend.contract_image_windows import ImageWindowContract
from kerasx.backend.contract_indexing import IndexingContract
from kerasx.backend.contract_linalg import LinalgContract
from kerasx.backend.contract_loops import LoopsContract
from kerasx.backend.contract_math import MathContract
from kerasx.backend.contract_nn import NnContract
from kerasx.backend.contract_numeric import NumericContract
from kerasx.backend.contract_pooling import PoolingContract
from kerasx.backend.contract_products import ProductsContract
from kerasx.backend.contract_stats import StatsContract
from kerasx.backend.contract_variables import VariablesContract
from kerasx.backend.contract_remat import RematContract
from kerasx.backend.errors import DeviceNotAvailableError
from kerasx.backend.op_roles import (OpRole, composite, hook, kernel,  # noqa: F401
                                     primitive)



class Backend(ConvContract, ActivationsContract, LoopsContract, VariablesContract,
              MathContract, CreationContract, StatsContract, ArrayContract, IndexingContract,
              ControlContract, AutodiffContract, NumericContract, FftContract,
              PoolingContract, NnContract, CtcContract, LinalgContract, AttentionContract,
              ImageContract, ImageWindowContract, HostContract, ProductsContract,
              EinopsContract, RematContract):
    """Base class of every backend plugin; the declaration of the contract."""

    #: Canonical name of the backend, set by each plugin ("tensorflow", ...).
    name = "abstract"

    # ------------------------------------------------------------------
    # Tensors and conversion
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def convert_to_tensor(self, x, dtype=None):
        """Return `x` (NumPy array, Python scalar or list, native tensor) as a
        native tensor on the current device.

        dtype None keeps a NumPy array's or tensor's dtype; Python floats give
        float32, ints int32, bools bool (kerasx.backend.dtypes.as_numpy).
        A given `dtype` casts. Raises ValueError for an unsupported dtype.
        """

    @primitive(tensors=("x",), public=False)
    def to_numpy(self, x):
        """Return a NumPy array with the tensor's values, shape and dtype."""

    @primitive(tensors=())
    def is_tensor(self, x):
        """True when `x` is a native tensor (or variable) of this backend."""

    @primitive(tensors=())
    def shape(self, x):
        """The static shape of `x` as a tuple of ints."""

    @primitive(tensors=())
    def dtype(self, x):
        """The canonical dtype name of `x` (one of DTYPES)."""

    @primitive(tensors=("x",))
    def cast(self, x, dtype):
        """`x` converted to `dtype`. Float to int truncates toward zero;
        anything to bool is `x != 0`."""

    @primitive(tensors=())
    def zeros(self, shape, dtype="float32"):
        """A tensor of zeros of `shape` (tuple of ints)."""

    @primitive(tensors=())
    def ones(self, shape, dtype="float32"):
        """A tensor of ones of `shape`."""

    @primitive(tensors=())
    def full(self, shape, fill_value, dtype="float32"):
        """A tensor of `shape` filled with the scalar `fill_value`."""

    @primitive(tensors=())
    def arange(self, start, stop=None, step=1, dtype="int32"):
        """Evenly spaced values in [start, stop), as numpy.arange.

        Raises:
            ValueError: dtype bool (`kerasx.backend.dtypes.range_dtype`).
        """

    @composite(tensors=())
    def ndim(self, x):
        """Number of dimensions of `x`."""
        return len(self.shape(x))

    @composite(tensors=("x",))
    def zeros_like(self, x):
        """Zeros with the shape and dtype of `x`."""
        return self.zeros(self.shape(x), self.dtype(x))

    @composite(tensors=("x",))
    def ones_like(self, x):
        """Ones with the shape and dtype of `x`."""
        return self.ones(self.shape(x), self.dtype(x))

    # ------------------------------------------------------------------
    # Element-wise arithmetic (broadcasting as NumPy)
    # ------------------------------------------------------------------
    @primitive(tensors=("a", "b"), promote=True)
    def add(self, a, b):
        """a + b."""

    @primitive(tensors=("a", "b"), promote=True)
    def subtract(self, a, b):
        """a - b."""

    @primitive(tensors=("a", "b"), promote=True)
    def multiply(self, a, b):
        """a * b."""

    @primitive(tensors=("a", "b"), promote=True)
    def divide(self, a, b):
        """a / b, true division; float operands only."""

    @primitive(tensors=("a", "b"), promote=True)
    def power(self, a, b):
        """a ** b."""

    @primitive(tensors=("a", "b"), promote=True)
    def maximum(self, a, b):
        """Element-wise maximum. The gradient at ties goes to `a`."""

    @primitive(tensors=("a", "b"), promote=True)
    def minimum(self, a, b):
        """Element-wise minimum. The gradient at ties goes to `a`."""

    @primitive(tensors=("x",))
    def negative(self, x):
        """-x."""

    @primitive(tensors=("x",))
    def abs(self, x):
        """|x|."""

    @primitive(tensors=("x",))
    def sign(self, x):
        """-1, 0 or 1 by the sign of x, in x's dtype."""

    @primitive(tensors=("x",))
    def sqrt(self, x):
        """Square root."""

    @primitive(tensors=("x",))
    def exp(self, x):
        """e ** x."""

    @primitive(tensors=("x",))
    def log(self, x):
        """Natural logarithm."""

    @primitive(tensors=("x",))
    def log1p(self, x):
        """log(1 + x), accurate for small x."""

    @primitive(tensors=("x",))
    def expm1(self, x):
        """exp(x) - 1, accurate for small x."""

    @primitive(tensors=("x",))
    def sin(self, x):
        """Sine."""

    @primitive(tensors=("x",))
    def cos(self, x):
        """Cosine."""

    @primitive(tensors=("x",))
    def tanh(self, x):
        """Hyperbolic tangent."""

    @primitive(tensors=("x",))
    def sigmoid(self, x):
        """1 / (1 + exp(-x)), computed without overflow for large |x|."""

    @primitive(tensors=("x",))
    def erf(self, x):
        """The error function."""

    @primitive(tensors=("x",))
    def floor(self, x):
        """Largest integer value not greater than x (float in, float out)."""

    @primitive(tensors=("x",))
    def ceil(self, x):
        """Smallest integer value not less than x."""

    @primitive(tensors=("x",))
    def round(self, x):
        """Round half to even, as numpy.round."""

    @composite(tensors=("x",))
    def square(self, x):
        """x * x."""
        return self.multiply(x, x)

    @composite(tensors=("x",))
    def reciprocal(self, x):
        """1 / x."""
        return self.divide(1.0, x)

    @composite(tensors=("x",))
    def rsqrt(self, x):
        """1 / sqrt(x)."""
        return self.reciprocal(self.sqrt(x))

    # ------------------------------------------------------------------
    # Comparisons and logic (return bool)
    # ------------------------------------------------------------------
    @primitive(tensors=("a", "b"), promote=True)
    def equal(self, a, b):
        """a == b."""

    @primitive(tensors=("a", "b"), promote=True)
    def not_equal(self, a, b):
        """a != b."""

    @primitive(tensors=("a", "b"), promote=True)
    def less(self, a, b):
        """a < b."""

    @primitive(tensors=("a", "b"), promote=True)
    def less_equal(self, a, b):
        """a <= b."""

    @primitive(tensors=("a", "b"), promote=True)
    def greater(self, a, b):
        """a > b."""

    @primitive(tensors=("a", "b"), promote=True)
    def greater_equal(self, a, b):
        """a >= b."""

    @primitive(tensors=("a", "b"))
    def logical_and(self, a, b):
        """Element-wise AND of two bool tensors."""

    @primitive(tensors=("a", "b"))
    def logical_or(self, a, b):
        """Element-wise OR of two bool tensors."""

    @primitive(tensors=("x",))
    def logical_not(self, x):
        """Element-wise NOT of a bool tensor."""

    # ------------------------------------------------------------------
    # Reductions
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def sum(self, x, axis=None, keepdims=False):
        """Sum over `axis`."""

    @primitive(tensors=("x",))
    def mean(self, x, axis=None, keepdims=False):
        """Arithmetic mean over `axis` (float inputs)."""

    @primitive(tensors=("x",))
    def max(self, x, axis=None, keepdims=False):
        """Maximum over `axis`. How the gradient is shared among tied maxima
        is the framework's; conformance compares inputs without ties."""

    @primitive(tensors=("x",))
    def min(self, x, axis=None, keepdims=False):
        """Minimum over `axis`; gradient as `max`."""

    @primitive(tensors=("x",))
    def prod(self, x, axis=None, keepdims=False):
        """Product over `axis`."""

    @primitive(tensors=("x",))
    def any(self, x, axis=None, keepdims=False):
        """Logical OR over `axis` of a bool tensor."""

    @primitive(tensors=("x",))
    def all(self, x, axis=None, keepdims=False):
        """Logical AND over `axis` of a bool tensor."""

    @primitive(tensors=("x",))
    def argmax(self, x, axis=-1):
        """Index (int32) of the first maximum along the int `axis`."""

    @primitive(tensors=("x",))
    def argmin(self, x, axis=-1):
        """Index (int32) of the first minimum along the int `axis`."""

    @composite(tensors=("x",))
    def var(self, x, axis=None, keepdims=False):
        """Biased variance, mean((x - mean(x)) ** 2), over `axis`."""
        centred = self.subtract(x, self.mean(x, axis=axis, keepdims=True))
        return self.mean(self.square(centred), axis=axis, keepdims=keepdims)

    @composite(tensors=("x",))
    def std(self, x, axis=None, keepdims=False):
        """sqrt(var(x))."""
        return self.sqrt(self.var(x, axis=axis, keepdims=keepdims))

    @composite(tensors=("x",))
    def logsumexp(self, x, axis=None, keepdims=False):
        """log(sum(exp(x))) over `axis`, shifted by the maximum for stability."""
        peak = self.stop_gradient(self.max(x, axis=axis, keepdims=True))
        total = self.sum(self.exp(self.subtract(x, peak)), axis=axis, keepdims=True)
        out = self.add(self.log(total), peak)
        if not keepdims:
            out = self.squeeze(out, axis=self._axes_tuple(x, axis))
        return out

    @composite(tensors=("x",))
    def moments(self, x, axes, keepdims=False):
        """(mean, variance) of `x` over `axes`; biased variance, as Keras's
        BatchNormalization and LayerNormalization use."""
        mean = self.mean(x, axis=axes, keepdims=True)
        variance = self.mean(self.square(self.subtract(x, self.stop_gradient(mean))),
                             axis=axes, keepdims=True)
        if not keepdims:
            axes = self._axes_tuple(x, axes)
            mean = self.squeeze(mean, axis=axes)
            variance = self.squeeze(variance, axis=axes)
        return mean, variance

    # ------------------------------------------------------------------
    # Shape manipulation
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def reshape(self, x, shape):
        """`x` with a new shape (tuple of ints; at most one -1)."""

    @primitive(tensors=("x",))
    def transpose(self, x, axes=None):
        """Permute dimensions; axes None reverses them."""

    @primitive(tensors=("xs",))
    def concatenate(self, xs, axis=0):
        """Join a list of tensors along an existing axis."""

    @primitive(tensors=("xs",))
    def stack(self, xs, axis=0):
        """Join a list of same-shape tensors along a new axis."""

    @primitive(tensors=("x",))
    def split(self, x, indices_or_sections, axis=0):
        """List of sub-tensors, as numpy.split: an int gives equal sections
        (it must divide the axis), a list of ints gives split points."""

    @primitive(tensors=("x",))
    def slice(self, x, start_indices, shape):
        """The block of `x` starting at `start_indices` (tuple of ints) with
        extent `shape` (tuple of ints; -1 means to the end)."""

    @primitive(tensors=("x",))
    def pad(self, x, pad_width, constant_values=0):
        """Pad with a constant; pad_width is ((before, after), ...) per axis."""

    @primitive(tensors=("x",))
    def tile(self, x, repeats):
        """Repeat `x` `repeats[i]` times along axis i (len(repeats) == ndim)."""

    @primitive(tensors=("x",))
    def broadcast_to(self, x, shape):
        """Broadcast `x` to `shape` under NumPy's rules."""

    @primitive(tensors=("x",))
    def expand_dims(self, x, axis):
        """Insert a dimension of size 1 at the int `axis`."""

    @primitive(tensors=("x",))
    def squeeze(self, x, axis=None):
        """Remove dimensions of size 1 (all of them, or those in `axis`)."""

    # ------------------------------------------------------------------
    # Indexing and selection
    # ------------------------------------------------------------------
    @primitive(tensors=("x", "indices"))
    def take(self, x, indices, axis=None):
        """Gather along `axis` with int32/int64 `indices` (any shape), as
        numpy.take; axis None indexes the flattened `x`. Out-of-range indices
        are an error or undefined; the front end validates them."""

    @primitive(tensors=("x", "indices"))
    def take_along_axis(self, x, indices, axis):
        """As numpy.take_along_axis."""

    @primitive(tensors=("indices",))
    def one_hot(self, indices, num_classes, dtype="float32"):
        """One-hot encoding along a new last axis; out-of-range indices give
        all-zero rows."""

    @primitive(tensors=("condition", "x", "y"))
    def where(self, condition, x, y):
        """Elements of `x` where the bool `condition` holds, else `y`. The
        gradient flows only to the selected elements."""

    @primitive(tensors=("x",))
    def clip(self, x, x_min, x_max):
        """Limit `x` to [x_min, x_max] (numbers, or tensors broadcast against
        `x`). The gradient passes where x_min <= x <= x_max, boundaries
        included."""

    @primitive(tensors=("x",))
    def top_k(self, x, k, sorted=True):
        """(values, indices int32) of the k largest entries along the last axis,
        largest first; among ties the lower index comes first."""

    @primitive(tensors=("x",))
    def stop_gradient(self, x):
        """`x`, treated as a constant by `value_and_grad`."""

    # ------------------------------------------------------------------
    # Linear algebra
    # ------------------------------------------------------------------
    @primitive(tensors=("a", "b"), promote=True)
    def matmul(self, a, b):
        """Matrix product as numpy.matmul (batch dimensions broadcast; 1-D
        operands are promoted as NumPy does)."""

    # ------------------------------------------------------------------
    # Native interop: the framework's own training loops and APIs
    # ------------------------------------------------------------------
    @hook
    def layer_base(self):
        """A class every Layer made under this backend also derives from
        (after the kerasx classes in the method order, so kerasx's methods
        win), or None. The front end calls its `__init__()` without
        arguments on each new layer before any attribute is set; the class
        reads the layer's own variables (`_trainable_variables`,
        `_non_trainable_variables`) and sublayers (`_layers`) to present
        them natively (e.g. as a torch.nn.Module). None: layers are plain."""
        return None

    @hook
    def variable_base(self):
        """A class every kerasx Variable made under this backend also derives
        from (after kerasx's Variable), or None. It makes the variable usable
        wherever the framework takes a tensor or a variable (gradient tapes,
        checkpoints, native operators); the variable's native object is
        `self._native`."""
        return None

    @hook
    def module_variables(self, module):
        """[(name, native variable, trainable), ...] of a framework module
        (e.g. a torch.nn.Module) so that a layer can wrap it and train its
        parameters in place, or None when this backend cannot wrap `module`."""
        return None

    # ------------------------------------------------------------------
    # Compiled execution
    # ------------------------------------------------------------------
    @composite(tensors=(), public=False)
    def compile_function(self, fn, jit_compile="auto"):
        """`fn` compiled by the framework, or None where this backend runs
        that mode eagerly.

        `fn` takes and returns nested lists, tuples and dicts of tensors; it
        may read variables, call `value_and_grad` and `assign` to variables.
        The front end calls `compile_function` once per input signature
        (shapes, dtypes and structure), so a plugin may specialise on it, and
        calls the result only with tensors of that signature. Values computed
        by the result equal those of calling `fn` eagerly within the op
        conformance tolerances.

        `jit_compile` is Keras's argument: True asks for the framework's
        optimising compiler (XLA, torch.compile), False for plain graph
        execution where the framework has one, "auto" for the mode the plugin
        measured fastest. This default has no compiler: every mode is eager.
        """
        return None

    # ------------------------------------------------------------------
    # Devices
    # ------------------------------------------------------------------
    @primitive(tensors=(), public=False)
    def list_devices(self):
        """Names of the devices this backend can use: "cpu:0", "gpu:0", ..."""

    @primitive(tensors=(), public=False)
    def device_scope(self, device_name):
        """Context manager placing new tensors and variables on the canonical
        `device_name` ("cpu:0", "gpu:1"); called by `device`, which has
        already checked that it exists."""

    @composite(tensors=(), public=False)
    def device(self, device_name):
        """Context manager: tensors created inside live on `device_name`
        ("cpu", "gpu", "cuda", optionally ":index").

        Raises:
            ValueError: if the name is not a device name.
            DeviceNotAvailableError: if this machine lacks the device; the
                message lists the devices that exist.
        """
        match = re.fullmatch(r"(cpu|gpu|cuda)(?::(\d+))?", str(device_name).lower())
        if not match:
            raise ValueError(
                f"Invalid device name {device_name!r}: use 'cpu', 'gpu' or "
                "'gpu:<index>'.")
        kind = "gpu" if match.group(1) == "cuda" else match.group(1)
        canonical = f"{kind}:{int(match.group(2) or 0)}"
        devices = self.list_devices()
        if canonical not in devices:
            raise DeviceNotAvailableError(
                f"Device '{device_name}' is not available to the '{self.name}' "
                f"backend on this machine. Available devices: {', '.join(devices)}.")
        return self.device_scope(canonical)

    # ------------------------------------------------------------------
    # Helpers for composites (not operations)
    # ------------------------------------------------------------------
    def _axes_tuple(self, x, axis):
        rank = self.ndim(x)
        if axis is None:
            return tuple(range(rank))
        if isinstance(axis, int):
            axis = (axis,)
        return tuple(sorted(a % rank for a in axis))

    @staticmethod
    def _move_last_to(rank, axis):
        axis = axis % rank
        order = list(range(rank - 1))
        order.insert(axis, rank - 1)
        return tuple(order)


def _members():
    """(name, member) of Backend and of its family mixins
    (kerasx/backend/contract_<family>.py), Backend's own first, then each
    family in the order of Backend's bases."""
    seen = {}
    for cls in Backend.__mro__[:-1]:
        for name, member in vars(cls).items():
            seen.setdefault(name, member)
    return seen.items()


def contract_roles():
    """Map name -> OpRole of every contract member (operations and hooks),
    in declaration order."""
    return {name: member.__kerasx_role__ for name, member in _members()
            if hasattr(member, "__kerasx_role__")}


def contract_ops(kind=None):
    """Names of the contract's operations, optionally only of one `kind`
    ("primitive" or "composite"), in declaration order (hooks are not
    operations: see `contract_hooks`)."""
    return [name for name, role in contract_roles().items()
            if role.kind in ("primitive", "composite") and kind in (None, role.kind)]


def contract_kernels():
    """{kernel name: public operation} of the native kernels (`kernel`)."""
    return {name: member.__kerasx_kernel_of__ for name, member in _members()
            if getattr(member, "__kerasx_kernel_of__", None)}


def contract_hooks():
    """Names of the contract's hooks, in declaration order."""
    return [name for name, role in contract_roles().items() if role.kind == "hook"]
