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
  float16, float32, float64, int32, int64, bool.
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
import math
import re

from kerasx.backend import conv_spec
from kerasx.backend.contract_array import ArrayContract
from kerasx.backend.contract_attention import AttentionContract
from kerasx.backend.contract_control import ControlContract
from kerasx.backend.contract_creation import CreationContract
from kerasx.backend.contract_ctc import CtcContract
from kerasx.backend.contract_einops import EinopsContract
from kerasx.backend.contract_fft import FftContract
from kerasx.backend.contract_host import HostContract
from kerasx.backend.contract_image import ImageContract
from kerasx.backend.contract_image_windows import ImageWindowContract
from kerasx.backend.contract_indexing import IndexingContract
from kerasx.backend.contract_linalg import LinalgContract
from kerasx.backend.contract_math import MathContract
from kerasx.backend.contract_nn import NnContract
from kerasx.backend.contract_numeric import NumericContract
from kerasx.backend.contract_pooling import PoolingContract
from kerasx.backend.contract_products import ProductsContract
from kerasx.backend.contract_stats import StatsContract
from kerasx.backend.errors import DeviceNotAvailableError
from kerasx.backend.op_roles import (OpRole, composite, hook, kernel,  # noqa: F401
                                     primitive)

#: Keras's fuzz factor for probability clipping in cross-entropy.
EPSILON = 1e-7


class Backend(MathContract, CreationContract, StatsContract, ArrayContract, IndexingContract,
              ControlContract, NumericContract, FftContract, PoolingContract, NnContract,
              CtcContract, LinalgContract, AttentionContract, ImageContract,
              ImageWindowContract, HostContract, ProductsContract, EinopsContract):
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
        """Limit `x` to [x_min, x_max] (scalars). The gradient passes where
        x_min <= x <= x_max, boundaries included."""

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
    # Convolution and pooling
    # ------------------------------------------------------------------
    # The public operations check and resolve their arguments here, once for
    # every backend (kerasx.backend.conv_spec), then call the plugin's native
    # kernel with the resolved ConvSpec: a plugin implements only the kernels.
    @composite(tensors=("x", "kernel"))
    def conv(self, x, kernel, strides=1, padding="valid",
             data_format="channels_last", dilation_rate=1):
        """N-D convolution (cross-correlation, as Keras) for 1-D, 2-D and 3-D
        inputs (rank 3, 4 or 5 `x`).

        kernel: (*window, in_channels // groups, out_channels); the number of
        groups is in_channels // kernel.shape[-2] and must divide both channel
        counts. strides, dilation_rate: int or tuple per spatial axis; strides
        > 1 together with dilation > 1 is not allowed (as Keras). padding:
        "valid" or "same" (any case).

        Raises:
            ValueError: for an unsupported rank, inconsistent shapes or a bad
                argument (`kerasx.backend.conv_spec.resolve_conv`), the same
                on every backend.
        """
        spec = conv_spec.resolve_conv(self.shape(x), self.shape(kernel), strides,
                                      padding, data_format, dilation_rate)
        return self._conv_kernel(x, kernel, spec)

    @composite(tensors=("x", "kernel"))
    def conv_transpose(self, x, kernel, strides=1, padding="valid",
                       output_padding=None, data_format="channels_last",
                       dilation_rate=1):
        """Transposed convolution (the gradient of `conv` w.r.t. its input)
        for 1-D, 2-D and 3-D inputs (rank 3, 4 or 5 `x`).

        kernel: (*window, out_channels, in_channels). output_padding: None or
        an int or tuple per spatial axis, each >= 0 and < the stride. Output
        length per axis as `kerasx.backend.conv_utils.transpose_output_length`
        (Keras's rule).

        Raises:
            ValueError: for an unsupported rank, inconsistent shapes or a bad
                argument (`kerasx.backend.conv_spec.resolve_conv_transpose`),
                the same on every backend.
        """
        spec = conv_spec.resolve_conv_transpose(
            self.shape(x), self.shape(kernel), strides, padding, output_padding,
            data_format, dilation_rate)
        return self._conv_transpose_kernel(x, kernel, spec)

    @composite(tensors=("x",))
    def max_pool(self, x, pool_size, strides=None, padding="valid",
                 data_format="channels_last"):
        """Max pooling for 1-D, 2-D and 3-D inputs (rank 3, 4 or 5); strides
        None means pool_size. "same" pads with values that never win. Ties
        within a window route the gradient as the framework does.

        Raises:
            ValueError: as `kerasx.backend.conv_spec.resolve_pool`.
        """
        spec = conv_spec.resolve_pool("max_pool", self.shape(x), pool_size, strides,
                                      padding, data_format)
        return self._max_pool_kernel(x, spec)

    @composite(tensors=("x",))
    def average_pool(self, x, pool_size, strides=None, padding="valid",
                     data_format="channels_last"):
        """Average pooling for 1-D, 2-D and 3-D inputs; with "same", padded
        elements are not counted in the average (as TensorFlow).

        Raises:
            ValueError: as `kerasx.backend.conv_spec.resolve_pool`.
        """
        spec = conv_spec.resolve_pool("average_pool", self.shape(x), pool_size,
                                      strides, padding, data_format)
        return self._average_pool_kernel(x, spec)

    @kernel("conv", tensors=("x", "kernel"))
    def _conv_kernel(self, x, kernel, spec):
        """Native kernel of `conv`: `x` (layout per spec.channels_first)
        convolved with the Keras-layout `kernel` as the resolved ConvSpec
        `spec` says (strides, dilation, groups, pads: zeros before and after
        each spatial axis). Arguments are already checked."""

    @kernel("conv_transpose", tensors=("x", "kernel"))
    def _conv_transpose_kernel(self, x, kernel, spec):
        """Native kernel of `conv_transpose`: the full transposed output of
        `x` and the Keras-layout kernel (*window, out, in), cut by spec.pads
        (a negative `after` appends zeros); see ConvSpec."""

    @kernel("max_pool", tensors=("x",))
    def _max_pool_kernel(self, x, spec):
        """Native kernel of `max_pool` for the resolved ConvSpec `spec`."""

    @kernel("average_pool", tensors=("x",))
    def _average_pool_kernel(self, x, spec):
        """Native kernel of `average_pool` for the resolved ConvSpec `spec`;
        padded elements are not counted."""

    # ------------------------------------------------------------------
    # Activations (as keras.activations / keras.ops)
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def relu(self, x):
        """max(x, 0); the gradient at 0 is 0."""

    @composite(tensors=("x",))
    def relu6(self, x):
        """min(max(x, 0), 6)."""
        return self.clip(self.relu(x), 0.0, 6.0)

    @composite(tensors=("x",))
    def leaky_relu(self, x, negative_slope=0.2):
        """x for x >= 0, negative_slope * x below."""
        return self.where(self.greater_equal(x, 0.0), x,
                          self.multiply(x, negative_slope))

    @composite(tensors=("x",))
    def elu(self, x, alpha=1.0):
        """x for x > 0, alpha * (exp(x) - 1) otherwise."""
        # expm1 of min(x, 0): the unselected branch must not overflow, or its
        # zero gradient times inf would give NaN.
        negative = self.multiply(self.expm1(self.minimum(x, 0.0)), alpha)
        return self.where(self.greater(x, 0.0), x, negative)

    @composite(tensors=("x",))
    def selu(self, x):
        """scale * elu(x, alpha), with Keras's constants."""
        alpha = 1.6732632423543772848170429916717
        scale = 1.0507009873554804934193349852946
        return self.multiply(self.elu(x, alpha), scale)

    @composite(tensors=("x",))
    def gelu(self, x, approximate=True):
        """Gaussian error linear unit; approximate=True uses the tanh formula
        (keras.ops default), False the exact erf formula."""
        if approximate:
            c = math.sqrt(2.0 / math.pi)
            inner = self.multiply(
                self.add(x, self.multiply(self.power(x, 3.0), 0.044715)), c)
            return self.multiply(self.multiply(x, 0.5),
                                 self.add(self.tanh(inner), 1.0))
        return self.multiply(self.multiply(x, 0.5),
                             self.add(self.erf(self.multiply(x, 1.0 / math.sqrt(2.0))),
                                      1.0))

    @composite(tensors=("x",))
    def hard_sigmoid(self, x):
        """relu6(x + 3) / 6 (Keras 3)."""
        return self.divide(self.relu6(self.add(x, 3.0)), 6.0)

    @composite(tensors=("x",))
    def softmax(self, x, axis=-1):
        """exp(x) / sum(exp(x)) along `axis`, shifted by the maximum."""
        shifted = self.subtract(x, self.stop_gradient(self.max(x, axis=axis,
                                                               keepdims=True)))
        e = self.exp(shifted)
        return self.divide(e, self.sum(e, axis=axis, keepdims=True))

    @composite(tensors=("x",))
    def log_softmax(self, x, axis=-1):
        """x - logsumexp(x) along `axis`."""
        return self.subtract(x, self.logsumexp(x, axis=axis, keepdims=True))

    @composite(tensors=("x",))
    def softplus(self, x):
        """log(1 + exp(x)), as relu(x) + log1p(exp(-|x|)) to avoid overflow."""
        return self.add(self.relu(x), self.log1p(self.exp(self.negative(self.abs(x)))))

    @composite(tensors=("x",))
    def softsign(self, x):
        """x / (1 + |x|)."""
        return self.divide(x, self.add(self.abs(x), 1.0))

    @composite(tensors=("x",))
    def silu(self, x):
        """x * sigmoid(x) (swish)."""
        return self.multiply(x, self.sigmoid(x))

    @composite(tensors=("x",), public=False)
    def exponential(self, x):
        """exp(x)."""
        return self.exp(x)

    # ------------------------------------------------------------------
    # Normalisation, dropout, losses
    # ------------------------------------------------------------------
    @composite(tensors=("x", "mean", "variance", "offset", "scale"))
    def batch_normalization(self, x, mean, variance, axis, offset=None, scale=None,
                            epsilon=1e-3):
        """Normalise `x` with the given statistics of shape (C,) for the
        channel `axis`, as keras.ops.batch_normalization:
        x * inv + (offset - mean * inv), inv = rsqrt(variance + eps) * scale.
        """
        rank = self.ndim(x)
        axis = axis % rank
        shape = tuple(-1 if i == axis else 1 for i in range(rank))
        inv = self.rsqrt(self.add(variance, epsilon))
        if scale is not None:
            inv = self.multiply(inv, scale)
        shift = self.negative(self.multiply(mean, inv))
        if offset is not None:
            shift = self.add(shift, offset)
        return self.add(self.multiply(x, self.reshape(inv, shape)),
                        self.reshape(shift, shape))

    @composite(tensors=("x", "mask"), public=False)
    def dropout(self, x, mask, rate):
        """Inverted dropout with an explicit bool `mask` (True keeps): kept
        elements are scaled by 1 / (1 - rate), the others are 0. The mask comes
        from the front end's portable generator, so every backend drops the
        same elements."""
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"Dropout rate must be in [0, 1); received {rate!r}.")
        return self.where(mask, self.divide(x, 1.0 - rate), self.zeros_like(x))

    @composite(tensors=("target", "output"))
    def categorical_crossentropy(self, target, output, from_logits=False, axis=-1):
        """Per-sample cross-entropy between one-hot/soft `target` and `output`
        along `axis`. Probabilities are renormalised and clipped to
        [EPSILON, 1 - EPSILON] as Keras; logits use log_softmax."""
        if from_logits:
            log_prob = self.log_softmax(output, axis=axis)
        else:
            output = self.divide(output, self.sum(output, axis=axis, keepdims=True))
            log_prob = self.log(self.clip(output, EPSILON, 1.0 - EPSILON))
        return self.negative(self.sum(self.multiply(target, log_prob), axis=axis))

    @composite(tensors=("target", "output"))
    def sparse_categorical_crossentropy(self, target, output, from_logits=False,
                                        axis=-1):
        """As categorical_crossentropy with integer class `target`."""
        classes = self.shape(output)[axis]
        one_hot = self.one_hot(self.cast(target, "int32"), classes,
                               dtype=self.dtype(output))
        if axis not in (-1, self.ndim(output) - 1):
            one_hot = self.transpose(one_hot, self._move_last_to(self.ndim(output), axis))
        return self.categorical_crossentropy(one_hot, output, from_logits, axis)

    @composite(tensors=("target", "output"))
    def binary_crossentropy(self, target, output, from_logits=False):
        """Element-wise binary cross-entropy. Logits use the stable
        relu(x) - x * t + log1p(exp(-|x|)); probabilities are clipped to
        [EPSILON, 1 - EPSILON] as Keras."""
        if from_logits:
            return self.subtract(self.softplus(output), self.multiply(output, target))
        output = self.clip(output, EPSILON, 1.0 - EPSILON)
        pos = self.multiply(target, self.log(output))
        neg = self.multiply(self.subtract(1.0, target),
                            self.log(self.subtract(1.0, output)))
        return self.negative(self.add(pos, neg))

    # ------------------------------------------------------------------
    # Loops (kerasx.backend.loops) and recurrent layers (optional fused kernels)
    # ------------------------------------------------------------------
    @composite(tensors=("init", "xs"))
    def scan(self, f, init, xs=None, length=None, reverse=False, unroll=1):
        """Scan `f(carry, x) -> (new_carry, y)` over the leading axis of `xs`,
        as keras.ops.scan (jax.lax.scan): returns (final carry, the `y`s
        stacked along a new leading axis, `ys[t]` from `xs[t]`).

        init: a tensor, Python number or nested structure (lists, tuples,
        dicts) of them; the carry `f` returns must keep its structure,
        shapes and dtypes. xs: None or a structure of tensors sharing their
        leading size; with None, `length` gives the number of iterations and
        `f` receives x=None. reverse runs the last slice first. unroll: a
        positive int or a bool, as Keras; True runs a Python loop (one graph
        node per iteration in a compiled step), other values one loop.
        A `y` of None gives None.

        The composite is a Python loop. A plugin overrides it where its
        framework has a loop whose body is traced once in a compiled step
        (`kerasx.backend.loops.native_scan`), so that the compiled graph's
        size does not depend on the number of iterations. Gradients flow
        through the loop to `init`, `xs` and the tensors `f` closes over.

        Raises:
            TypeError: `f` is not callable.
            ValueError: bad `unroll` or `length`, no `xs` and no `length`,
                `xs` leaves of different leading sizes, zero iterations, or a
                carry (or output) whose structure, shape or dtype changes.
        """
        from kerasx.backend.loops import python_scan

        return python_scan(self, f, init, xs, length, reverse, unroll)

    @composite(tensors=("loop_vars",))
    def while_loop(self, cond, body, loop_vars, maximum_iterations=None):
        """Run `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`, as
        keras.ops.while_loop: a list or tuple `loop_vars` is passed
        positionally and returned as a tuple, anything else is passed and
        returned as one value. The body must keep the loop variables'
        structure, shapes and dtypes. `maximum_iterations` (None or an int)
        stops the loop after that many iterations.

        The composite reads `cond` on the host at every iteration (a
        compiled step that cannot read values back runs eagerly); a plugin
        overrides it with its framework's while loop where it has one.

        Raises:
            TypeError: `cond` or `body` is not callable.
            ValueError: bad `maximum_iterations`, or a body result whose
                structure, shape or dtype differs from `loop_vars`.
        """
        from kerasx.backend.loops import python_while_loop

        return python_while_loop(self, cond, body, loop_vars, maximum_iterations)

    @composite(tensors=("lower", "upper", "init_val"))
    def fori_loop(self, lower, upper, body_fun, init_val):
        """`val = body_fun(i, val)` for i from `lower` to `upper` - 1, as
        keras.ops.fori_loop; returns the final `val`. `i` is an int32 scalar
        tensor (as under Keras's TensorFlow backend). With Python int bounds
        this is a `scan` of upper - lower iterations (native where `scan`
        is), otherwise a `while_loop`.

        Raises:
            TypeError: `body_fun` is not callable.
            ValueError: as `scan` / `while_loop` for a body result whose
                structure, shape or dtype differs from `init_val`.
        """
        from kerasx.backend.loops import fori_loop

        return fori_loop(self, lower, upper, body_fun, init_val)

    @composite(tensors=("inputs", "initial_h", "initial_c", "kernel", "recurrent_kernel",
               "bias", "mask"), public=False)
    def lstm(self, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias=None,
             mask=None, go_backwards=False, zero_output_for_mask=False):
        """A whole LSTM layer over time, as keras.layers.LSTM with its default
        activations (tanh, sigmoid) and no recurrent dropout.

        inputs (batch, time, features); initial_h, initial_c (batch, units);
        kernel (features, 4 * units), recurrent_kernel (units, 4 * units) and
        bias (4 * units,) or None, in Keras layout with gate order i, f, c, o:
        z = x_t @ kernel + h @ recurrent_kernel + bias, i = sigmoid(z_i),
        f = sigmoid(z_f), c' = f * c + i * tanh(z_c), o = sigmoid(z_o),
        h' = o * tanh(c').

        mask: None or (batch, time) bool. A masked step keeps h and c and
        repeats the previous output (zeros before the first valid step), or
        outputs zeros when `zero_output_for_mask`. go_backwards processes the
        last step first and returns the sequence in processing order (as
        Keras).

        Returns (last_output (batch, units), outputs (batch, time, units),
        final_h, final_c). The composite is the step loop of
        `kerasx.backend.recurrent`, a `scan` (so a compiled step holds one
        loop, whatever the sequence length); a plugin may override it with a fused
        kernel (cuDNN, torch.lstm, MXNet's RNN operator) where that gives the
        same numbers, and fall back to this loop (`super().lstm(...)`) for
        what its kernel cannot do (typically masks).
        """
        from kerasx.backend.recurrent import step_loop

        # The input is projected step by step, as Keras does: scanning over
        # the whole sequence projected first made TensorFlow's while-loop
        # gradient grow faster than the length (its TensorArray reads of the
        # 4x wider projection): forward and backward of LSTM(32) at batch 32
        # and length 1,000 took 141 ms that way, 88 ms step by step.
        def step(x_t, states):
            h, c = states
            z_x = self.matmul(x_t, kernel)
            if bias is not None:
                z_x = self.add(z_x, bias)
            z = self.add(z_x, self.matmul(h, recurrent_kernel))
            z_i, z_f, z_c, z_o = self.split(z, 4, axis=-1)
            c_new = self.add(self.multiply(self.sigmoid(z_f), c),
                             self.multiply(self.sigmoid(z_i), self.tanh(z_c)))
            h_new = self.multiply(self.sigmoid(z_o), self.tanh(c_new))
            return h_new, [h_new, c_new]

        last, outputs, (h, c) = step_loop(self, step, inputs, [initial_h, initial_c],
                                          mask, go_backwards, zero_output_for_mask)
        return last, outputs, h, c

    @composite(tensors=("inputs", "initial_h", "kernel", "recurrent_kernel", "bias", "mask"),
               public=False)
    def gru(self, inputs, initial_h, kernel, recurrent_kernel, bias=None, mask=None,
            go_backwards=False, zero_output_for_mask=False, reset_after=True):
        """A whole GRU layer over time, as keras.layers.GRU with its default
        activations (tanh, sigmoid) and no recurrent dropout.

        kernel (features, 3 * units), recurrent_kernel (units, 3 * units), gate
        order z, r, h (Keras layout). bias: None, (3 * units,) when
        reset_after is False, or (2, 3 * units) (input bias, recurrent bias)
        when True. With x = x_t @ kernel + b_in:
        reset_after: r_h = h @ recurrent_kernel + b_rec, z = sigmoid(x_z + r_h_z),
        r = sigmoid(x_r + r_h_r), hh = tanh(x_h + r * r_h_h);
        otherwise: z, r from h @ recurrent_kernel[:, :2u],
        hh = tanh(x_h + (r * h) @ recurrent_kernel[:, 2u:]);
        then h' = z * h + (1 - z) * hh.

        mask, go_backwards and zero_output_for_mask as `lstm`. Returns
        (last_output, outputs, final_h). Overridable as `lstm`.
        """
        from kerasx.backend.recurrent import step_loop

        units = self.shape(recurrent_kernel)[0]
        input_bias = recurrent_bias = None
        if bias is not None:
            if reset_after:
                input_bias, recurrent_bias = [self.squeeze(b, axis=0)
                                              for b in self.split(bias, 2, axis=0)]
            else:
                input_bias = bias
        if not reset_after:
            rk_zr, rk_h = self.split(recurrent_kernel, [2 * units], axis=-1)

        def step(x_t, states):  # the input projected step by step, as `lstm`
            h = states[0]
            x = self.matmul(x_t, kernel)
            if input_bias is not None:
                x = self.add(x, input_bias)
            x_z, x_r, x_h = self.split(x, 3, axis=-1)
            if reset_after:
                inner = self.matmul(h, recurrent_kernel)
                if recurrent_bias is not None:
                    inner = self.add(inner, recurrent_bias)
                r_z, r_r, r_h = self.split(inner, 3, axis=-1)
            else:
                r_z, r_r = self.split(self.matmul(h, rk_zr), 2, axis=-1)
            z = self.sigmoid(self.add(x_z, r_z))
            r = self.sigmoid(self.add(x_r, r_r))
            if reset_after:
                recurrent_h = self.multiply(r, r_h)
            else:
                recurrent_h = self.matmul(self.multiply(r, h), rk_h)
            hh = self.tanh(self.add(x_h, recurrent_h))
            h_new = self.add(self.multiply(z, h), self.multiply(self.subtract(1.0, z), hh))
            return h_new, [h_new]

        last, outputs, (h,) = step_loop(self, step, inputs, [initial_h], mask,
                                        go_backwards, zero_output_for_mask)
        return last, outputs, h

    # ------------------------------------------------------------------
    # Variables and gradients
    # ------------------------------------------------------------------
    @primitive(tensors=(), public=False)
    def variable(self, value, dtype=None, trainable=True, name=None):
        """A native mutable variable initialised with `value` (NumPy array or
        tensor; dtype as convert_to_tensor), on the current device."""

    @primitive(tensors=(), variables=("variable",), public=False)
    def variable_value(self, variable):
        """The current value of `variable` as a tensor usable in operations and
        differentiable by `value_and_grad`."""

    @primitive(tensors=("value",), variables=("variable",), public=False)
    def assign(self, variable, value):
        """Set `variable` to `value` (same shape; cast to its dtype) in place,
        outside any gradient recording. Returns None."""

    @primitive(tensors=("value",), variables=("variable",), public=False)
    def assign_add(self, variable, value):
        """variable += value in place, outside any gradient recording."""

    @composite(tensors=("value",), variables=("variable",), public=False)
    def assign_sub(self, variable, value):
        """variable -= value in place."""
        self.assign_add(variable, self.negative(self.convert_to_tensor(
            value, self.dtype(self.variable_value(variable)))))

    @primitive(tensors=(), variables=("variables",), public=False)
    def value_and_grad(self, fn, variables):
        """Call `fn()` (no arguments; it reads the variables through
        variable_value) and return (value, grads): its scalar result and the
        gradient with respect to each variable, in order, in the variable's
        dtype; zeros for a variable the result does not depend on."""

    @composite(tensors=("grads", "alpha"),
               variables=("variables", "momentums", "velocities"), public=False)
    def adam_update(self, variables, grads, momentums, velocities, alpha, beta_1, beta_2,
                    epsilon):
        """One Adam step in Keras 3's formula over lists of native variables
        of one floating dtype (grads, momentums and velocities alike):

            m += (g - m) * (1 - beta_1)
            v += (g * g - v) * (1 - beta_2)
            w -= m * alpha / (sqrt(v) + epsilon)

        `alpha` is a 0-d tensor of that dtype (the bias-corrected learning
        rate); beta_1, beta_2 and epsilon are Python floats. Returns None. A
        plugin may override it with multi-tensor kernels computing the same
        element-wise sequence.
        """
        for w, g, m, v in zip(variables, grads, momentums, velocities):
            self.assign_add(m, self.multiply(self.subtract(g, self.variable_value(m)),
                                             1 - beta_1))
            self.assign_add(v, self.multiply(
                self.subtract(self.square(g), self.variable_value(v)), 1 - beta_2))
            self.assign_sub(w, self.divide(
                self.multiply(self.variable_value(m), alpha),
                self.add(self.sqrt(self.variable_value(v)), epsilon)))

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
