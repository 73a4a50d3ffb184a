"""Convolution and pooling on TensorFlow, with the CPU workarounds.

TensorFlow 2.21 facts this module relies on (checked on this machine):

- TF's CPU kernels take channels_last only for pooling (and NCHW convolution
  only through oneDNN), so channels_first inputs are transposed to
  channels_last and back.
- Grouped convolution: the forward pass works on CPU, but its gradients
  (Conv2DBackpropInput / Conv2DBackpropFilter) raise "Gradients for grouped
  convolutions are not supported on CPU" unless the oneDNN kernels handle the
  op, which they do only for float32 with oneDNN enabled (float64 always falls
  back to the Eigen kernels). On CPU otherwise, a grouped convolution is run
  as one convolution per group, concatenated.
- Conv2DBackpropInput with dilation > 1 (the transposed convolution, and the
  input gradient of a dilated convolution) raises "Current CPU implementations
  do not yet support dilation rates larger than 1" under the same conditions;
  there the kernel is dilated explicitly (zeros inserted), which is the same
  operation.
- Pooling (max and average, "SAME" average excluding padding) has float64
  kernels and gradients on CPU.
"""
import functools

import tensorflow as tf

from kerasx.backend import conv_utils

_FORMATS = {1: "NWC", 2: "NHWC"}
_TO_LAST = {1: [0, 2, 1], 2: [0, 2, 3, 1]}
_TO_FIRST = {1: [0, 2, 1], 2: [0, 3, 1, 2]}


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


def _spatial_rank(x, op, allowed):
    rank = len(x.shape) - 2
    if rank not in allowed:
        raise ValueError(
            f"{op}: expected an input of rank "
            f"{' or '.join(str(r + 2) for r in allowed)} (batch, spatial..., "
            f"channels); received shape {tuple(x.shape)}.")
    return rank


def _tensor(x):
    return x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)


def conv(x, kernel, strides, padding, data_format, dilation_rate):
    x = _tensor(x)
    kernel = _tensor(kernel)
    rank = _spatial_rank(x, "conv", (1, 2))
    strides = conv_utils.normalize_tuple(strides, rank, "strides")
    dilation = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
    padding = conv_utils.normalize_padding(padding).upper()
    data_format = conv_utils.normalize_data_format(data_format)
    if max(strides) > 1 and max(dilation) > 1:
        raise ValueError(
            "conv: strides > 1 together with dilation_rate > 1 is not supported; "
            f"received strides={strides}, dilation_rate={dilation}.")
    if len(kernel.shape) != rank + 2:
        raise ValueError(
            f"conv: a {rank}-D convolution needs a kernel of rank {rank + 2} "
            f"(*window, in_channels // groups, out_channels); received shape "
            f"{tuple(kernel.shape)}.")
    channels_first = data_format == "channels_first"
    if channels_first:
        x = tf.transpose(x, _TO_LAST[rank])
    in_channels = x.shape[-1]
    kernel_in, out_channels = kernel.shape[-2], kernel.shape[-1]
    if in_channels is None or kernel_in == 0 or in_channels % kernel_in:
        raise ValueError(
            f"conv: input channels ({in_channels}) must be a multiple of the "
            f"kernel's input channels ({kernel_in}); kernel shape "
            f"{tuple(kernel.shape)}, input shape {tuple(x.shape)}.")
    groups = in_channels // kernel_in
    if out_channels % groups:
        raise ValueError(
            f"conv: output channels ({out_channels}) must be divisible by the "
            f"number of groups ({groups}).")
    dilated = max(dilation) > 1
    native = not (dilated or groups > 1) or _cpu_native(x)
    if dilated and not native:
        # The dilated convolution's input gradient (Conv2DBackpropInput) has
        # no CPU kernel here: convolve with the explicitly dilated kernel.
        kernel = _dilate_kernel(kernel, dilation)
        dilation = (1,) * rank
    if groups > 1 and not native:
        xs = tf.split(x, groups, axis=-1)
        ks = tf.split(kernel, groups, axis=-1)
        y = tf.concat([_conv_call(rank, xi, ki, strides, padding, dilation)
                       for xi, ki in zip(xs, ks)], axis=-1)
    else:
        y = _conv_call(rank, x, kernel, strides, padding, dilation)
    if channels_first:
        y = tf.transpose(y, _TO_FIRST[rank])
    return y


def _conv_call(rank, x, kernel, strides, padding, dilation):
    if rank == 2:
        return tf.nn.conv2d(x, kernel, strides, padding, "NHWC", dilation)
    return tf.nn.conv1d(x, kernel, strides, padding, "NWC", dilation)


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


def conv_transpose(x, kernel, strides, padding, output_padding, data_format,
                   dilation_rate):
    x = _tensor(x)
    kernel = _tensor(kernel)
    rank = _spatial_rank(x, "conv_transpose", (1, 2))
    strides = conv_utils.normalize_tuple(strides, rank, "strides")
    dilation = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
    padding = conv_utils.normalize_padding(padding)
    data_format = conv_utils.normalize_data_format(data_format)
    if output_padding is None:
        output_padding = (None,) * rank
    elif isinstance(output_padding, int):
        output_padding = (output_padding,) * rank
    else:
        output_padding = tuple(output_padding)
        if len(output_padding) != rank:
            raise ValueError(
                f"conv_transpose: `output_padding` must be an int or a tuple of "
                f"{rank} ints; received {output_padding!r}.")
    if len(kernel.shape) != rank + 2:
        raise ValueError(
            f"conv_transpose: a {rank}-D transposed convolution needs a kernel of "
            f"rank {rank + 2} (*window, out_channels, in_channels); received "
            f"shape {tuple(kernel.shape)}.")
    channels_first = data_format == "channels_first"
    if channels_first:
        x = tf.transpose(x, _TO_LAST[rank])
    if x.shape[-1] != kernel.shape[-1]:
        raise ValueError(
            f"conv_transpose: input channels ({x.shape[-1]}) must equal the "
            f"kernel's last dimension; kernel shape {tuple(kernel.shape)}.")
    if rank == 1:
        x = tf.expand_dims(x, 1)
        kernel = tf.expand_dims(kernel, 0)
        strides = (1,) + strides
        dilation = (1,) + dilation
        output_padding = (None,) + output_padding
        window = (1,) + tuple(kernel.shape[1:2])
        lengths = (1, x.shape[2])
    else:
        window = tuple(kernel.shape[:2])
        lengths = tuple(x.shape[1:3])
    if max(dilation) > 1 and not _cpu_native(x):
        kernel = _dilate_kernel(kernel, dilation)
        call_dilation = (1, 1)
    else:
        call_dilation = dilation
    # Run TF's VALID transposed convolution (the full output, plus up to
    # stride - 1 trailing zeros that TF accepts), then crop as Keras.
    request, crops, outs = [], [], []
    for n, k, s, op, d in zip(lengths, window, strides, output_padding, dilation):
        out, crop = conv_utils.transpose_crop(n, k, s, padding, op, d)
        full = (n - 1) * s + (k - 1) * d + 1
        request.append(min(max(full, crop + out), full + s - 1))
        crops.append(crop)
        outs.append(out)
    batch = x.shape[0]
    if batch is None:
        batch = tf.shape(x)[0]
    out_channels = kernel.shape[-2]
    output_shape = [batch, request[0], request[1], out_channels]
    if not isinstance(batch, int):
        output_shape = tf.stack(output_shape)
    y = tf.nn.conv2d_transpose(x, kernel, output_shape, strides=list(strides),
                               padding="VALID", data_format="NHWC",
                               dilations=list(call_dilation))
    if any(c > 0 for c in crops) or any(o < r for o, r in zip(outs, request)):
        y = y[:, crops[0]:crops[0] + outs[0], crops[1]:crops[1] + outs[1], :]
    short = [max(c + o - r, 0) for c, o, r in zip(crops, outs, request)]
    if any(short):
        y = tf.pad(y, [[0, 0], [0, short[0]], [0, short[1]], [0, 0]])
    if rank == 1:
        y = tf.squeeze(y, 1)
    if channels_first:
        y = tf.transpose(y, _TO_FIRST[rank])
    return y


def pool(op, fn, x, pool_size, strides, padding, data_format):
    x = _tensor(x)
    rank = _spatial_rank(x, op, (1, 2))
    pool_size = conv_utils.normalize_tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else conv_utils.normalize_tuple(
        strides, rank, "strides")
    padding = conv_utils.normalize_padding(padding).upper()
    data_format = conv_utils.normalize_data_format(data_format)
    channels_first = data_format == "channels_first"
    if channels_first:
        x = tf.transpose(x, _TO_LAST[rank])
    y = fn(x, pool_size, strides, padding, _FORMATS[rank])
    if channels_first:
        y = tf.transpose(y, _TO_FIRST[rank])
    return y
