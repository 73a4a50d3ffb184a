"""LSTMCell and LSTM (Keras layout, gate order i, f, c, o)."""
from kerasx import activations, initializers
from kerasx.backend import get_ops
from kerasx.layers.rnn.base_cell import BaseRecurrentCell, FusedCellLayer, gates_of


class LSTMCell(BaseRecurrentCell):
    """Long short-term memory cell, as keras.layers.LSTMCell.

    z = x @ kernel + h @ recurrent_kernel + bias, split into i, f, c, o:
    c' = sigmoid(z_f) * c + sigmoid(z_i) * tanh(z_c), h' = sigmoid(z_o) * tanh(c')
    (with `recurrent_activation` in place of sigmoid and `activation` of tanh).

    Args: as SimpleRNNCell, plus recurrent_activation (default "sigmoid") and
    unit_forget_bias (default True: the forget gate's bias starts at 1).
    With recurrent_dropout, each gate gets its own dropout masks (Keras's
    implementation 1).

    Weights: kernel (input_dim, 4 * units), recurrent_kernel (units, 4 * units),
    bias (4 * units,). States: [h, c].
    """

    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [units, units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer
        ones = initializers.get("ones")

        def init(shape, dtype=None):
            ops = get_ops()
            return ops.concatenate([base((units,), dtype), ones((units,), dtype),
                                    base((2 * units,), dtype)], axis=0)
        return init

    def call(self, inputs, states, training=False):
        ops = get_ops()
        h_tm1, c_tm1 = states[0], states[1]
        dp, rdp = self._masks(inputs, h_tm1, training)
        kernel, recurrent = self.kernel.value, self.recurrent_kernel.value
        if self.implementation == 1:
            xs = gates_of(ops, inputs, dp, 4)
            hs = gates_of(ops, h_tm1, rdp, 4)
            ks = ops.split(kernel, 4, axis=1)
            rks = ops.split(recurrent, 4, axis=1)
            bs = ops.split(self.bias.value, 4, axis=0) if self.bias is not None else None
            z = []
            for g in range(4):
                x_g = ops.matmul(xs[g], ks[g])
                if bs is not None:
                    x_g = ops.add(x_g, bs[g])
                z.append(ops.add(x_g, ops.matmul(hs[g], rks[g])))
        else:
            if dp is not None:
                inputs = ops.multiply(inputs, dp)
            zz = ops.add(ops.matmul(inputs, kernel), ops.matmul(h_tm1, recurrent))
            if self.bias is not None:
                zz = ops.add(zz, self.bias.value)
            z = ops.split(zz, 4, axis=1)
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = ops.add(ops.multiply(f, c_tm1), ops.multiply(i, self.activation(z[2])))
        o = self.recurrent_activation(z[3])
        h = ops.multiply(o, self.activation(c))
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class LSTM(FusedCellLayer):
    """Long short-term memory layer, as keras.layers.LSTM.

    Args: the LSTMCell arguments, plus activity_regularizer, return_sequences,
    return_state, go_backwards, stateful, unroll (see RNN) and use_cudnn
    (accepted for Keras compatibility; the backend decides).

    With the default activations and no recurrent dropout, the whole sequence
    goes to the contract's `lstm` operation, which a backend may run with its
    fused kernel; otherwise the cell runs step by step.
    """

    cell_class = LSTMCell
    cell_name = "lstm_cell"
    cell_extras = ("recurrent_activation", "unit_forget_bias", "implementation")

    def _fused_loop(self, sequences, initial_state, mask, training):
        sequences = self._fused_sequences(sequences, initial_state, training)
        if sequences is None:
            return None
        cell, ops = self.cell, get_ops()
        last, outputs, h, c = ops.lstm(
            sequences, initial_state[0], initial_state[1], cell.kernel.value,
            cell.recurrent_kernel.value, cell.bias.value if cell.bias is not None else None,
            mask=mask, go_backwards=self.go_backwards,
            zero_output_for_mask=self.zero_output_for_mask)
        return last, outputs, [h, c]

