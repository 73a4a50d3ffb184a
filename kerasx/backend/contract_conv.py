"""Convolution and pooling: the public operations check and resolve their
arguments once for every backend (kerasx.backend.conv_spec), then call the
plugin's native kernels.

A mixin of kerasx.backend.contract.Backend (see contract.py for the
conventions every operation follows)."""
from kerasx.backend import conv_spec
from kerasx.backend.op_roles import composite, kernel


class ConvContract:
    """The conv operations of the contract."""

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
