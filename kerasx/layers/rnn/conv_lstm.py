"""ConvLSTMCell and ConvLSTM: the LSTM with convolutions in place of matrix
products, for 1-D, 2-D and 3-D inputs per step (ConvLSTM1D/2D/3D)."""
from kerasx import activations, constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.convolutional.base_conv import (add_bias, check_positive_int,
                                                    conv_output_shape, set_window)
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.rnn.base_cell import gates_of
from kerasx.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kerasx.layers.rnn.rnn import RNN

#: The cell arguments ConvLSTM forwards to its cell, in Keras's order.
CELL_ARGS = ("filters", "kernel_size", "strides", "padding", "data_format",
             "dilation_rate", "activation", "recurrent_activation", "use_bias",
             "kernel_initializer", "recurrent_initializer", "bias_initializer",
             "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
             "bias_regularizer", "kernel_constraint", "recurrent_constraint",
             "bias_constraint", "dropout", "recurrent_dropout", "seed")


class ConvLSTMCell(DropoutRNNCell, Layer):
    """One step of a convolutional LSTM, as Keras's ConvLSTMCell (gate order
    i, f, c, o): z_g = conv(x, kernel_g) + bias_g + conv(h, recurrent_g)
    (the recurrent convolution with stride 1 and "same" padding), then
    c' = sigmoid(z_f) * c + sigmoid(z_i) * tanh(z_c), h' = sigmoid(z_o) *
    tanh(c') (`recurrent_activation` and `activation` in place of sigmoid and
    tanh). Input and recurrent dropout use one mask per gate, from the
    portable generator.

    Weights: kernel (*kernel_size, in_channels, 4 * filters),
    recurrent_kernel (*kernel_size, filters, 4 * filters), bias
    (4 * filters,). States: [h, c], each shaped as the input convolution's
    output.

    Raises:
        ValueError: for a rank above 3, a non-positive `filters`, bad window
            arguments; at build, unknown spatial or channel sizes.
    """

    dropout_mask_count = 4

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. "
                             f"Received: rank={rank}")
        check_positive_int(filters, "filters")
        self.filters = filters
        set_window(self, rank, kernel_size, strides, dilation_rate, padding, data_format)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_dropout(dropout, recurrent_dropout, seed)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # as Keras: the states' shapes follow the input's

    def build(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        if self.data_format == "channels_first":
            channel_axis, self.spatial_dims = 1, inputs_shape[2:]
        else:
            channel_axis, self.spatial_dims = -1, inputs_shape[1:-1]
        if None in self.spatial_dims:
            raise ValueError("ConvLSTM layers only support static input shapes for the "
                             "spatial dimension. Received invalid input shape: "
                             f"input_shape={inputs_shape}")
        if inputs_shape[channel_axis] is None:
            raise ValueError("The channel dimension of the inputs should be defined. "
                             f"Found None. Full input shape received: {inputs_shape}")
        self.input_dim = inputs_shape[channel_axis]
        # The per-step output shape (no batch), which the RNN loop needs for
        # the output it carries over masked steps.
        self.output_size = self.compute_output_shape((None,) + inputs_shape[1:])[0][1:]
        width = 4 * self.filters
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.input_dim, width),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, name="kernel")
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint, name="recurrent_kernel")
        self.bias = self.add_weight(
            shape=(width,), initializer=self._bias_initializer(),
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.built = True

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        filters, base = self.filters, self.bias_initializer
        ones = initializers.get("ones")

        def init(shape, dtype=None):
            ops = get_ops()
            return ops.concatenate([base((filters,), dtype), ones((filters,), dtype),
                                    base((2 * filters,), dtype)], axis=0)
        return init

    def call(self, inputs, states, training=False):
        ops = get_ops()
        h_tm1, c_tm1 = states[0], states[1]
        dp = self.get_dropout_mask(inputs) if training and 0.0 < self.dropout < 1.0 \
            else None
        rdp = self.get_recurrent_dropout_mask(h_tm1) \
            if training and 0.0 < self.recurrent_dropout < 1.0 else None
        xs, hs = gates_of(ops, inputs, dp, 4), gates_of(ops, h_tm1, rdp, 4)
        kernels = ops.split(self.kernel.value, 4, axis=self.rank + 1)
        recurrent = ops.split(self.recurrent_kernel.value, 4, axis=self.rank + 1)
        biases = ops.split(self.bias.value, 4, axis=0) if self.bias is not None else None
        z = []
        for g in range(4):
            x_g = ops.conv(xs[g], kernels[g], self.strides, self.padding,
                           self.data_format, self.dilation_rate)
            if biases is not None:
                x_g = add_bias(x_g, biases[g], self.rank, self.data_format)
            h_g = ops.conv(hs[g], recurrent[g], 1, "same", self.data_format, 1)
            z.append(ops.add(x_g, h_g))
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = ops.add(ops.multiply(f, c_tm1), ops.multiply(i, self.activation(z[2])))
        o = self.recurrent_activation(z[3])
        h = ops.multiply(o, self.activation(c))
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        shape = conv_output_shape(self.name, inputs_shape, self.filters, self.kernel_size,
                                  self.strides, self.padding, self.data_format,
                                  self.dilation_rate)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        """Zero [h, c] for a batch of `batch_size`."""
        if self.data_format == "channels_last":
            inputs_shape = (batch_size,) + tuple(self.spatial_dims) + (self.input_dim,)
        else:
            inputs_shape = (batch_size, self.input_dim) + tuple(self.spatial_dims)
        shape = self.compute_output_shape(inputs_shape)[0]
        ops = get_ops()
        return [ops.zeros(shape, self.dtype), ops.zeros(shape, self.dtype)]

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class ConvLSTM(RNN):
    """A convolutional LSTM over sequences of rank-`rank` feature maps, as
    Keras's ConvLSTM: inputs (batch, time, *spatial, channels) (or (batch,
    time, channels, *spatial)), run step by step with a ConvLSTMCell.

    Args:
        rank: 1, 2 or 3 (fixed by ConvLSTM1D/2D/3D).
        filters: number of output channels.
        kernel_size, strides, dilation_rate: int or tuple of `rank` ints.
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
        return_sequences, return_state, go_backwards, stateful: as RNN (and
            unroll, zero_output_for_mask from a config).
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, activity_regularizer=activity_regularizer,
                         **kwargs)
        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 3)

    def __getattr__(self, name):
        # filters, kernel_size, ... read through to the cell, as Keras's properties.
        if name in CELL_ARGS:
            cell = self.__dict__.get("cell")
            if cell is not None:
                return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        batch, steps = sequences_shape[0], sequences_shape[1]
        state = self.cell.compute_output_shape((batch,) + sequences_shape[2:])[0][1:]
        output = (batch, steps) + state if self.return_sequences else (batch,) + state
        if self.return_state:
            return output, (batch,) + state, (batch,) + state
        return output

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask

    def _state_count(self):
        return 2

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        cell_config["activity_regularizer"] = regularizers.serialize(
            self.activity_regularizer)
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new layer from get_config's output (Keras's config included)."""
        config = dict(config)
        config.pop("cell", None)
        return Layer.from_config.__func__(cls, config)

