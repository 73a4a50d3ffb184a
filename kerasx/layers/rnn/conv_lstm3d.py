"""ConvLSTM3D: a convolutional LSTM over sequences of 3-D feature maps."""
from kerasx.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """3-D convolutional LSTM, as keras.layers.ConvLSTM3D: inputs
    (batch, time, d1, d2, d3, channels) ("channels_last") or with the channels
    before the spatial axes ("channels_first").

    The arguments, in Keras's order, are ConvLSTM's after its rank:
    filters, kernel_size (and strides, dilation_rate) as ints or tuples of
    3, padding, data_format, the activations, initializers, regularizers,
    constraints, dropout rates and seed, then the RNN arguments.

    Weights (those of the cell): kernel, recurrent_kernel, bias (see
    ConvLSTMCell).
    """

    def __init__(self, filters, kernel_size, *args, **kwargs):
        super().__init__(3, filters, kernel_size, *args, **kwargs)
