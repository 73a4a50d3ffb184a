"""GRUCell and GRU (Keras layout, gate order z, r, h; reset_after True/False)."""
from kerasx import activations
from kerasx.backend import get_ops
from kerasx.layers.rnn.base_cell import BaseRecurrentCell, FusedCellLayer, gates_of


class GRUCell(BaseRecurrentCell):
    """Gated recurrent unit cell, as keras.layers.GRUCell.

    z = rec_act(x_z + r_z), r = rec_act(x_r + r_r),
    hh = act(x_h + r * (h @ U_h + b_rec_h))   (reset_after=True, the default)
    hh = act(x_h + (r * h) @ U_h)             (reset_after=False)
    h' = z * h + (1 - z) * hh.

    Args: as SimpleRNNCell, plus recurrent_activation (default "sigmoid") and
    reset_after. Weights: kernel (input_dim, 3 * units), recurrent_kernel
    (units, 3 * units), bias (2, 3 * units) with reset_after (input and
    recurrent biases) else (3 * units,).
    """

    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 reset_after=True, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=False):
        ops = get_ops()
        nested = isinstance(states, (list, tuple))
        h_tm1 = states[0] if nested else states
        dp, rdp = self._masks(inputs, h_tm1, training)
        u = self.units
        kernel, recurrent = self.kernel.value, self.recurrent_kernel.value
        input_bias = recurrent_bias = None
        if self.bias is not None:
            if self.reset_after:
                input_bias, recurrent_bias = [
                    ops.squeeze(b, axis=0) for b in ops.split(self.bias.value, 2, axis=0)]
            else:
                input_bias = self.bias.value
        if self.implementation == 1:
            xs = gates_of(ops, inputs, dp, 3)
            hs = gates_of(ops, h_tm1, rdp, 3)
            ks = ops.split(kernel, 3, axis=1)
            rks = ops.split(recurrent, 3, axis=1)
            x = [ops.matmul(xs[g], ks[g]) for g in range(3)]
            if input_bias is not None:
                x = [ops.add(a, b) for a, b in zip(x, ops.split(input_bias, 3, axis=0))]
            rec = [ops.matmul(hs[0], rks[0]), ops.matmul(hs[1], rks[1])]
            rb = ops.split(recurrent_bias, 3, axis=0) if recurrent_bias is not None \
                else None
            if rb is not None:
                rec = [ops.add(rec[0], rb[0]), ops.add(rec[1], rb[1])]
            z = self.recurrent_activation(ops.add(x[0], rec[0]))
            r = self.recurrent_activation(ops.add(x[1], rec[1]))
            if self.reset_after:
                rh = ops.matmul(hs[2], rks[2])
                if rb is not None:
                    rh = ops.add(rh, rb[2])
                rh = ops.multiply(r, rh)
            else:
                rh = ops.matmul(ops.multiply(r, hs[2]), rks[2])
            hh = self.activation(ops.add(x[2], rh))
        else:
            if dp is not None:
                inputs = ops.multiply(inputs, dp)
            matrix_x = ops.matmul(inputs, kernel)
            if input_bias is not None:
                matrix_x = ops.add(matrix_x, input_bias)
            x_z, x_r, x_h = ops.split(matrix_x, 3, axis=-1)
            if self.reset_after:
                inner = ops.matmul(h_tm1, recurrent)
                if recurrent_bias is not None:
                    inner = ops.add(inner, recurrent_bias)
                r_z, r_r, r_h = ops.split(inner, 3, axis=-1)
            else:
                rk_zr, rk_h = ops.split(recurrent, [2 * u], axis=-1)
                r_z, r_r = ops.split(ops.matmul(h_tm1, rk_zr), 2, axis=-1)
            z = self.recurrent_activation(ops.add(x_z, r_z))
            r = self.recurrent_activation(ops.add(x_r, r_r))
            if self.reset_after:
                rh = ops.multiply(r, r_h)
            else:
                rh = ops.matmul(ops.multiply(r, h_tm1), rk_h)
            hh = self.activation(ops.add(x_h, rh))
        h = ops.add(ops.multiply(z, h_tm1), ops.multiply(ops.subtract(1.0, z), hh))
        return h, [h] if nested else h

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}


class GRU(FusedCellLayer):
    """Gated recurrent unit layer, as keras.layers.GRU.

    Args: the GRUCell arguments (reset_after default True), plus
    activity_regularizer, return_sequences, return_state, go_backwards,
    stateful, unroll and use_cudnn (accepted; the backend decides).

    With the default activations and no recurrent dropout the whole sequence
    goes to the contract's `gru` operation (a backend may fuse it).
    """

    cell_class = GRUCell
    cell_name = "gru_cell"
    cell_extras = ("recurrent_activation", "reset_after", "implementation")

    def _fused_loop(self, sequences, initial_state, mask, training):
        sequences = self._fused_sequences(sequences, initial_state, training)
        if sequences is None:
            return None
        cell, ops = self.cell, get_ops()
        last, outputs, h = ops.gru(
            sequences, initial_state[0], cell.kernel.value, cell.recurrent_kernel.value,
            cell.bias.value if cell.bias is not None else None, mask=mask,
            go_backwards=self.go_backwards, zero_output_for_mask=self.zero_output_for_mask,
            reset_after=cell.reset_after)
        return last, outputs, [h]
