"""TensorFlow's conditionals for the contract's control family
(kerasx/backend/contract_control.py): in a graph (tf.function) the
predicate has no value to read, so tf.cond / tf.switch_case hold both
branches; eagerly, the contract's host decision."""
import functools

import tensorflow as tf


class ControlKernels:
    """Mixin of TensorFlowBackend: cond and switch in graphs."""

    def cond(self, pred, true_fn, false_fn):
        if tf.executing_eagerly() or not tf.is_tensor(pred):
            return super().cond(pred, true_fn, false_fn)
        return tf.cond(pred, true_fn, false_fn)

    def switch(self, index, branches, *operands):
        if tf.executing_eagerly() or not tf.is_tensor(index):
            return super().switch(index, branches, *operands)
        if not branches:
            raise ValueError("switch: `branches` must hold at least one function.")
        index = tf.clip_by_value(tf.cast(index, tf.int32), 0, len(branches) - 1)
        return tf.switch_case(index, [functools.partial(b, *operands) for b in branches])

    def custom_gradient(self, f):
        return tf.custom_gradient(f)
