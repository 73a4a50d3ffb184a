"""RNN: the generic recurrent layer, as keras.layers.RNN.

The layer runs a cell step by step over the time axis. The loop is
`kerasx.backend.recurrent.step_loop` (contract operations only, so every
backend computes the same numbers), one contract `scan`: a compiled step
holds one loop whatever the sequence length, where the plugin's scan is
native. LSTM and GRU first offer the whole
sequence to the contract's `lstm` / `gru` operation (`_fused_loop`), which a
plugin may implement with its framework's fused kernel.
"""
import inspect

from kerasx.backend import get_ops
from kerasx.backend.recurrent import step_loop
from kerasx import tree
from kerasx.layers.layer import Layer
from kerasx.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kerasx.layers.rnn.stacked_rnn_cells import StackedRNNCells
from kerasx.variables import Variable


def _as_list(x):
    if x is None:
        return None
    return list(x) if isinstance(x, (list, tuple)) else [x]


class RNN(Layer):
    """Base class for recurrent layers, as keras.layers.RNN.

    Args:
        cell: an RNN cell (a layer with `call(inputs, states, training=None)`
            returning `(output, new_states)` and a `state_size`), or a list of
            cells (stacked).
        return_sequences: return the whole output sequence, else the last output.
        return_state: also return the final states.
        go_backwards: process the sequence backwards and return the reversed
            sequence.
        stateful: keep the final states of a batch as the initial states of
            the next (static batch size required).
        unroll: True runs the steps as a Python loop (in a compiled step, one
            copy of the cell per time step, as Keras); False one loop.
        zero_output_for_mask: masked steps output zeros (else the previous
            output).

    Call arguments: sequences (batch, time, ...), initial_state (list of
    tensors), mask (batch, time) bool, training.

    Raises:
        ValueError: for a cell without `call`/`state_size`, or a stateful
            layer without a static batch size.
    """

    def __init__(self, cell, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call"):
            raise ValueError(f"Argument `cell` should have a `call` method. "
                             f"Received: cell={cell!r}")
        if getattr(cell, "state_size", None) is None:
            raise ValueError("The RNN cell should have a `state_size` attribute (single "
                             "integer or list of integers, one integer per RNN state). "
                             f"Received: cell={cell!r}")
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.input_spec = None
        self._states = None
        state_size = cell.state_size
        if isinstance(state_size, int):
            self.state_size, self.single_state = [state_size], True
        else:
            self.state_size, self.single_state = list(state_size), False

    # -- shapes --------------------------------------------------------------------
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return self.state_size[0] if size is None else size

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        if self.return_sequences:
            output = (batch, length, self._output_size())
        else:
            output = (batch, self._output_size())
        if not self.return_state:
            return output
        return (output, *[(batch, size) for size in self.state_size])

    def compute_output_spec(self, *args, **kwargs):
        from kerasx.engine.keras_tensor import KerasTensor

        shape = tree.map_structure(lambda t: t.shape, args[0])
        out = self.compute_output_shape(shape)
        if self.return_state:
            return [KerasTensor(s, self.dtype) for s in out]
        return KerasTensor(out, self.dtype)

    def compute_mask(self, inputs, mask):
        mask = tree.flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * self._state_count()
        return output_mask

    def _state_count(self):
        return len(self.state_size)

    # -- building ------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        if isinstance(sequences_shape, list) and sequences_shape and isinstance(
                sequences_shape[0], (list, tuple)):
            sequences_shape = sequences_shape[0]  # [sequences, *initial_states]
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    "When using `stateful=True` in a RNN, the batch size must be "
                    f"static. Found dynamic batch size: sequence.shape={sequences_shape}")
            self._create_state_variables(sequences_shape[0])
        self.built = True

    def _create_state_variables(self, batch_size):
        ops = get_ops()
        self._states = [Variable(ops.to_numpy(s), trainable=False, name="rnn_state")
                        for s in self.get_initial_state(batch_size)]

    @property
    def states(self):
        """The state variables of a stateful layer (None otherwise)."""
        return self._states

    def get_initial_state(self, batch_size):
        """Zeros for every state (or the cell's `get_initial_state`)."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            return _as_list(fn(batch_size=batch_size))
        ops = get_ops()
        return [ops.zeros((batch_size, d), self.cell.dtype) for d in self.state_size]

    def reset_state(self):
        """Zero the states of a stateful layer."""
        if self._states is not None:
            ops = get_ops()
            for v in self._states:
                v.assign(ops.zeros(v.shape, v.dtype))

    reset_states = reset_state

    # -- calling -------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        # Keras accepts `layer([sequences, *initial_states])`.
        if args and isinstance(args[0], (list, tuple)) and len(args[0]) > 1 and \
                kwargs.get("initial_state") is None:
            first = list(args[0])
            kwargs["initial_state"] = first[1:]
            args = (first[0],) + tuple(args[1:])
        return super().__call__(*args, **kwargs)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        ops = get_ops()
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        batch = ops.shape(sequences)[0]
        if initial_state is None:
            if self.stateful:
                # Snapshots (x + 0): this call writes the states at its end,
                # in place on PyTorch, while the step's backward pass still
                # needs the values read here.
                initial_state = [ops.add(v.value, 0) for v in self._states]
            else:
                initial_state = self.get_initial_state(batch)
        initial_state = [ops.cast(s, self.cell.dtype) if ops.dtype(s) != self.cell.dtype
                         else s for s in _as_list(self._convert_states(initial_state))]
        if self.stateful and batch != ops.shape(self._states[0])[0]:
            raise ValueError(
                "If an RNN is stateful, the batch size of the input sequences must be "
                "the same as the batch size of the initial state.\n- Expected batch "
                f"size: {ops.shape(self._states[0])[0]}\n- Received batch size: {batch}")
        if mask is not None:
            mask = ops.cast(mask, "bool")
        training = bool(training)
        try:
            result = self._fused_loop(sequences, initial_state, mask, training)
            if result is None:
                result = self._cell_loop(sequences, initial_state, mask, training)
        finally:
            _reset_dropout_masks(self.cell)
        last_output, outputs, states = result
        if self.stateful:
            for variable, state in zip(self._states, states):
                variable.assign(ops.stop_gradient(state))
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + list(states)
        return output

    def _convert_states(self, states):
        ops = get_ops()
        return [s if ops.is_tensor(s) else ops.convert_to_tensor(
            getattr(s, "value", s), self.cell.dtype) for s in _as_list(states)]

    def _fused_loop(self, sequences, initial_state, mask, training):
        """Subclasses return (last_output, outputs, states) from a contract
        operation that covers the whole sequence, or None to use the cell."""
        return None

    def _cell_loop(self, sequences, initial_state, mask, training):
        call = self.cell.call
        kwargs = {"training": training} if "training" in inspect.signature(
            call).parameters else {}

        def step(x, states):
            output, new_states = call(x, states, **kwargs)
            return output, _as_list(new_states)

        ops = get_ops()
        initial_output = None
        if mask is not None and not self.zero_output_for_mask:
            size = self._output_size()
            size = tuple(size) if isinstance(size, (list, tuple)) else (size,)
            initial_output = ops.zeros((ops.shape(sequences)[0],) + size,
                                       ops.dtype(initial_state[0]))
        return step_loop(ops, step, sequences, initial_state, mask, self.go_backwards,
                         self.zero_output_for_mask, initial_output, bool(self.unroll))

    # -- configuration -----------------------------------------------------------------
    def get_config(self):
        from kerasx.layers import serialize

        return {**super().get_config(),
                "return_sequences": self.return_sequences,
                "return_state": self.return_state,
                "go_backwards": self.go_backwards,
                "stateful": self.stateful,
                "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
                "cell": serialize(self.cell)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasx.layers import deserialize

        config = dict(config)
        config["cell"] = deserialize(config["cell"], custom_objects=custom_objects)
        return super(RNN, cls).from_config.__func__(cls, config)


def _reset_dropout_masks(cell):
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    for inner in getattr(cell, "cells", ()):
        _reset_dropout_masks(inner)

