"""StackedRNNCells: several cells run as one, as keras.layers.StackedRNNCells."""
import inspect

from kerasx.layers.layer import Layer


def _sizes(cell):
    size = cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


class StackedRNNCells(Layer):
    """Cells applied one after the other at each step; the output of one is the
    input of the next.

    kerasx keeps the states flat: `state_size` lists every cell's states in
    order (Keras nests them per cell); `RNN(..., return_state=True)` returns
    them in that flat order.

    Args:
        cells: list of RNN cells.
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError("All cells must have a `call` method and a "
                                 f"`state_size` attribute. Received cells={cells!r}")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [s for cell in self.cells for s in _sizes(cell)]

    @property
    def output_size(self):
        last = self.cells[-1]
        return getattr(last, "output_size", None) or _sizes(last)[0]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(shape)
                cell.built = True
            out = getattr(cell, "output_size", None) or _sizes(cell)[0]
            shape = shape[:-1] + (out,)
        self.built = True

    def get_initial_state(self, batch_size=None):
        from kerasx.backend import get_ops

        ops = get_ops()
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                got = fn(batch_size=batch_size)
                states.extend(got if isinstance(got, (list, tuple)) else [got])
            else:
                states.extend(ops.zeros((batch_size, s), cell.dtype) for s in _sizes(cell))
        return states

    def call(self, inputs, states, training=None):
        new_states, position = [], 0
        for cell in self.cells:
            count = len(_sizes(cell))
            own = list(states[position:position + count])
            position += count
            kwargs = {"training": training} if "training" in inspect.signature(
                cell.call).parameters else {}
            inputs, got = cell.call(inputs, own, **kwargs)
            new_states.extend(got if isinstance(got, (list, tuple)) else [got])
        return inputs, new_states

    def get_config(self):
        from kerasx.layers import serialize

        return {**super().get_config(), "cells": [serialize(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasx.layers import deserialize

        config = dict(config)
        config["cells"] = [deserialize(c, custom_objects=custom_objects)
                           for c in config["cells"]]
        return super(StackedRNNCells, cls).from_config.__func__(cls, config)
