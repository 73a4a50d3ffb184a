"""The exponential moving averages of an optimizer's variables
(`use_ema`, as Keras 3's optimizers keep them): a mixin of Optimizer."""
from kerasx.backend import get_ops


class MovingAverages:
    """`use_ema`'s update, periodic overwrite and final swap. Expects the
    optimizer's `_trainable_variables`, `_model_variables_moving_average`
    (None for a variable overwritten by its gradient), `_iterations`,
    `use_ema`, `ema_momentum` and `ema_overwrite_frequency`."""

    def _update_moving_averages(self):
        """average = m * average + (1 - m) * w, with m = ema_momentum (0 at the
        first step), for every built variable; every `ema_overwrite_frequency`
        steps the variables take their averages (branch-free, as the step
        may be compiled)."""
        ops = get_ops()
        step = self._iterations.value
        for variable, average in zip(self._trainable_variables,
                                     self._model_variables_moving_average):
            if average is None:  # a variable overwritten by its gradient
                continue
            dtype = variable.dtype
            momentum = ops.multiply(ops.cast(ops.not_equal(step, 0), dtype),
                                    self.ema_momentum)
            average.assign(ops.add(ops.multiply(momentum, average.value),
                                   ops.multiply(ops.subtract(1.0, momentum),
                                                variable.value)))
        if self.ema_overwrite_frequency:
            # (step + 1) % frequency == 0, in float64 (exact for any step count).
            done = ops.cast(ops.add(step, 1), "float64")
            frequency = float(self.ema_overwrite_frequency)
            overwrite = ops.equal(ops.multiply(ops.floor(ops.divide(done, frequency)),
                                               frequency), done)
            for variable, average in zip(self._trainable_variables,
                                         self._model_variables_moving_average):
                if average is not None:
                    variable.assign(ops.where(overwrite, average.value, variable.value))

    def finalize_variable_values(self, var_list):
        """With `use_ema`, set `var_list` to their moving averages (fit calls
        this at the end of training, as Keras)."""
        if not self.use_ema:
            return
        var_list = list(var_list)
        if len(var_list) != len(self._model_variables_moving_average):
            raise ValueError(
                f"The length of model variables ({len(var_list)}) to override does not "
                "match the length of model variables stored in the optimizer "
                f"({len(self._model_variables_moving_average)}). Please check if the "
                "optimizer was called on your model.")
        for variable, average in zip(var_list, self._model_variables_moving_average):
            if average is not None:
                variable.assign(average.value)
