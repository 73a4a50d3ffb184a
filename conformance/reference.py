"""NumPy float64 reference for every contract operation.

Written from the definitions (TensorFlow/Keras semantics), independently of the
plugins and of kerasx.backend.conv_utils, so that a shared mistake cannot hide.
Spatial operations take and return channels_last arrays; the harness handles
channels_first by transposing.
"""
import builtins
import itertools

import numpy as np
from scipy import special

EPSILON = 1e-7


# -- element-wise ---------------------------------------------------------------
add = np.add
subtract = np.subtract
multiply = np.multiply
divide = np.divide
power = np.power
maximum = np.maximum
minimum = np.minimum
negative = np.negative
abs = np.abs  # noqa: A001 (the contract's name)
sign = np.sign
sqrt = np.sqrt
exp = np.exp
log = np.log
log1p = np.log1p
expm1 = np.expm1
sin = np.sin
cos = np.cos
tanh = np.tanh
erf = special.erf
sigmoid = special.expit
floor = np.floor
ceil = np.ceil
round = np.round  # noqa: A001 (half to even)
square = np.square
equal = np.equal
not_equal = np.not_equal
less = np.less
less_equal = np.less_equal
greater = np.greater
greater_equal = np.greater_equal
logical_and = np.logical_and
logical_or = np.logical_or
logical_not = np.logical_not


def reciprocal(x):
    return 1.0 / x


def rsqrt(x):
    return 1.0 / np.sqrt(x)


# -- reductions -----------------------------------------------------------------
def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return np.sum(x, axis=_axis(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return np.max(x, axis=_axis(axis), keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return np.min(x, axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    return np.prod(x, axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001
    return np.any(x, axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001
    return np.all(x, axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=-1):
    return np.argmax(x, axis=axis).astype("int32")


def argmin(x, axis=-1):
    return np.argmin(x, axis=axis).astype("int32")


def var(x, axis=None, keepdims=False):
    return np.var(x, axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return np.std(x, axis=_axis(axis), keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    return special.logsumexp(x, axis=_axis(axis), keepdims=keepdims)


def moments(x, axes, keepdims=False):
    return (np.mean(x, axis=_axis(axes), keepdims=keepdims),
            np.var(x, axis=_axis(axes), keepdims=keepdims))


# -- shape ----------------------------------------------------------------------
def reshape(x, shape):
    return np.reshape(x, shape)


def transpose(x, axes=None):
    return np.transpose(x, axes)


def concatenate(xs, axis=0):
    return np.concatenate(xs, axis=axis)


def stack(xs, axis=0):
    return np.stack(xs, axis=axis)


def split(x, indices_or_sections, axis=0):
    return np.split(x, indices_or_sections, axis=axis)


def slice(x, start_indices, shape):  # noqa: A001
    index = tuple(builtins.slice(s, None if n == -1 else s + n)
                  for s, n in zip(start_indices, shape))
    return x[index]


def pad(x, pad_width, constant_values=0):
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)


def tile(x, repeats):
    return np.tile(x, repeats)


def broadcast_to(x, shape):
    return np.broadcast_to(x, shape).copy()


def expand_dims(x, axis):
    return np.expand_dims(x, axis)


def squeeze(x, axis=None):
    return np.squeeze(x, axis=_axis(axis))


# -- indexing -------------------------------------------------------------------
def take(x, indices, axis=None):
    return np.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis):
    return np.take_along_axis(x, indices, axis=axis)


def one_hot(indices, num_classes, dtype="float32"):
    indices = np.asarray(indices)
    out = (indices[..., None] == np.arange(num_classes)).astype(dtype)
    return out


def where(condition, x, y):
    return np.where(condition, x, y)


def clip(x, x_min, x_max):
    return np.clip(x, x_min, x_max)


def top_k(x, k, sorted=True):
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype("int32")


def stop_gradient(x):
    return x


def matmul(a, b):
    return np.matmul(a, b)


def einsum(subscripts, *operands):
    return np.einsum(subscripts, *operands)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None,
                          is_causal=False):
    groups = query.shape[2] // key.shape[2]
    key, value = np.repeat(key, groups, axis=2), np.repeat(value, groups, axis=2)
    scale = 1.0 / np.sqrt(query.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", query, key) * scale
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep &= mask
    if is_causal:
        keep &= np.tril(np.ones(logits.shape[2:], bool))
    logits = np.where(keep, logits, -0.7 * 3.38953e38)
    return np.einsum("bnts,bsnh->btnh", special.softmax(logits, axis=-1), value)


# -- convolution and pooling (channels_last) --------------------------------------
def _as_tuple(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def _same_pads(n, k, s, d):
    eff = (k - 1) * d + 1
    out = -(-n // s)
    total = np.maximum((out - 1) * s + eff - n, 0)
    return int(total // 2), int(total - total // 2)


def _pad_spatial(x, pads, value):
    width = [(0, 0)] + list(pads) + [(0, 0)]
    return np.pad(x, width, mode="constant", constant_values=value)


def conv(x, kernel, strides=1, padding="valid", data_format="channels_last",
         dilation_rate=1):
    nd = x.ndim - 2
    strides, dil = _as_tuple(strides, nd), _as_tuple(dilation_rate, nd)
    window = kernel.shape[:nd]
    cin, cin_g, cout = x.shape[-1], kernel.shape[-2], kernel.shape[-1]
    groups = cin // cin_g
    if padding == "same":
        x = _pad_spatial(x, [_same_pads(x.shape[1 + i], window[i], strides[i], dil[i])
                             for i in range(nd)], 0.0)
    spatial = x.shape[1:-1]
    out_shape = [(spatial[i] - (window[i] - 1) * dil[i] - 1) // strides[i] + 1
                 for i in range(nd)]
    out = np.zeros((x.shape[0], *out_shape, cout))
    cout_g = cout // groups
    for pos in itertools.product(*[range(w) for w in window]):
        index = tuple(builtins.slice(pos[i] * dil[i],
                                     pos[i] * dil[i] + (out_shape[i] - 1) * strides[i] + 1,
                                     strides[i]) for i in range(nd))
        patch = x[(builtins.slice(None),) + index]
        for g in range(groups):
            xs = patch[..., g * cin_g:(g + 1) * cin_g]
            ks = kernel[pos][:, g * cout_g:(g + 1) * cout_g]
            out[..., g * cout_g:(g + 1) * cout_g] += xs @ ks
    return out


def conv_transpose(x, kernel, strides=1, padding="valid", output_padding=None,
                   data_format="channels_last", dilation_rate=1):
    nd = x.ndim - 2
    strides, dil = _as_tuple(strides, nd), _as_tuple(dilation_rate, nd)
    window = kernel.shape[:nd]
    if output_padding is not None:
        output_padding = _as_tuple(output_padding, nd)
    full, out_len, crop = [], [], []
    for i in range(nd):
        n, k, s, d = x.shape[1 + i], window[i], strides[i], dil[i]
        eff = (k - 1) * d + 1
        length = (n - 1) * s + eff
        if output_padding is None:
            out = n * s + builtins.max(eff - s, 0) if padding == "valid" else n * s
        else:
            p = eff // 2 if padding == "same" else 0
            out = (n - 1) * s + eff - 2 * p + output_padding[i]
        before = 0 if padding == "valid" else builtins.max(length - out, 0) // 2
        full.append(builtins.max(length, before + out))
        out_len.append(out)
        crop.append(before)
    y = np.zeros((x.shape[0], *full, kernel.shape[-2]))
    spatial = x.shape[1:-1]
    for pos in itertools.product(*[range(w) for w in window]):
        index = tuple(builtins.slice(pos[i] * dil[i],
                                     pos[i] * dil[i] + (spatial[i] - 1) * strides[i] + 1,
                                     strides[i]) for i in range(nd))
        # kernel[pos] is (out, in): y[.., o] += sum_c x[.., c] * k[o, c]
        y[(builtins.slice(None),) + index] += x @ kernel[pos].T
    index = tuple(builtins.slice(crop[i], crop[i] + out_len[i]) for i in range(nd))
    return y[(builtins.slice(None),) + index]


def _windows(x, pool_size, strides, padding, fill):
    nd = x.ndim - 2
    pool = _as_tuple(pool_size, nd)
    strides = pool if strides is None else _as_tuple(strides, nd)
    valid = np.ones(x.shape, dtype=bool)
    if padding == "same":
        pads = [_same_pads(x.shape[1 + i], pool[i], strides[i], 1) for i in range(nd)]
        x = _pad_spatial(x, pads, fill)
        valid = _pad_spatial(valid, pads, False)
    spatial = x.shape[1:-1]
    out_shape = [(spatial[i] - pool[i]) // strides[i] + 1 for i in range(nd)]
    patches, masks = [], []
    for pos in itertools.product(*[range(p) for p in pool]):
        index = (builtins.slice(None),) + tuple(
            builtins.slice(pos[i], pos[i] + (out_shape[i] - 1) * strides[i] + 1, strides[i])
            for i in range(nd))
        patches.append(x[index])
        masks.append(valid[index])
    return np.stack(patches), np.stack(masks)


def max_pool(x, pool_size, strides=None, padding="valid", data_format="channels_last"):
    patches, _ = _windows(x, pool_size, strides, padding, -np.inf)
    return patches.max(axis=0)


def average_pool(x, pool_size, strides=None, padding="valid",
                 data_format="channels_last"):
    patches, masks = _windows(x, pool_size, strides, padding, 0.0)
    return patches.sum(axis=0) / masks.sum(axis=0)


def _adaptive_pool(x, output_size, reduce):
    """Each output entry reduces the box of inputs whose index along each
    spatial axis lies in [floor(i * n / m), ceil((i + 1) * n / m))."""
    spatial = x.shape[1:-1]
    sizes = (output_size,) * len(spatial) if isinstance(output_size, int) \
        else tuple(output_size)
    out = np.empty((x.shape[0],) + sizes + (x.shape[-1],), x.dtype)
    for index in itertools.product(*(range(m) for m in sizes)):
        box = tuple(builtins.slice(int(np.floor(i * n / m)), int(np.ceil((i + 1) * n / m)))
                    for i, n, m in zip(index, spatial, sizes))
        window = x[(builtins.slice(None),) + box]
        out[(builtins.slice(None),) + index] = reduce(
            window.reshape(x.shape[0], -1, x.shape[-1]), axis=1)
    return out


def adaptive_average_pool(x, output_size, data_format="channels_last"):
    return _adaptive_pool(x, output_size, np.mean)


def adaptive_max_pool(x, output_size, data_format="channels_last"):
    return _adaptive_pool(x, output_size, np.max)


# -- activations ------------------------------------------------------------------
def relu(x):
    return np.maximum(x, 0.0)


def relu6(x):
    return np.clip(x, 0.0, 6.0)


def leaky_relu(x, negative_slope=0.2):
    return np.where(x >= 0, x, negative_slope * x)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def selu(x):
    return 1.0507009873554804934193349852946 * elu(x, 1.6732632423543772848170429916717)


def gelu(x, approximate=True):
    if approximate:
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + special.erf(x / np.sqrt(2)))


def hard_sigmoid(x):
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


def softmax(x, axis=-1):
    return special.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return special.log_softmax(x, axis=axis)


def softplus(x):
    return np.logaddexp(0.0, x)


def softsign(x):
    return x / (1 + np.abs(x))


def silu(x):
    return x * special.expit(x)


def exponential(x):
    return np.exp(x)


# -- normalisation, dropout, losses ---------------------------------------------
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    y = (x - mean.reshape(shape)) / np.sqrt(variance.reshape(shape) + epsilon)
    if scale is not None:
        y = y * scale.reshape(shape)
    if offset is not None:
        y = y + offset.reshape(shape)
    return y


def dropout(x, mask, rate):
    return np.where(mask, x / (1.0 - rate), 0.0)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        return -np.sum(target * special.log_softmax(output, axis=axis), axis=axis)
    output = output / np.sum(output, axis=axis, keepdims=True)
    return -np.sum(target * np.log(np.clip(output, EPSILON, 1 - EPSILON)), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    onehot = np.moveaxis(one_hot(target, output.shape[axis], "float64"), -1, axis)
    return categorical_crossentropy(onehot, output, from_logits, axis)


def binary_crossentropy(target, output, from_logits=False):
    if from_logits:
        return np.logaddexp(0.0, output) - output * target
    output = np.clip(output, EPSILON, 1 - EPSILON)
    return -(target * np.log(output) + (1 - target) * np.log(1 - output))


# -- recurrent layers (Keras 3 semantics: keras.layers.LSTM / GRU) ---------------
def _recurrence(step, inputs, states, mask, go_backwards, zero_output_for_mask):
    """Run `step` over (batch, time, ...) `inputs` as Keras's backend.rnn."""
    steps = inputs.shape[1]
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs, previous = [], None
    for t in order:
        out, new = step(inputs[:, t], states)
        if mask is not None:
            keep = mask[:, t].astype(bool)[:, None]
            fallback = np.zeros_like(out) if (zero_output_for_mask or previous is None) \
                else previous
            out = np.where(keep, out, fallback)
            new = [np.where(keep, n, s) for n, s in zip(new, states)]
            previous = out
        states = new
        outputs.append(out)
    return outputs[-1], np.stack(outputs, axis=1), states


def lstm(inputs, initial_h, initial_c, kernel, recurrent_kernel, bias=None, mask=None,
         go_backwards=False, zero_output_for_mask=False):
    u = recurrent_kernel.shape[0]

    def step(x, states):
        h, c = states
        z = x @ kernel + h @ recurrent_kernel + (0.0 if bias is None else bias)
        i, f = special.expit(z[:, :u]), special.expit(z[:, u:2 * u])
        g, o = np.tanh(z[:, 2 * u:3 * u]), special.expit(z[:, 3 * u:])
        c = f * c + i * g
        h = o * np.tanh(c)
        return h, [h, c]

    last, seq, (h, c) = _recurrence(step, inputs, [initial_h, initial_c], mask,
                                    go_backwards, zero_output_for_mask)
    return last, seq, h, c


def gru(inputs, initial_h, kernel, recurrent_kernel, bias=None, mask=None,
        go_backwards=False, zero_output_for_mask=False, reset_after=True):
    u = recurrent_kernel.shape[0]
    if bias is None:
        b_in, b_rec = 0.0, 0.0
    elif reset_after:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, 0.0

    def step(x, states):
        h = states[0]
        xp = x @ kernel + b_in
        if reset_after:
            hp = h @ recurrent_kernel + b_rec
            z = special.expit(xp[:, :u] + hp[:, :u])
            r = special.expit(xp[:, u:2 * u] + hp[:, u:2 * u])
            hh = np.tanh(xp[:, 2 * u:] + r * hp[:, 2 * u:])
        else:
            hp = h @ recurrent_kernel[:, :2 * u]
            z = special.expit(xp[:, :u] + hp[:, :u])
            r = special.expit(xp[:, u:2 * u] + hp[:, u:])
            hh = np.tanh(xp[:, 2 * u:] + (r * h) @ recurrent_kernel[:, 2 * u:])
        h = z * h + (1.0 - z) * hh
        return h, [h]

    last, seq, (h,) = _recurrence(step, inputs, [initial_h], mask, go_backwards,
                                  zero_output_for_mask)
    return last, seq, h


from .reference_math import *  # noqa: E402,F401,F403 (contract_math's operations)
# The contract's families, each in its own module.
from .reference_array import *  # noqa: E402,F401,F403
from .reference_nn import *  # noqa: E402,F401,F403 (the keras.ops.nn composites)
from .reference_linalg import *  # noqa: E402,F401,F403 (keras.ops.linalg)
from .image_reference import *  # noqa: E402,F401,F403 (keras.ops.image)
