"""Convolution and pooling on TensorFlow, with the CPU workarounds.

TensorFlow 2.21 facts this module relies on (checked on this machine):

- TF's CPU kernels take channels_last only for pooling (and NCHW convolution
  only through oneDNN), so channels_first inputs are transposed to
  channels_last and back.
- Grouped convolution: the forward pass works on CPU, but its gradients
  (Conv2DBackpropInput / Conv2DBackpropFilter) raise "Gradients for grouped
  convolutions are not supported on CPU" unless the oneDNN kernels handle the
  op, which they do only for float32 with oneDNN enabled (float64 always falls
  back to the Eigen kernels), and Conv3D has no groups at all. Otherwise a
  grouped convolution is run as one convolution per group, concatenated.
- Conv2DBackpropInput with dilation > 1 (the transposed convolution, and the
  input gradient of a dilated convolution) raises "Current CPU implementations
  do not yet support dilation rates larger than 1" under the same conditions;
  there the kernel is dilated explicitly (zeros inserted), which is the same
  operation.
- Pooling (max and average, "SAME" average excluding padding) has float64
  kernels and gradients on CPU in 1-D and 2-D; MaxPool3D and AvgPool3D take
  float32 and float16 only, so float64 3-D pooling is computed as 2-D
  pooling twice (`_pool3d_separable`).
"""
import functools

import tensorflow as tf


_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


@functools.lru_cache(maxsize=None)
def _has_gpu():
    return bool(tf.config.list_logical_devices("GPU"))


@functools.lru_cache(maxsize=None)
def _onednn():
    try:
        from tensorflow.python.util import _pywrap_util_port
        return bool(_pywrap_util_port.IsMklEnabled())
    except Exception:  # pragma: no cover - private API moved
        return False


def _cpu_native(x):
    """Whether TF's own kernels (and their gradients) handle grouped
    convolution and dilated transposed convolution for `x`."""
    if _has_gpu() and "CPU" not in (getattr(x, "device", "") or "").upper():
        return True
    return _onednn() and x.dtype == tf.float32


def _tensor(x):
    return x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)


def _channels_last(x, spec):
    return tf.transpose(x, spec.to_channels_last) if spec.channels_first else x


def _restore_layout(y, spec):
    return tf.transpose(y, spec.to_channels_first) if spec.channels_first else y


def conv(x, kernel, spec):
    """`conv` for a resolved ConvSpec (arguments already checked)."""
    x = _channels_last(_tensor(x), spec)
    kernel = _tensor(kernel)
    if x.shape[0] == 0:
        # oneDNN's Conv2D returns an empty batch with the input's shape.
        y = tf.zeros((0,) + spec.output_spatial + (spec.out_channels,), x.dtype)
        return _restore_layout(y, spec)
    rank, strides, dilation = spec.rank, spec.strides, spec.dilation
    padding = spec.padding.upper()  # TensorFlow's "SAME" is the reference
    native = _cpu_native(x)
    if max(dilation) > 1 and not native:
        # The dilated convolution's input gradient (Conv2DBackpropInput) has
        # no CPU kernel here: convolve with the explicitly dilated kernel.
        kernel = _dilate_kernel(kernel, dilation)
        dilation = (1,) * rank
    if spec.groups > 1 and not (native and rank < 3):  # Conv3D has no groups
        xs = tf.split(x, spec.groups, axis=-1)
        ks = tf.split(kernel, spec.groups, axis=-1)
        y = tf.concat([_conv_call(rank, xi, ki, strides, padding, dilation)
                       for xi, ki in zip(xs, ks)], axis=-1)
    else:
        y = _conv_call(rank, x, kernel, strides, padding, dilation)
    return _restore_layout(y, spec)


def _conv_call(rank, x, kernel, strides, padding, dilation):
    if rank == 2:
        return tf.nn.conv2d(x, kernel, strides, padding, "NHWC", dilation)
    if rank == 1:
        return tf.nn.conv1d(x, kernel, strides, padding, "NWC", dilation)
    return tf.nn.conv3d(x, kernel, (1,) + strides + (1,), padding, "NDHWC",
                        (1,) + dilation + (1,))


def _dilate_kernel(kernel, dilation):
    """Insert dilation - 1 zeros between the taps of each spatial axis."""
    for axis, d in enumerate(dilation):
        if d == 1:
            continue
        shape = kernel.shape.as_list()
        taps = shape[axis]
        k = tf.expand_dims(kernel, axis + 1)
        pads = [[0, 0]] * len(k.shape)
        pads[axis + 1] = [0, d - 1]
        k = tf.pad(k, pads)
        shape[axis] = taps * d
        k = tf.reshape(k, shape)
        begin = [0] * len(shape)
        size = [-1] * len(shape)
        size[axis] = (taps - 1) * d + 1
        kernel = tf.slice(k, begin, size)
    return kernel


def conv_transpose(x, kernel, spec):
    """`conv_transpose` for a resolved ConvSpec: TF's VALID transposed
    convolution (the full output, plus up to stride - 1 trailing zeros that
    TF accepts), then cut or extended by spec.pads."""
    x = _channels_last(_tensor(x), spec)
    kernel = _tensor(kernel)
    strides, dilation, pads = spec.strides, spec.dilation, spec.pads
    window, lengths = spec.window, spec.input_spatial
    if spec.rank == 1:
        # TF's 1-D transposed convolution is the 2-D one on a height-1 image.
        x = tf.expand_dims(x, 1)
        kernel = tf.expand_dims(kernel, 0)
        strides, dilation, pads = (1,) + strides, (1,) + dilation, ((0, 0),) + pads
        window, lengths = (1,) + window, (1,) + lengths
    if max(dilation) > 1 and not _cpu_native(x):
        kernel = _dilate_kernel(kernel, dilation)
        call_dilation = (1,) * len(dilation)
    else:
        call_dilation = dilation
    request, crops, outs = [], [], []
    for n, k, s, d, (before, after) in zip(lengths, window, strides, dilation, pads):
        full = (n - 1) * s + (k - 1) * d + 1
        out = full - before - after
        request.append(min(max(full, before + out), full + s - 1))
        crops.append(before)
        outs.append(out)
    batch = x.shape[0]
    if batch is None:
        batch = tf.shape(x)[0]
    output_shape = [batch] + request + [spec.out_channels]
    if not isinstance(batch, int):
        output_shape = tf.stack(output_shape)
    transpose = tf.nn.conv3d_transpose if len(request) == 3 else tf.nn.conv2d_transpose
    y = transpose(x, kernel, output_shape, strides=list(strides), padding="VALID",
                  data_format=_FORMATS[len(request)], dilations=list(call_dilation))
    if any(c > 0 for c in crops) or any(o < r for o, r in zip(outs, request)):
        y = y[(slice(None),) + tuple(slice(c, c + o) for c, o in zip(crops, outs))]
    short = [max(c + o - r, 0) for c, o, r in zip(crops, outs, request)]
    if any(short):
        y = tf.pad(y, [[0, 0]] + [[0, e] for e in short] + [[0, 0]])
    if spec.rank == 1:
        y = tf.squeeze(y, 1)
    return _restore_layout(y, spec)


def pool(fn, x, spec):
    """Pooling by `fn` (tf.nn.max_pool or avg_pool, whose "SAME" is the
    reference: padding never wins a maximum nor counts in an average)."""
    x = _channels_last(_tensor(x), spec)
    if spec.rank == 3 and x.dtype == tf.float64:
        y = _pool3d_separable(fn, x, spec)
    else:
        y = fn(x, spec.window, spec.strides, spec.padding.upper(), _FORMATS[spec.rank])
    return _restore_layout(y, spec)


def _pool3d_separable(fn, x, spec):
    """3-D pooling as 2-D pooling over (height, width), then over depth.

    MaxPool3D and AvgPool3D have no float64 kernels; the 2-D ones have. Both
    are separable over a box window: the maximum of maxima is the maximum,
    and with "same" the real elements of a window form a box, so the mean
    of per-axis means (each over real elements only) is the mean.
    """
    padding = spec.padding.upper()
    (kd, kh, kw), (sd, sh, sw) = spec.window, spec.strides
    shape = tf.shape(x)
    depth, channels = x.shape[1], x.shape[-1]
    depth = shape[1] if depth is None else depth
    y = tf.reshape(x, tf.concat([[-1], shape[2:]], 0))        # (N * D, H, W, C)
    y = fn(y, (kh, kw), (sh, sw), padding, "NHWC")
    spatial = tf.shape(y)[1:3]
    y = tf.reshape(y, tf.stack([-1, depth, spatial[0] * spatial[1], channels]))
    y = fn(y, (kd, 1), (sd, 1), padding, "NHWC")                # (N, D', H'W', C)
    out_shape = tf.concat([tf.shape(y)[:2], spatial, [channels]], 0)
    return tf.ensure_shape(tf.reshape(y, out_shape),
                           (x.shape[0],) + tuple(spec.output_spatial) + (channels,))
