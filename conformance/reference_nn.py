"""NumPy float64 reference of the keras.ops.nn composites of
kerasx/backend/contract_nn.py, written from their definitions."""
import numpy as np
from scipy import special


def celu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(x / alpha))


def glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * special.expit(b)


def hard_shrink(x, threshold=0.5):
    return np.where(np.abs(x) > threshold, x, 0.0)


def soft_shrink(x, threshold=0.5):
    return np.sign(x) * np.maximum(np.abs(x) - threshold, 0.0)


def hard_silu(x):
    return x * np.clip(x + 3.0, 0.0, 6.0) / 6.0


hard_swish = hard_silu


def swish(x):
    return x * special.expit(x)


def hard_tanh(x):
    return np.clip(x, -1.0, 1.0)


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def sparse_plus(x):
    return np.where(x <= -1, 0.0, np.where(x < 1, (x + 1) ** 2 / 4, x))


def sparse_sigmoid(x):
    return np.where(x <= -1, 0.0, np.where(x < 1, (x + 1) / 2, 1.0))


def squareplus(x, b=4):
    return (x + np.sqrt(x * x + b)) / 2


def tanh_shrink(x):
    return x - np.tanh(x)


def threshold(x, threshold, default_value):
    return np.where(x > threshold, x, default_value)


def sparsemax(x, axis=-1):
    x = np.moveaxis(x, axis, -1)
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape[:-1]):
        z = np.sort(x[idx])[::-1]
        k = np.arange(1, z.size + 1)
        cs = np.cumsum(z)
        size = k[z * k > cs - 1].max()
        out[idx] = np.maximum(x[idx] - (cs[size - 1] - 1) / size, 0.0)
    return np.moveaxis(out, -1, axis)


def normalize(x, axis=-1, order=2, epsilon=None):
    epsilon = 1e-7 if epsilon is None else epsilon
    norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / np.maximum(norm, epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None):
    epsilon = 1e-7 if epsilon is None else epsilon
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    mean = x.mean(axis=axes, keepdims=True)
    out = (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + epsilon)
    shape = [x.shape[i] if i in [a % x.ndim for a in axes] else 1 for i in range(x.ndim)]
    if gamma is not None:
        out = out * gamma.reshape(shape)
    if beta is not None:
        out = out + beta.reshape(shape)
    return out


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    epsilon = 1e-7 if epsilon is None else epsilon
    out = x / np.sqrt(np.mean(x * x, axis=axis, keepdims=True) + epsilon)
    return out if scale is None else out * scale


def psnr(x1, x2, max_val):
    return 20 * np.log10(max_val) - 10 * np.log10(np.mean((x1 - x2) ** 2))


def multi_hot(inputs, num_classes=None, axis=-1, dtype="float32", sparse=False):
    rows = np.atleast_2d(inputs)
    out = np.zeros((rows.shape[0], num_classes))
    for row, labels in enumerate(rows):
        for label in labels:
            if 0 <= label < num_classes:
                out[row, label] = 1.0
    return (out if np.ndim(inputs) > 1 else out[0]).astype(dtype)


def depth_to_space(x, block_size, data_format="channels_last"):
    n, h, w, c = x.shape
    r = block_size
    out = np.zeros((n, h * r, w * r, c // (r * r)))
    for i in range(h * r):
        for j in range(w * r):
            start = ((i % r) * r + j % r) * (c // (r * r))
            out[:, i, j, :] = x[:, i // r, j // r, start:start + c // (r * r)]
    return out


def space_to_depth(x, block_size, data_format="channels_last"):
    n, h, w, c = x.shape
    r = block_size
    out = np.zeros((n, h // r, w // r, c * r * r))
    for i in range(h):
        for j in range(w):
            start = ((i % r) * r + j % r) * c
            out[:, i // r, j // r, start:start + c] = x[:, i, j, :]
    return out


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = map(_pair, (kernel_size, dilation, padding,
                                                       stride))
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, h, w = x.shape
    oh, ow = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, c, kh, kw, oh, ow))
    for i in range(kh):
        for j in range(kw):
            out[:, :, i, j] = x[:, :, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                                j * dw:j * dw + (ow - 1) * sw + 1:sw]
    return out.reshape(n, c * kh * kw, oh * ow)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    (oh, ow), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = map(
        _pair, (output_size, kernel_size, dilation, padding, stride))
    n, ckk, _ = x.shape
    c = ckk // (kh * kw)
    nh = (oh + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    nw = (ow + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    x = x.reshape(n, c, kh, kw, nh, nw)
    out = np.zeros((n, c, oh + 2 * ph, ow + 2 * pw))
    for i in range(kh):
        for j in range(kw):
            for a in range(nh):
                for b in range(nw):
                    out[:, :, i * dh + a * sh, j * dw + b * sw] += x[:, :, i, j, a, b]
    return out[:, :, ph:ph + oh, pw:pw + ow]


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format="channels_last", dilation_rate=1):
    from .reference import conv

    shape = depthwise_kernel.shape
    grouped = depthwise_kernel.reshape(shape[:-2] + (1, shape[-2] * shape[-1]))
    depthwise = conv(inputs, grouped, strides, padding, dilation_rate=dilation_rate)
    return conv(depthwise, pointwise_kernel)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The CTC forward algorithm, sample by sample, in float64."""
    log_probs = output - special.logsumexp(output, axis=-1, keepdims=True)
    blank = mask_index % output.shape[-1]
    losses = []
    for b in range(output.shape[0]):
        labels = list(target[b][:int(target_length[b])])
        ext = [blank]
        for label in labels:
            ext += [int(label), blank]
        alpha = np.full(len(ext), -np.inf)
        alpha[0] = log_probs[b, 0, ext[0]]
        if len(ext) > 1:
            alpha[1] = log_probs[b, 0, ext[1]]
        for t in range(1, int(output_length[b])):
            new = np.full(len(ext), -np.inf)
            for s in range(len(ext)):
                terms = [alpha[s]]
                if s >= 1:
                    terms.append(alpha[s - 1])
                if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new[s] = np.logaddexp.reduce(terms) + log_probs[b, t, ext[s]]
            alpha = new
        ends = [alpha[-1]] + ([alpha[-2]] if len(ext) > 1 else [])
        losses.append(-np.logaddexp.reduce(ends))
    return np.array(losses)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    batch, steps, classes = inputs.shape
    decoded = np.full((1, batch, steps), -1, "int32")
    scores = np.zeros((batch, 1))
    for b in range(batch):
        path = inputs[b, :int(sequence_lengths[b])].argmax(-1)
        scores[b, 0] = -inputs[b, :int(sequence_lengths[b])].max(-1).sum()
        out, previous = [], None
        for label in path:
            if label != mask_index % classes and not (merge_repeated and label == previous):
                out.append(label)
            previous = label
        decoded[0, b, :len(out)] = out
    return decoded, scores
