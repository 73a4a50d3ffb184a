"""What SimpleRNNCell, LSTMCell and GRUCell share: arguments, weights, config,
and the layer wrapper that builds a cell from the layer's arguments."""
from kerasx import activations, constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kerasx.layers.rnn.rnn import RNN

#: The cell arguments every cell layer forwards (plus its own extras).
CELL_ARGS = ("units", "activation", "use_bias", "kernel_initializer",
             "recurrent_initializer", "bias_initializer", "kernel_regularizer",
             "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
             "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
             "seed")


class BaseRecurrentCell(DropoutRNNCell, Layer):
    """A cell with a kernel (input, gates * units), a recurrent kernel
    (units, gates * units) and an optional bias, in Keras layout.

    Raises:
        ValueError: if `units` is not a positive int.
    """

    gates = 1

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError("Received an invalid value for argument `units`, expected "
                             f"a positive integer, got {units!r}.")
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_dropout(dropout, recurrent_dropout, seed)
        self.state_size = units
        self.output_size = units

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        width = self.gates * self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], width), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
            name="kernel")
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width), initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint, name="recurrent_kernel")
        self.bias = self.add_weight(
            shape=self._bias_shape(), initializer=self._bias_initializer(),
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.built = True

    def _masks(self, inputs, h_tm1, training):
        """(input dropout mask(s) or None, recurrent dropout mask(s) or None)."""
        if not training:
            return None, None
        dp = self.get_dropout_mask(inputs) if 0.0 < self.dropout < 1.0 else None
        rdp = self.get_recurrent_dropout_mask(h_tm1) \
            if 0.0 < self.recurrent_dropout < 1.0 else None
        return dp, rdp

    def get_initial_state(self, batch_size=None):
        ops = get_ops()
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) \
            else [self.state_size]
        return [ops.zeros((batch_size, s), self.dtype) for s in sizes]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
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


def gates_of(ops, x, mask, count):
    """`x` times each of `count` per-gate masks (a list), or `x` repeated."""
    if mask is None:
        return [x] * count
    return [ops.multiply(x, m) for m in mask]


class CellLayer(RNN):
    """An RNN layer made from its cell's arguments (SimpleRNN, LSTM, GRU).

    Subclasses set `cell_class`, `cell_name` and `cell_extras` (names of the
    extra cell arguments they accept)."""

    cell_class = None
    cell_name = None
    cell_extras = ()
    config_has_seed = True

    def __init__(self, units, *cell_args, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 activity_regularizer=None, **kwargs):
        # Positional arguments after `units` are the cell's (activation, ...),
        # in Keras's order up to bias_initializer.
        if len(cell_args) > 6:
            raise TypeError(f"{type(self).__name__} takes at most 7 positional "
                            "arguments; pass the others by keyword.")
        cell_kwargs = {k: kwargs.pop(k) for k in CELL_ARGS + tuple(self.cell_extras)
                       if k in kwargs}
        cell = self.cell_class(units, *cell_args, name=self.cell_name,
                               dtype=kwargs.get("dtype"),
                               trainable=kwargs.get("trainable", True), **cell_kwargs)
        super().__init__(cell, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, unroll=unroll,
                         zero_output_for_mask=kwargs.pop("zero_output_for_mask", False),
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def __getattr__(self, name):
        # units, activation, use_bias, initializers ... read through to the cell.
        if name in CELL_ARGS or name in self.cell_extras:
            cell = self.__dict__.get("cell")
            if cell is not None:
                return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        if not self.config_has_seed:
            cell_config.pop("seed", None)
        cell_config["activity_regularizer"] = regularizers.serialize(
            self.activity_regularizer)
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config.pop("cell", None)
        return Layer.from_config.__func__(cls, config)


class FusedCellLayer(CellLayer):
    """A CellLayer whose whole sequence may go to one contract operation
    (`lstm`, `gru`), which a backend may run with a fused kernel. Subclasses
    implement `_fused_loop` with `_fused_sequences`."""

    def __init__(self, units, *args, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError("Invalid value received for argument `use_cudnn`. Expected "
                             f"one of {{'auto', True, False}}. Received: use_cudnn={use_cudnn}")
        super().__init__(units, *args, **kwargs)
        self.use_cudnn = use_cudnn

    def _fused_sequences(self, sequences, initial_state, training):
        """The inputs for the fused operation (input dropout applied), or None
        when the cell must run step by step: non-default activations,
        recurrent dropout in training, or use_cudnn=False."""
        cell = self.cell
        if not (cell.activation is activations.tanh and
                cell.recurrent_activation is activations.sigmoid) \
                or (training and cell.recurrent_dropout) or self.use_cudnn is False:
            return None
        ops = get_ops()
        shape = ops.shape(sequences)
        first = ops.squeeze(ops.slice(sequences, (0, 0, 0), (shape[0], 1, shape[2])), axis=1)
        dp, _ = cell._masks(first, initial_state[0], training)
        return sequences if dp is None else ops.multiply(sequences, ops.expand_dims(dp, 1))
