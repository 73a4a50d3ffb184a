"""ConvLSTM2D: a convolutional LSTM over sequences of 2-D feature maps."""
from kerasx.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """2-D convolutional LSTM, as keras.layers.ConvLSTM2D: inputs
    (batch, time, rows, cols, channels) ("channels_last") or with the channels
    before the spatial axes ("channels_first").

    Args:
        filters: number of output channels.
        kernel_size, strides, dilation_rate: int or tuple of 2 ints.
        padding: "valid" or "same" (of the input convolution; the recurrent
            one is always "same" with stride 1).
        data_format: "channels_last" or "channels_first".
        activation, recurrent_activation: default "tanh" and "sigmoid".
        use_bias, unit_forget_bias: as in Keras (the forget gate's bias starts
            at 1 by default).
        kernel_initializer, recurrent_initializer, bias_initializer: as in Keras.
        kernel_regularizer, recurrent_regularizer: as in Keras.
        bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, recurrent_constraint, bias_constraint: as in Keras.
        dropout, recurrent_dropout: per-gate dropout rates (masks from the
            portable generator, seeded by `seed`).
        return_sequences, return_state, go_backwards, stateful: as RNN.

    Weights (those of the cell): kernel, recurrent_kernel, bias (see
    ConvLSTMCell).
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            2, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs)
