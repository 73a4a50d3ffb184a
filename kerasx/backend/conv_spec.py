"""Convolution and pooling arguments, checked and resolved once for every plugin.

The contract's `conv`, `conv_transpose`, `max_pool` and `average_pool` call
`resolve_*` here with the shapes of their tensors and the caller's arguments,
then hand the plugin's native kernel a `ConvSpec`: the numbers a framework
needs, with every check done. So all backends raise the same errors, for the
same reasons, before a framework sees the call, and "same" padding is
TensorFlow's on every backend (`kerasx.backend.conv_utils.same_padding`).

Resolution is cached by arguments: a layer calls its op with the same shapes
and arguments at every step, so a step pays one dictionary lookup per op.
"""
import dataclasses
import functools

from kerasx.backend import conv_utils

#: Spatial ranks supported by every operation: 1-D, 2-D and 3-D, as Keras 3.
RANKS = (1, 2, 3)

_KERNEL_LAYOUT = {"conv": "(*window, in_channels // groups, out_channels)",
                  "conv_transpose": "(*window, out_channels, in_channels)"}


@dataclasses.dataclass(frozen=True)
class ConvSpec:
    """A convolution or pooling resolved for one input shape.

    Attributes:
        op: "conv", "conv_transpose", "max_pool" or "average_pool".
        rank: number of spatial axes (1, 2 or 3).
        channels_first: whether the input is (N, C, *spatial) (else
            (N, *spatial, C)); the output has the same layout.
        input_spatial, output_spatial: lengths of the spatial axes (None where
            the input's is unknown, e.g. in a graph with dynamic shapes).
        window: kernel or pooling window per spatial axis.
        strides, dilation: per spatial axis (dilation is 1 for pooling).
        padding: "valid" or "same" as asked (TensorFlow's definition), for
            frameworks that have TensorFlow's "same" natively.
        pads: ((before, after), ...) per spatial axis, or None where a "same"
            length is unknown. For `conv` and pooling: what is added to the
            input (zeros; for max pooling, values that never win; for average
            pooling, not counted). For `conv_transpose`: the padding of the
            convolution whose input gradient this is, i.e. what is cut from
            the front and back of the full transposed output
            ((n - 1) * stride + (window - 1) * dilation + 1 per axis); a
            negative `after` means that many zeros are appended.
        in_channels, out_channels: channel counts (equal for pooling).
        groups: convolution groups (in_channels // kernel's input channels).
        output_padding: conv_transpose's output_padding per axis, or None.
    """

    op: str
    rank: int
    channels_first: bool
    input_spatial: tuple
    output_spatial: tuple
    window: tuple
    strides: tuple
    dilation: tuple
    padding: str
    pads: tuple
    in_channels: int
    out_channels: int
    groups: int = 1
    output_padding: tuple = None

    @property
    def symmetric(self):
        """True when every axis is padded (or cropped) equally on both sides."""
        return self.pads is not None and all(b == a for b, a in self.pads)

    @property
    def to_channels_first(self):
        """Axis permutation (N, *spatial, C) -> (N, C, *spatial)."""
        return (0, self.rank + 1) + tuple(range(1, self.rank + 1))

    @property
    def to_channels_last(self):
        """Axis permutation (N, C, *spatial) -> (N, *spatial, C)."""
        return (0,) + tuple(range(2, self.rank + 2)) + (1,)

    def native(self, key, build):
        """`build(self)`, computed once per spec and kept on it under `key`.

        Specs are cached by arguments, so a plugin that derives its own call
        plan from a spec (permutations, framework padding arguments) keeps it
        here and derives it once per layer configuration.
        """
        plans = self.__dict__.setdefault("_native", {})
        try:
            return plans[key]
        except KeyError:
            plan = plans[key] = build(self)
            return plan


# ----------------------------------------------------------------------
# Argument checks (the messages name the operation and quote the value)
# ----------------------------------------------------------------------
def _as_int(value):
    """`value` as an int where it equals one (2, 2.0, a NumPy int), else None.
    Only the value counts, as in the cache's keys (2 == 2.0), so a call's
    resolution never depends on which equal arguments came first."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if not isinstance(value, str) and number == value else None


def _int_tuple(op, value, rank, name, lowest=1):
    """`value` (an int or a sequence of `rank` ints >= `lowest`) as a tuple."""
    bound = "positive ints" if lowest == 1 else f"ints >= {lowest}"
    number = _as_int(value)
    if number is not None:
        result = (number,) * rank
    else:
        try:
            result = tuple(_as_int(v) for v in value)
        except TypeError:
            result = None
        if result is None or len(result) != rank or None in result:
            raise ValueError(
                f"{op}: `{name}` must be an int or a tuple of {rank} {bound} for a "
                f"{rank}-D input; received {name}={value!r}.")
    if any(v < lowest for v in result):
        raise ValueError(
            f"{op}: `{name}` must be an int or a tuple of {rank} {bound}; "
            f"received {name}={value!r}.")
    return result


def _padding(op, padding):
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(
            f"{op}: `padding` must be 'valid' or 'same'; received padding={padding!r}.")
    return mode


def _channels_first(op, data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: `data_format` must be 'channels_last' or 'channels_first'; "
            f"received data_format={data_format!r}.")
    return data_format == "channels_first"


def _rank(op, xshape):
    rank = len(xshape) - 2
    if rank not in RANKS:
        raise ValueError(
            f"{op}: expected an input of rank 3, 4 or 5 (batch, *spatial, channels) "
            f"for a 1-D, 2-D or 3-D operation; received an input of shape "
            f"{tuple(xshape)}.")
    return rank


def _split(xshape, rank, channels_first):
    """(spatial lengths, channels) of an input shape."""
    if channels_first:
        return tuple(xshape[2:]), xshape[1]
    return tuple(xshape[1:rank + 1]), xshape[-1]


def _kernel_rank(op, xshape, kshape, rank):
    if len(kshape) != rank + 2:
        raise ValueError(
            f"{op}: a {rank}-D input of shape {tuple(xshape)} needs a kernel of rank "
            f"{rank + 2} {_KERNEL_LAYOUT[op]}; received a kernel of shape "
            f"{tuple(kshape)}.")


def _forward_pads(op, spatial, window, strides, dilation, padding):
    """(pads, output lengths) of a convolution or pooling, per axis."""
    if padding == "valid":
        pads = ((0, 0),) * len(window)
    elif None in spatial:
        pads = None
    else:
        pads = tuple(conv_utils.same_padding(n, k, s, d)
                     for n, k, s, d in zip(spatial, window, strides, dilation))
    out = tuple(None if n is None else conv_utils.output_length(n, k, s, padding, d)
                for n, k, s, d in zip(spatial, window, strides, dilation))
    if 0 in out:
        raise ValueError(
            f"{op}: the window {window} (dilation {dilation}) leaves no output for "
            f"the input's spatial size {spatial} with padding {padding!r}; use a "
            f"smaller window, a larger input or padding='same'.")
    return pads, out


_CACHE_SIZE = 4096


def _cached(resolve):
    """Memoise `resolve` by its arguments. Lists become tuples, so that list
    arguments hit the cache too; equal arguments (2 and 2.0) share an entry,
    which is right because resolution looks at values only (`_as_int`)."""
    cache = {}

    @functools.wraps(resolve)
    def cached(*args):
        try:
            return cache[args]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument (a list)
            args = tuple(tuple(a) if isinstance(a, list) else a for a in args)
            try:
                return cache[args]
            except KeyError:
                pass
            except TypeError:  # still unhashable: resolve (and raise) uncached
                return resolve(*args)
        if len(cache) >= _CACHE_SIZE:  # many input shapes: start again
            cache.clear()
        spec = cache[args] = resolve(*args)
        return spec

    cached.cache = cache
    return cached


# ----------------------------------------------------------------------
# Resolution, one function per operation
# ----------------------------------------------------------------------
@_cached
def resolve_conv(xshape, kshape, strides, padding, data_format, dilation_rate):
    """The ConvSpec of `conv` (see Backend.conv for the arguments).

    Raises:
        ValueError: for an input rank other than 3, 4 or 5, a kernel of the
            wrong rank, a bad strides / padding / data_format /
            dilation_rate, strides > 1 together with dilation > 1, input
            channels not a multiple of the kernel's, output channels not a
            multiple of the groups, or a window larger than a "valid" input.
    """
    op = "conv"
    rank = _rank(op, xshape)
    strides = _int_tuple(op, strides, rank, "strides")
    dilation = _int_tuple(op, dilation_rate, rank, "dilation_rate")
    padding = _padding(op, padding)
    channels_first = _channels_first(op, data_format)
    _kernel_rank(op, xshape, kshape, rank)
    if max(strides) > 1 and max(dilation) > 1:
        raise ValueError(
            f"{op}: strides > 1 together with dilation_rate > 1 is not supported (as "
            f"in Keras); received strides={strides}, dilation_rate={dilation}.")
    spatial, in_channels = _split(xshape, rank, channels_first)
    window = tuple(kshape[:rank])
    if 0 in window:
        raise ValueError(f"{op}: the kernel's window must not be empty; received a "
                         f"kernel of shape {tuple(kshape)}.")
    group_in, out_channels = kshape[-2], kshape[-1]
    if in_channels is None or group_in == 0 or in_channels % group_in:
        raise ValueError(
            f"{op}: the input's channels ({in_channels}) must be a multiple of the "
            f"kernel's input channels ({group_in}, axis -2 of a kernel "
            f"{_KERNEL_LAYOUT[op]}); input shape {tuple(xshape)}, kernel shape "
            f"{tuple(kshape)}, data_format "
            f"{'channels_first' if channels_first else 'channels_last'}.")
    groups = in_channels // group_in
    if out_channels % groups:
        raise ValueError(
            f"{op}: the kernel's output channels ({out_channels}) must be a multiple "
            f"of the number of groups ({groups} = {in_channels} input channels // "
            f"{group_in}); kernel shape {tuple(kshape)}.")
    pads, out = _forward_pads(op, spatial, window, strides, dilation, padding)
    return ConvSpec(op, rank, channels_first, spatial, out, window, strides, dilation,
                    padding, pads, in_channels, out_channels, groups)


@_cached
def resolve_conv_transpose(xshape, kshape, strides, padding, output_padding, data_format,
                           dilation_rate):
    """The ConvSpec of `conv_transpose` (see Backend.conv_transpose).

    Raises:
        ValueError: for an input rank other than 3, 4 or 5, a kernel of the
            wrong rank, a bad strides / padding / data_format /
            dilation_rate, an output_padding that is negative or not smaller
            than the stride, a kernel whose last axis differs from the
            input's channels, or unknown spatial lengths.
    """
    op = "conv_transpose"
    rank = _rank(op, xshape)
    strides = _int_tuple(op, strides, rank, "strides")
    dilation = _int_tuple(op, dilation_rate, rank, "dilation_rate")
    padding = _padding(op, padding)
    channels_first = _channels_first(op, data_format)
    if output_padding is not None:
        output_padding = _int_tuple(op, output_padding, rank, "output_padding", lowest=0)
        if any(p >= s for p, s in zip(output_padding, strides)):
            raise ValueError(
                f"{op}: each `output_padding` must be smaller than the stride along "
                f"its axis (as in Keras); received output_padding={output_padding}, "
                f"strides={strides}.")
    _kernel_rank(op, xshape, kshape, rank)
    spatial, in_channels = _split(xshape, rank, channels_first)
    window = tuple(kshape[:rank])
    if 0 in window:
        raise ValueError(f"{op}: the kernel's window must not be empty; received a "
                         f"kernel of shape {tuple(kshape)}.")
    out_channels, kernel_in = kshape[-2], kshape[-1]
    if kernel_in != in_channels:
        raise ValueError(
            f"{op}: the kernel's last axis ({kernel_in}, its input channels in the "
            f"layout {_KERNEL_LAYOUT[op]}) must equal the input's channels "
            f"({in_channels}); input shape {tuple(xshape)}, kernel shape "
            f"{tuple(kshape)}, data_format "
            f"{'channels_first' if channels_first else 'channels_last'}.")
    if None in spatial:
        raise ValueError(
            f"{op}: the input's spatial lengths must be known (they fix the output's); "
            f"received an input of shape {tuple(xshape)}.")
    pads, out = [], []
    for i, (n, k, s, d) in enumerate(zip(spatial, window, strides, dilation)):
        extra = None if output_padding is None else output_padding[i]
        length, before = conv_utils.transpose_crop(n, k, s, padding, extra, d)
        full = (n - 1) * s + (k - 1) * d + 1
        pads.append((before, full - before - length))
        out.append(length)
    return ConvSpec(op, rank, channels_first, spatial, tuple(out), window, strides,
                    dilation, padding, tuple(pads), in_channels, out_channels, 1,
                    output_padding)


@_cached
def resolve_pool(op, xshape, pool_size, strides, padding, data_format):
    """The ConvSpec of `max_pool` or `average_pool` (`op`); strides None
    means pool_size.

    Raises:
        ValueError: for an input rank other than 3, 4 or 5, a bad pool_size /
            strides / padding / data_format, or a window larger than a
            "valid" input.
    """
    rank = _rank(op, xshape)
    window = _int_tuple(op, pool_size, rank, "pool_size")
    strides = window if strides is None else _int_tuple(op, strides, rank, "strides")
    padding = _padding(op, padding)
    channels_first = _channels_first(op, data_format)
    spatial, channels = _split(xshape, rank, channels_first)
    dilation = (1,) * rank
    pads, out = _forward_pads(op, spatial, window, strides, dilation, padding)
    return ConvSpec(op, rank, channels_first, spatial, out, window, strides, dilation,
                    padding, pads, channels, channels)
