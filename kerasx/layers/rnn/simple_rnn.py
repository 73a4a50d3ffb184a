"""SimpleRNNCell and SimpleRNN: h' = activation(x @ kernel + bias + h @ recurrent_kernel)."""
from kerasx.backend import get_ops
from kerasx.layers.rnn.base_cell import BaseRecurrentCell, CellLayer


class SimpleRNNCell(BaseRecurrentCell):
    """The fully connected recurrent cell, as keras.layers.SimpleRNNCell.

    Args:
        units: size of the state and output.
        activation: default "tanh".
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: as Keras
            ("glorot_uniform", "orthogonal", "zeros").
        kernel_regularizer, recurrent_regularizer, bias_regularizer: as Keras.
        kernel_constraint, recurrent_constraint, bias_constraint: as Keras.
        dropout, recurrent_dropout: fractions of the input / state units
            dropped in training (one mask per batch, reused at every step).
        seed: seed of the dropout masks.

    Weights: kernel (input_dim, units), recurrent_kernel (units, units),
    bias (units,).
    """

    gates = 1

    def call(self, sequence, states, training=False):
        ops = get_ops()
        prev = states[0] if isinstance(states, (list, tuple)) else states
        dp, rdp = self._masks(sequence, prev, training)
        if dp is not None:
            sequence = ops.multiply(sequence, dp)
        h = ops.matmul(sequence, self.kernel.value)
        if self.bias is not None:
            h = ops.add(h, self.bias.value)
        if rdp is not None:
            prev = ops.multiply(prev, rdp)
        output = self.activation(ops.add(h, ops.matmul(prev, self.recurrent_kernel.value)))
        return output, [output] if isinstance(states, (list, tuple)) else output


class SimpleRNN(CellLayer):
    """Fully connected RNN, as keras.layers.SimpleRNN.

    Args: the SimpleRNNCell arguments, plus activity_regularizer,
    return_sequences, return_state, go_backwards, stateful, unroll (see RNN).
    """

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"
    config_has_seed = False  # as Keras 3's SimpleRNN.get_config
