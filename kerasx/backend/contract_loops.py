"""Loops (scan, while_loop, fori_loop; kerasx.backend.loops) and the
recurrent layers' steps (lstm, gru), with their optional fused kernels.

A mixin of kerasx.backend.contract.Backend (see contract.py for the
conventions every operation follows)."""
from kerasx.backend.op_roles import composite


class LoopsContract:
    """The loops operations of the contract."""

    # ------------------------------------------------------------------
    # Loops (kerasx.backend.loops) and recurrent layers (optional fused kernels)
    # ------------------------------------------------------------------
    @composite(tensors=("init", "xs"))
    def scan(self, f, init, xs=None, length=None, reverse=False, unroll=1):
        """Scan `f(carry, x) -> (new_carry, y)` over the leading axis of `xs`,
        as keras.ops.scan (jax.lax.scan): returns (final carry, the `y`s
        stacked along a new leading axis, `ys[t]` from `xs[t]`).

        init: a tensor, Python number or nested structure (lists, tuples,
        dicts) of them; the carry `f` returns must keep its structure,
        shapes and dtypes. xs: None or a structure of tensors sharing their
        leading size; with None, `length` gives the number of iterations and
        `f` receives x=None. reverse runs the last slice first. unroll: a
        positive int or a bool, as Keras; True runs a Python loop (one graph
        node per iteration in a compiled step), other values one loop.
        A `y` of None gives None.

        The composite is a Python loop. A plugin overrides it where its
        framework has a loop whose body is traced once in a compiled step
        (`kerasx.backend.loops.native_scan`), so that the compiled graph's
        size does not depend on the number of iterations. Gradients flow
        through the loop to `init`, `xs` and the tensors `f` closes over.

        Raises:
            TypeError: `f` is not callable.
            ValueError: bad `unroll` or `length`, no `xs` and no `length`,
                `xs` leaves of different leading sizes, zero iterations, or a
                carry (or output) whose structure, shape or dtype changes.
        """
        from kerasx.backend.loops import python_scan

        return python_scan(self, f, init, xs, length, reverse, unroll)

    @composite(tensors=("loop_vars",))
    def while_loop(self, cond, body, loop_vars, maximum_iterations=None):
        """Run `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`, as
        keras.ops.while_loop: a list or tuple `loop_vars` is passed
        positionally and returned as a tuple, anything else is passed and
        returned as one value. The body must keep the loop variables'
        structure, shapes and dtypes. `maximum_iterations` (None or an int)
        stops the loop after that many iterations.

        The composite reads `cond` on the host at every iteration (a
        compiled step that cannot read values back runs eagerly); a plugin
        overrides it with its framework's while loop where it has one.

        Raises:
            TypeError: `cond` or `body` is not callable.
            ValueError: bad `maximum_iterations`, or a body result whose
                structure, shape or dtype differs from `loop_vars`.
        """
        from kerasx.backend.loops import python_while_loop

        return python_while_loop(self, cond, body, loop_vars, maximum_iterations)

    @composite(tensors=("lower", "upper", "init_val"))
    def fori_loop(self, lower, upper, body_fun, init_val):
        """`val = body_fun(i, val)` for i from `lower` to `upper` - 1, as
        keras.ops.fori_loop; returns the final `val`. `i` is an int32 scalar
        tensor (as under Keras's TensorFlow backend). With Python int bounds
        this is a `scan` of upper - lower iterations (native where `scan`
        is), otherwise a `while_loop`.

        Raises:
            TypeError: `body_fun` is not callable.
            ValueError: as `scan` / `while_loop` for a body result whose
                structure, shape or dtype differs from `init_val`.
        """
        from kerasx.backend.loops import fori_loop

        return fori_loop(self, lower, upper, body_fun, init_val)

    @composite(tensors=("inputs", "initial_h", "initial_c", "kernel", "recurrent_kernel",
               "bias", "mask"), public=False)
    def lstm(self, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias=None,
             mask=None, go_backwards=False, zero_output_for_mask=False):
        """A whole LSTM layer over time, as keras.layers.LSTM with its default
        activations (tanh, sigmoid) and no recurrent dropout.

        inputs (batch, time, features); initial_h, initial_c (batch, units);
        kernel (features, 4 * units), recurrent_kernel (units, 4 * units) and
        bias (4 * units,) or None, in Keras layout with gate order i, f, c, o:
        z = x_t @ kernel + h @ recurrent_kernel + bias, i = sigmoid(z_i),
        f = sigmoid(z_f), c' = f * c + i * tanh(z_c), o = sigmoid(z_o),
        h' = o * tanh(c').

        mask: None or (batch, time) bool. A masked step keeps h and c and
        repeats the previous output (zeros before the first valid step), or
        outputs zeros when `zero_output_for_mask`. go_backwards processes the
        last step first and returns the sequence in processing order (as
        Keras).

        Returns (last_output (batch, units), outputs (batch, time, units),
        final_h, final_c). The composite is the step loop of
        `kerasx.backend.recurrent`, a `scan` (so a compiled step holds one
        loop, whatever the sequence length); a plugin may override it with a fused
        kernel (cuDNN, torch.lstm, MXNet's RNN operator) where that gives the
        same numbers, and fall back to this loop (`super().lstm(...)`) for
        what its kernel cannot do (typically masks).
        """
        from kerasx.backend.recurrent import step_loop

        # The input is projected step by step, as Keras does: scanning over
        # the whole sequence projected first made TensorFlow's while-loop
        # gradient grow faster than the length (its TensorArray reads of the
        # 4x wider projection): forward and backward of LSTM(32) at batch 32
        # and length 1,000 took 141 ms that way, 88 ms step by step.
        def step(x_t, states):
            h, c = states
            z_x = self.matmul(x_t, kernel)
            if bias is not None:
                z_x = self.add(z_x, bias)
            z = self.add(z_x, self.matmul(h, recurrent_kernel))
            z_i, z_f, z_c, z_o = self.split(z, 4, axis=-1)
            c_new = self.add(self.multiply(self.sigmoid(z_f), c),
                             self.multiply(self.sigmoid(z_i), self.tanh(z_c)))
            h_new = self.multiply(self.sigmoid(z_o), self.tanh(c_new))
            return h_new, [h_new, c_new]

        last, outputs, (h, c) = step_loop(self, step, inputs, [initial_h, initial_c],
                                          mask, go_backwards, zero_output_for_mask)
        return last, outputs, h, c

    @composite(tensors=("inputs", "initial_h", "kernel", "recurrent_kernel", "bias", "mask"),
               public=False)
    def gru(self, inputs, initial_h, kernel, recurrent_kernel, bias=None, mask=None,
            go_backwards=False, zero_output_for_mask=False, reset_after=True):
        """A whole GRU layer over time, as keras.layers.GRU with its default
        activations (tanh, sigmoid) and no recurrent dropout.

        kernel (features, 3 * units), recurrent_kernel (units, 3 * units), gate
        order z, r, h (Keras layout). bias: None, (3 * units,) when
        reset_after is False, or (2, 3 * units) (input bias, recurrent bias)
        when True. With x = x_t @ kernel + b_in:
        reset_after: r_h = h @ recurrent_kernel + b_rec, z = sigmoid(x_z + r_h_z),
        r = sigmoid(x_r + r_h_r), hh = tanh(x_h + r * r_h_h);
        otherwise: z, r from h @ recurrent_kernel[:, :2u],
        hh = tanh(x_h + (r * h) @ recurrent_kernel[:, 2u:]);
        then h' = z * h + (1 - z) * hh.

        mask, go_backwards and zero_output_for_mask as `lstm`. Returns
        (last_output, outputs, final_h). Overridable as `lstm`.
        """
        from kerasx.backend.recurrent import step_loop

        units = self.shape(recurrent_kernel)[0]
        input_bias = recurrent_bias = None
        if bias is not None:
            if reset_after:
                input_bias, recurrent_bias = [self.squeeze(b, axis=0)
                                              for b in self.split(bias, 2, axis=0)]
            else:
                input_bias = bias
        if not reset_after:
            rk_zr, rk_h = self.split(recurrent_kernel, [2 * units], axis=-1)

        def step(x_t, states):  # the input projected step by step, as `lstm`
            h = states[0]
            x = self.matmul(x_t, kernel)
            if input_bias is not None:
                x = self.add(x, input_bias)
            x_z, x_r, x_h = self.split(x, 3, axis=-1)
            if reset_after:
                inner = self.matmul(h, recurrent_kernel)
                if recurrent_bias is not None:
                    inner = self.add(inner, recurrent_bias)
                r_z, r_r, r_h = self.split(inner, 3, axis=-1)
            else:
                r_z, r_r = self.split(self.matmul(h, rk_zr), 2, axis=-1)
            z = self.sigmoid(self.add(x_z, r_z))
            r = self.sigmoid(self.add(x_r, r_r))
            if reset_after:
                recurrent_h = self.multiply(r, r_h)
            else:
                recurrent_h = self.matmul(self.multiply(r, h), rk_h)
            hh = self.tanh(self.add(x_h, recurrent_h))
            h_new = self.add(self.multiply(z, h), self.multiply(self.subtract(1.0, z), hh))
            return h_new, [h_new]

        last, outputs, (h,) = step_loop(self, step, inputs, [initial_h], mask,
                                        go_backwards, zero_output_for_mask)
        return last, outputs, h
