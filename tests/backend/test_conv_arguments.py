"""Convolution and pooling arguments are checked once, in the contract
(kerasx.backend.conv_spec): every backend raises the same error, before its
native kernel is called, and resolves the same ConvSpec."""
import numpy as np
import pytest

from kerasx.backend import conv_spec, registry

BACKENDS = sorted(p.name for p in registry.discover().values()
                  if p.is_available() and p.name in ("tensorflow", "torch", "mxnet"))
KERNELS = ("_conv_kernel", "_conv_transpose_kernel", "_max_pool_kernel",
           "_average_pool_kernel")

X1, X2, X3 = (np.zeros((2, 7, 3), "float32"), np.zeros((2, 6, 5, 3), "float32"),
              np.zeros((1, 4, 5, 3, 3), "float32"))
K2 = np.zeros((3, 3, 3, 4), "float32")    # conv: (*window, in, out)
KT2 = np.zeros((3, 3, 4, 3), "float32")   # conv_transpose: (*window, out, in)

# (operation, args, kwargs, the start of the message every backend gives)
BAD = [
    ("conv", (X2, K2), dict(strides=0), "conv: `strides` must be an int or a tuple of 2 "
     "positive ints; received strides=0."),
    ("conv", (X2, K2), dict(strides=(1, 2, 1)), "conv: `strides` must be an int or a "
     "tuple of 2 positive ints for a 2-D input; received strides=(1, 2, 1)."),
    ("conv", (X2, K2), dict(strides=1.5), "conv: `strides` must be an int"),
    ("conv", (X2, K2), dict(strides="2"), "conv: `strides` must be an int"),
    ("conv", (X2, K2), dict(dilation_rate=(1, -1)), "conv: `dilation_rate` must be"),
    ("conv", (X2, K2), dict(padding="full"), "conv: `padding` must be 'valid' or 'same'; "
     "received padding='full'."),
    ("conv", (X2, K2), dict(padding=None), "conv: `padding` must be 'valid' or 'same'"),
    ("conv", (X2, K2), dict(data_format="NHWC"), "conv: `data_format` must be "
     "'channels_last' or 'channels_first'; received data_format='NHWC'."),
    ("conv", (np.zeros((2, 3), "float32"), K2), {}, "conv: expected an input of rank 3, "
     "4 or 5 (batch, *spatial, channels) for a 1-D, 2-D or 3-D operation; received an "
     "input of shape (2, 3)."),
    ("conv", (np.zeros((1, 2, 2, 2, 2, 3), "float32"), K2), {}, "conv: expected an "
     "input of rank 3, 4 or 5"),
    ("conv", (X2, np.zeros((3, 3, 4), "float32")), {}, "conv: a 2-D input of shape "
     "(2, 6, 5, 3) needs a kernel of rank 4 (*window, in_channels // groups, "
     "out_channels); received a kernel of shape (3, 3, 4)."),
    ("conv", (X2, np.zeros((3, 3, 2, 4), "float32")), {}, "conv: the input's channels "
     "(3) must be a multiple of the kernel's input channels (2"),
    ("conv", (X2, np.zeros((3, 3, 4, 4), "float32")), dict(data_format="channels_first"),
     "conv: the input's channels (6) must be a multiple of the kernel's input channels "
     "(4"),
    ("conv", (np.zeros((2, 6, 5, 4), "float32"), np.zeros((3, 3, 2, 3), "float32")), {},
     "conv: the kernel's output channels (3) must be a multiple of the number of groups "
     "(2"),
    ("conv", (X2, K2), dict(strides=2, dilation_rate=2), "conv: strides > 1 together "
     "with dilation_rate > 1 is not supported"),
    ("conv", (X2, np.zeros((7, 3, 3, 4), "float32")), {}, "conv: the window (7, 3) "
     "(dilation (1, 1)) leaves no output for the input's spatial size (6, 5) with "
     "padding 'valid'; use a smaller window, a larger input or padding='same'."),
    ("conv", (X2, np.zeros((2, 2, 3, 4), "float32")), dict(strides=(1, 2.5)),
     "conv: `strides` must be an int or a tuple of 2 positive ints for a 2-D input"),
    ("conv_transpose", (X2, KT2), dict(strides=2, output_padding=2), "conv_transpose: "
     "each `output_padding` must be smaller than the stride along its axis (as in "
     "Keras); received output_padding=(2, 2), strides=(2, 2)."),
    ("conv_transpose", (X2, KT2), dict(strides=(2, 3), output_padding=(1, 3)),
     "conv_transpose: each `output_padding` must be smaller than the stride"),
    ("conv_transpose", (X2, KT2), dict(strides=2, output_padding=-1), "conv_transpose: "
     "`output_padding` must be an int or a tuple of 2 ints >= 0"),
    ("conv_transpose", (X2, K2), {}, "conv_transpose: the kernel's last axis (4, its "
     "input channels in the layout (*window, out_channels, in_channels)) must equal the "
     "input's channels (3)"),
    ("conv_transpose", (X2, KT2), dict(padding="causal"), "conv_transpose: `padding` "
     "must be 'valid' or 'same'"),
    ("conv_transpose", (np.zeros((5, 3), "float32"), KT2), {}, "conv_transpose: expected "
     "an input of rank 3, 4 or 5"),
    ("max_pool", (X2, 0), {}, "max_pool: `pool_size` must be an int or a tuple of 2 "
     "positive ints; received pool_size=0."),
    ("max_pool", (X2, (2, 2, 2)), {}, "max_pool: `pool_size` must be an int or a tuple "
     "of 2 positive ints for a 2-D input"),
    ("max_pool", (X1, 2), dict(strides=0), "max_pool: `strides` must be"),
    ("max_pool", (X2, 7), {}, "max_pool: the window (7, 7) (dilation (1, 1)) leaves no "
     "output for the input's spatial size (6, 5)"),
    ("average_pool", (X3, 2), dict(padding="SAMEISH"), "average_pool: `padding` must be "
     "'valid' or 'same'"),
    ("average_pool", (X3, 2), dict(data_format="NCDHW"), "average_pool: `data_format` "
     "must be"),
    ("average_pool", (np.zeros((4,), "float32"), 2), {}, "average_pool: expected an "
     "input of rank 3, 4 or 5"),
]


@pytest.mark.parametrize("op, args, kwargs, message", BAD,
                         ids=[f"{b[0]}-{b[3][len(b[0]) + 2:40]}" for b in BAD])
def test_same_error_on_every_backend_before_the_kernel(op, args, kwargs, message,
                                                       monkeypatch):
    messages = {}
    for name in BACKENDS:
        ops = registry.load(name)
        for kernel in KERNELS:  # the plugin must never see bad arguments
            monkeypatch.setattr(ops, kernel, _never_called(name, kernel))
        tensors = [ops.convert_to_tensor(a) if isinstance(a, np.ndarray) else a
                   for a in args]
        with pytest.raises(ValueError) as info:
            getattr(ops, op)(*tensors, **kwargs)
        messages[name] = str(info.value)
        monkeypatch.undo()
    assert len(set(messages.values())) == 1, messages
    assert messages[BACKENDS[0]].startswith(message), messages[BACKENDS[0]]


def _never_called(backend, kernel):
    def fail(*args, **kwargs):
        raise AssertionError(f"{backend}'s {kernel} was called with bad arguments")
    return fail


@pytest.mark.parametrize("name", BACKENDS)
def test_every_backend_gets_the_same_spec(name, monkeypatch):
    """The kernels receive the contract's resolution, nothing of their own."""
    ops = registry.load(name)
    seen = []
    monkeypatch.setattr(ops, "_conv_transpose_kernel",
                        lambda x, kernel, spec: seen.append(spec))
    monkeypatch.setattr(ops, "_average_pool_kernel", lambda x, spec: seen.append(spec))
    x = ops.convert_to_tensor(np.zeros((2, 3, 4, 5, 2), "float32"))
    ops.conv_transpose(x, ops.convert_to_tensor(np.zeros((3, 2, 2, 6, 3), "float32")),
                       strides=[2, 1, 3], padding="SAME", output_padding=(1, 0, 0),
                       data_format="channels_first")
    ops.average_pool(x, (2, 3, 2), strides=(1, 2, 2), padding="same")
    transpose, pool = seen
    assert transpose == conv_spec.ConvSpec(
        op="conv_transpose", rank=3, channels_first=True, input_spatial=(4, 5, 2),
        output_spatial=(8, 4, 3), window=(3, 2, 2), strides=(2, 1, 3), dilation=(1, 1, 1),
        padding="same", pads=((0, 1), (1, 1), (1, 1)), in_channels=3, out_channels=6,
        groups=1, output_padding=(1, 0, 0))
    # Full transposed lengths (n - 1) * s + k = 9, 6, 5, cut to Keras's
    # (n - 1) * s + k - 2 * (k // 2) + output_padding = 8, 4, 3.
    assert pool == conv_spec.ConvSpec(
        op="average_pool", rank=3, channels_first=False, input_spatial=(3, 4, 5),
        output_spatial=(3, 2, 3), window=(2, 3, 2), strides=(1, 2, 2), dilation=(1, 1, 1),
        padding="same", pads=((0, 1), (0, 1), (0, 1)), in_channels=2, out_channels=2)


def test_resolution_is_cached_by_arguments():
    first = conv_spec.resolve_conv((2, 6, 6, 3), (3, 3, 3, 4), [1, 2], "same",
                                   "channels_last", 1)
    again = conv_spec.resolve_conv((2, 6, 6, 3), (3, 3, 3, 4), (1, 2), "same",
                                   "channels_last", 1)
    assert again is first
    # Values count, not types, whether cached or not: 2.0 is 2.
    conv_spec.resolve_conv.cache.clear()
    assert conv_spec.resolve_conv((2, 6, 6, 3), (3, 3, 3, 4), (1, 2.0), "same",
                                  "channels_last", 1) == first
    assert first.pads == ((1, 1), (0, 1)) and first.output_spatial == (6, 3)
    other = conv_spec.resolve_conv((4, 6, 6, 3), (3, 3, 3, 4), (1, 2), "same",
                                   "channels_last", 1)
    assert other is not first and other.pads == first.pads


def test_unknown_spatial_lengths_in_a_tensorflow_graph():
    """A user's tf.function with dynamic shapes: "same" convolution and
    pooling keep TensorFlow's own "SAME" (no explicit pads are needed);
    conv_transpose, whose output length needs them, says so."""
    if "tensorflow" not in BACKENDS:
        pytest.skip("tensorflow is not installed")
    import tensorflow as tf

    ops = registry.load("tensorflow")
    kernel = np.random.default_rng(0).standard_normal((3, 2, 3, 4)).astype("float32")
    x = np.random.default_rng(1).standard_normal((2, 7, 6, 3)).astype("float32")

    @tf.function(input_signature=[tf.TensorSpec((None, None, None, 3), tf.float32)])
    def same(t):
        return ops.max_pool(ops.conv(t, kernel, strides=2, padding="same"), 2,
                            strides=1, padding="same")

    eager = ops.max_pool(ops.conv(x, kernel, strides=2, padding="same"), 2, strides=1,
                         padding="same")
    np.testing.assert_allclose(same(x).numpy(), eager.numpy(), rtol=1e-6, atol=1e-6)
    assert eager.shape == (2, 4, 3, 4)

    @tf.function(input_signature=[tf.TensorSpec((None, None, None, 3), tf.float32)])
    def transposed(t):
        return ops.conv_transpose(t, np.zeros((3, 3, 2, 3), "float32"), padding="same")

    with pytest.raises(ValueError, match=r"conv_transpose: the input's spatial lengths "
                       r"must be known .* \(None, None, None, 3\)"):
        transposed(x)


@pytest.mark.parametrize("name", BACKENDS)
def test_empty_batch(name):
    ops = registry.load(name)
    x = ops.convert_to_tensor(np.zeros((0, 5, 5, 2), "float32"))
    conv = ops.conv(x, ops.convert_to_tensor(np.ones((3, 3, 2, 4), "float32")),
                    padding="same")
    transposed = ops.conv_transpose(
        x, ops.convert_to_tensor(np.ones((3, 3, 4, 2), "float32")), 2)
    assert [ops.shape(conv), ops.shape(transposed), ops.shape(ops.max_pool(x, 2)),
            ops.shape(ops.average_pool(x, 3, 2, "same"))] == \
        [(0, 5, 5, 4), (0, 11, 11, 4), (0, 2, 2, 2), (0, 3, 3, 2)]
