"""ConvLSTM2D: a convolutional LSTM over sequences of 2-D feature maps."""
from kerasx.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """2-D convolutional LSTM, as keras.layers.ConvLSTM2D: inputs
    (batch, time, rows, cols, channels) ("channels_last") or with the channels
    before the spatial axes ("channels_first").

    The arguments, in Keras's order, are ConvLSTM's after its rank:
    filters, kernel_size (and strides, dilation_rate) as ints or tuples of
    2, padding, data_format, the activations, initializers, regularizers,
    constraints, dropout rates and seed, then the RNN arguments.

    Weights (those of the cell): kernel, recurrent_kernel, bias (see
    ConvLSTMCell).
    """

    def __init__(self, filters, kernel_size, *args, **kwargs):
        super().__init__(2, filters, kernel_size, *args, **kwargs)
