"""The neural-network operations of `keras.ops.nn` beyond the core contract:
the newer activations, normalisations, space/depth rearrangement, patches
(fold/unfold), separable convolution, multi_hot and psnr.

All are composites, written once here from the contract's primitives, so every
backend computes them with the same formula.
"""
import math

from kerasx.backend.op_roles import composite

#: Keras's default epsilon (keras.config.epsilon()) for the normalisations.
_EPSILON = 1e-7


def _pair(value, name):
    if isinstance(value, int):
        return (value, value)
    value = tuple(value)
    if len(value) != 2 or not all(isinstance(v, int) for v in value):
        raise ValueError(f"`{name}` must be an int or a pair of ints; received {value!r}.")
    return value


class NnContract:
    """Mixin of `Backend`: the `keras.ops.nn` composites."""

    # ------------------------------------------------------------------
    # Activations
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def celu(self, x, alpha=1.0):
        """max(x, 0) + alpha * expm1(min(x, 0) / alpha)."""
        negative = self.multiply(self.expm1(self.divide(self.minimum(x, 0.0), alpha)), alpha)
        return self.add(self.relu(x), negative)

    @composite(tensors=("x",))
    def glu(self, x, axis=-1):
        """Gated linear unit: a * sigmoid(b), `x` split in halves a, b along
        `axis`.

        Raises:
            ValueError: the size of `axis` is odd.
        """
        size = self.shape(x)[axis]
        if size % 2:
            raise ValueError(f"glu splits axis {axis} in two halves, so its size must be "
                             f"even; received shape {self.shape(x)}.")
        a, b = self.split(x, 2, axis=axis)
        return self.multiply(a, self.sigmoid(b))

    @composite(tensors=("x",))
    def hard_shrink(self, x, threshold=0.5):
        """x where |x| > threshold, else 0."""
        return self.where(self.greater(self.abs(x), threshold), x, self.zeros_like(x))

    @composite(tensors=("x",))
    def soft_shrink(self, x, threshold=0.5):
        """x - threshold above threshold, x + threshold below -threshold, else 0."""
        zero = self.zeros_like(x)
        return self.where(self.greater(x, threshold), self.subtract(x, threshold),
                          self.where(self.less(x, -threshold), self.add(x, threshold),
                                     zero))

    @composite(tensors=("x",))
    def hard_silu(self, x):
        """x * hard_sigmoid(x)."""
        return self.multiply(x, self.hard_sigmoid(x))

    @composite(tensors=("x",))
    def hard_swish(self, x):
        """Alias of hard_silu: x * hard_sigmoid(x)."""
        return self.hard_silu(x)

    @composite(tensors=("x",))
    def swish(self, x):
        """Alias of silu: x * sigmoid(x)."""
        return self.silu(x)

    @composite(tensors=("x",))
    def hard_tanh(self, x):
        """x clipped to [-1, 1]."""
        return self.clip(x, -1.0, 1.0)

    @composite(tensors=("x",))
    def log_sigmoid(self, x):
        """log(sigmoid(x)), as -softplus(-x) to stay finite."""
        return self.negative(self.softplus(self.negative(x)))

    @composite(tensors=("x",))
    def sparse_plus(self, x):
        """0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1."""
        inner = self.multiply(self.square(self.add(self.clip(x, -1.0, 1.0), 1.0)), 0.25)
        return self.where(self.less_equal(x, -1.0), self.zeros_like(x),
                          self.where(self.less(x, 1.0), inner, x))

    @composite(tensors=("x",))
    def sparse_sigmoid(self, x):
        """0 for x <= -1, (x + 1) / 2 for -1 < x < 1, 1 for x >= 1."""
        return self.multiply(self.add(self.clip(x, -1.0, 1.0), 1.0), 0.5)

    @composite(tensors=("x",))
    def squareplus(self, x, b=4):
        """(x + sqrt(x^2 + b)) / 2."""
        return self.multiply(self.add(x, self.sqrt(self.add(self.square(x), float(b)))), 0.5)

    @composite(tensors=("x",))
    def tanh_shrink(self, x):
        """x - tanh(x)."""
        return self.subtract(x, self.tanh(x))

    @composite(tensors=("x",))
    def threshold(self, x, threshold, default_value):
        """x where x > threshold, else `default_value`."""
        return self.where(self.greater(x, threshold), x,
                          self.full(self.shape(x), default_value, self.dtype(x)))

    @composite(tensors=("x",))
    def sparsemax(self, x, axis=-1):
        """Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of
        `x` onto the probability simplex along `axis`: max(x - tau, 0), with
        tau such that each slice sums to 1.

        Keras 3.15 computes tau from the sum of the cumulative sums over the
        support rather than the cumulative sum at its end, so its rows do not
        sum to 1 when the support holds more than one element; kerasx follows
        the definition (both agree when the support is one element).
        """
        rank = self.ndim(x)
        axis = axis % rank
        if axis != rank - 1:
            x = self.transpose(x, self._move_to_last(rank, axis))
        n = self.shape(x)[-1]
        dtype = self.dtype(x)
        ordered = self.top_k(x, n)[0]
        # Cumulative sum along the last axis as a product with the upper
        # triangle of ones (the contract has no cumsum).
        upper = self.convert_to_tensor([[1.0 if i <= j else 0.0 for j in range(n)]
                                        for i in range(n)], dtype)
        cumulative = self.matmul(ordered, upper)
        ranks = self.convert_to_tensor([float(k + 1) for k in range(n)], dtype)
        support = self.greater(self.multiply(ordered, ranks), self.subtract(cumulative, 1.0))
        size = self.sum(self.cast(support, dtype), axis=-1, keepdims=True)
        # The support is a prefix of the sorted values: its sum is the
        # cumulative sum at its end.
        total = self.sum(self.where(support, ordered, self.zeros_like(ordered)), axis=-1,
                         keepdims=True)
        tau = self.divide(self.subtract(total, 1.0), size)
        out = self.relu(self.subtract(x, tau))
        if axis != rank - 1:
            out = self.transpose(out, self._move_last_to(rank, axis))
        return out

    # ------------------------------------------------------------------
    # Normalisation and measures
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def normalize(self, x, axis=-1, order=2, epsilon=None):
        """x divided by its `order`-norm along `axis`: for order 2,
        x * min(rsqrt(sum(x^2)), 1 / epsilon); otherwise x / max(norm, epsilon).

        Raises:
            ValueError: `order` is not an int >= 1.
        """
        if not isinstance(order, int) or isinstance(order, bool) or order < 1:
            raise ValueError(f"normalize takes an int `order` >= 1; received {order!r}.")
        epsilon = _EPSILON if epsilon is None else epsilon
        if self.ndim(x) == 0:
            x = self.expand_dims(x, 0)
        if order == 2:
            inverse = self.rsqrt(self.sum(self.square(x), axis=axis, keepdims=True))
            return self.multiply(x, self.minimum(inverse, 1.0 / epsilon))
        if order == 1:
            norm = self.sum(self.abs(x), axis=axis, keepdims=True)
        else:
            norm = self.power(self.sum(self.power(self.abs(x), float(order)), axis=axis,
                                       keepdims=True), 1.0 / order)
        return self.divide(x, self.maximum(norm, epsilon))

    @composite(tensors=("x", "gamma", "beta"))
    def layer_normalization(self, x, gamma=None, beta=None, axis=-1, epsilon=None):
        """(x - mean) * rsqrt(var + epsilon) * gamma + beta, the moments taken
        over `axis` (an int or a tuple); `gamma` and `beta` have the shape of
        those axes."""
        epsilon = _EPSILON if epsilon is None else epsilon
        rank = self.ndim(x)
        axes = self._axes_tuple(x, axis)
        shape = self.shape(x)
        broadcast = tuple(shape[i] if i in axes else 1 for i in range(rank))
        mean, variance = self.moments(x, axes, keepdims=True)
        inverse = self.rsqrt(self.add(variance, epsilon))
        if gamma is not None:
            inverse = self.multiply(inverse, self.reshape(gamma, broadcast))
        shift = self.negative(self.multiply(mean, inverse))
        if beta is not None:
            shift = self.add(shift, self.reshape(beta, broadcast))
        return self.add(self.multiply(x, inverse), shift)

    @composite(tensors=("x", "scale"))
    def rms_normalization(self, x, scale=None, axis=-1, epsilon=None):
        """x * rsqrt(mean(x^2 over `axis`) + epsilon) * scale."""
        epsilon = _EPSILON if epsilon is None else epsilon
        if self.ndim(x) == 0:
            x = self.expand_dims(x, 0)
        mean_square = self.mean(self.square(x), axis=axis, keepdims=True)
        out = self.multiply(x, self.rsqrt(self.add(mean_square, epsilon)))
        return out if scale is None else self.multiply(out, scale)

    @composite(tensors=("x1", "x2"), promote=True)
    def psnr(self, x1, x2, max_val):
        """Peak signal-to-noise ratio over all elements:
        20 log10(max_val) - 10 log10(mean((x1 - x2)^2)).

        Raises:
            ValueError: the shapes differ.
        """
        if self.shape(x1) != self.shape(x2):
            raise ValueError(f"psnr compares two signals of one shape; received shapes "
                             f"{self.shape(x1)} and {self.shape(x2)}.")
        mse = self.mean(self.square(self.subtract(x1, x2)))
        return self.subtract(20.0 * math.log10(max_val),
                             self.multiply(self.log(mse), 10.0 / math.log(10.0)))

    @composite(tensors=("inputs",))
    def multi_hot(self, inputs, num_classes=None, axis=-1, dtype="float32", sparse=False):
        """Multi-hot encoding: 1 at each class index present in a sample (the
        last axis of a rank-2 `inputs`, or the whole of a rank-1 one), as
        keras.ops.multi_hot; indices out of [0, num_classes) are ignored.

        Raises:
            ValueError: `num_classes` is missing, `sparse` is True, or `axis`
                is not the last.
        """
        if num_classes is None:
            raise ValueError("multi_hot needs `num_classes`.")
        if sparse:
            raise ValueError("kerasx has no sparse tensors: multi_hot takes sparse=False.")
        if axis != -1:
            raise ValueError(f"kerasx's multi_hot puts classes on the last axis (axis=-1); "
                             f"received axis={axis!r}.")
        encoded = self.one_hot(self.cast(inputs, "int32"), num_classes, dtype="float32")
        out = self.max(encoded, axis=1 if self.ndim(inputs) > 1 else 0)
        return self.cast(out, dtype or "float32")

    # ------------------------------------------------------------------
    # Rearrangement, patches, separable convolution
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def depth_to_space(self, x, block_size, data_format="channels_last"):
        """(N, H, W, C * r^2) -> (N, H * r, W * r, C), TensorFlow's
        depth_to_space; channels_first (N, C * r^2, H, W) is the same
        rearrangement of the transposed input (as Keras's TensorFlow backend;
        Keras's torch and NumPy backends order the channels differently)."""
        r = block_size
        if data_format == "channels_first":
            x = self.transpose(x, (0, 2, 3, 1))
        n, h, w, c = self.shape(x)
        if c % (r * r):
            raise ValueError(f"depth_to_space needs channels divisible by block_size^2 = "
                             f"{r * r}; received {c}.")
        x = self.reshape(x, (n, h, w, r, r, c // (r * r)))
        x = self.transpose(x, (0, 1, 3, 2, 4, 5))
        x = self.reshape(x, (n, h * r, w * r, c // (r * r)))
        return self.transpose(x, (0, 3, 1, 2)) if data_format == "channels_first" else x

    @composite(tensors=("x",))
    def space_to_depth(self, x, block_size, data_format="channels_last"):
        """The inverse of depth_to_space: (N, H, W, C) -> (N, H / r, W / r,
        C * r^2), TensorFlow's space_to_depth; channels_first as
        depth_to_space."""
        r = block_size
        if data_format == "channels_first":
            x = self.transpose(x, (0, 2, 3, 1))
        n, h, w, c = self.shape(x)
        if h % r or w % r:
            raise ValueError(f"space_to_depth needs height and width divisible by "
                             f"block_size {r}; received {(h, w)}.")
        x = self.reshape(x, (n, h // r, r, w // r, r, c))
        x = self.transpose(x, (0, 1, 3, 2, 4, 5))
        x = self.reshape(x, (n, h // r, w // r, c * r * r))
        return self.transpose(x, (0, 3, 1, 2)) if data_format == "channels_first" else x

    def _patch_kernel(self, channels, kh, kw, dtype):
        """The (kh, kw, C, C * kh * kw) 0/1 kernel whose convolution copies
        patch element (c, i, j) to channel c * kh * kw + i * kw + j."""
        size = kh * kw
        rows = []
        for i in range(kh):
            row = []
            for j in range(kw):
                row.append([[1.0 if o == c * size + i * kw + j else 0.0
                             for o in range(channels * size)] for c in range(channels)])
            rows.append(row)
        return self.convert_to_tensor(rows, dtype)

    @composite(tensors=("x",))
    def unfold(self, x, kernel_size, dilation=1, padding=0, stride=1):
        """Extract sliding patches from an (N, C, H, W) `x` (torch's unfold):
        returns (N, C * kh * kw, L), L patches in row-major order, each patch
        channel-major. Computed as a convolution with a 0/1 kernel, so it is
        exact and differentiable."""
        kh, kw = _pair(kernel_size, "kernel_size")
        dilation, padding = _pair(dilation, "dilation"), _pair(padding, "padding")
        stride = _pair(stride, "stride")
        n, c = self.shape(x)[:2]
        if any(padding):
            x = self.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
        kernel = self._patch_kernel(c, kh, kw, self.dtype(x))
        if max(stride) > 1 and max(dilation) > 1:
            # conv refuses strides with dilation: convolve densely, then subsample.
            patches = self.conv(x, kernel, 1, "valid", "channels_first", dilation)
            for axis, step in ((2, stride[0]), (3, stride[1])):
                indices = list(range(0, self.shape(patches)[axis], step))
                patches = self.take(patches, self.convert_to_tensor(indices, "int32"),
                                    axis=axis)
        else:
            patches = self.conv(x, kernel, stride, "valid", "channels_first", dilation)
        return self.reshape(patches, (n, c * kh * kw, -1))

    @composite(tensors=("x",))
    def fold(self, x, output_size, kernel_size, dilation=1, padding=0, stride=1):
        """The adjoint of unfold (torch's fold): sums the (N, C * kh * kw, L)
        patches of `x` back into an (N, C, *output_size) image, overlapping
        patches adding up. Computed as a transposed convolution with the 0/1
        kernel of unfold.

        Raises:
            ValueError: the channel or patch count does not match.
        """
        oh, ow = _pair(output_size, "output_size")
        kh, kw = _pair(kernel_size, "kernel_size")
        (dh, dw), (ph, pw) = _pair(dilation, "dilation"), _pair(padding, "padding")
        sh, sw = _pair(stride, "stride")
        n, ckk, length = self.shape(x)
        nh = (oh + 2 * ph - dh * (kh - 1) - 1) // sh + 1
        nw = (ow + 2 * pw - dw * (kw - 1) - 1) // sw + 1
        if ckk % (kh * kw) or nh * nw != length:
            raise ValueError(f"fold expects (N, C * {kh * kw}, {nh * nw}) patches for "
                             f"output_size {(oh, ow)}, kernel_size {(kh, kw)}; received "
                             f"shape {self.shape(x)}.")
        channels = ckk // (kh * kw)
        kernel = self._patch_kernel(channels, kh, kw, self.dtype(x))
        # conv_transpose's kernel is (*window, out, in): (kh, kw, C, C * kh * kw),
        # the unfold kernel as it is.
        grid = self.reshape(x, (n, ckk, nh, nw))
        strides = (sh, sw)
        if max(strides) > 1 and max(dh, dw) > 1:
            # conv_transpose refuses strides with dilation: spread the grid
            # with zeros (the strides), then transpose-convolve densely.
            # (rank 5: MXNet pads at most five axes)
            grid = self.reshape(grid, (n * ckk, nh, 1, nw, 1))
            grid = self.pad(grid, ((0, 0), (0, 0), (0, sh - 1), (0, 0), (0, sw - 1)))
            grid = self.reshape(grid, (n, ckk, nh * sh, nw * sw))
            grid = self.slice(grid, (0, 0, 0, 0), (n, ckk, (nh - 1) * sh + 1, (nw - 1) * sw + 1))
            strides = (1, 1)
        image = self.conv_transpose(grid, kernel, strides, "valid", None,
                                    "channels_first", (dh, dw))
        full_h, full_w = self.shape(image)[2:]
        want_h, want_w = oh + 2 * ph, ow + 2 * pw
        if full_h < want_h or full_w < want_w:
            image = self.pad(image, ((0, 0), (0, 0), (0, want_h - full_h),
                                     (0, want_w - full_w)))
        return self.slice(image, (0, 0, ph, pw), (n, channels, oh, ow))

    @composite(tensors=("inputs", "depthwise_kernel", "pointwise_kernel"))
    def separable_conv(self, inputs, depthwise_kernel, pointwise_kernel, strides=1,
                       padding="valid", data_format="channels_last", dilation_rate=1):
        """Depthwise convolution with `depthwise_kernel` (*window, C,
        multiplier), then a pointwise (1x1) convolution with
        `pointwise_kernel` (1..., C * multiplier, out)."""
        shape = self.shape(depthwise_kernel)
        grouped = self.reshape(depthwise_kernel, shape[:-2] + (1, shape[-2] * shape[-1]))
        depthwise = self.conv(inputs, grouped, strides, padding, data_format, dilation_rate)
        return self.conv(depthwise, pointwise_kernel, 1, "valid", data_format, dilation_rate)

    @staticmethod
    def _move_to_last(rank, axis):
        order = [i for i in range(rank) if i != axis]
        return tuple(order + [axis])
