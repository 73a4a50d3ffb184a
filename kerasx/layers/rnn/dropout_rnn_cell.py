"""DropoutRNNCell: the dropout masks of a recurrent cell, as Keras 3's mixin.

A mask is drawn once per call of the RNN layer (per batch) and reused at
every step. It comes from the portable generator (kerasx.random), seeded by
the cell's `seed`, so every backend drops the same units (DESIGN.md rule 5).
"""
from kerasx.backend import get_ops
from kerasx.random import SeedGenerator
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import dropout_mask


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout` and `seed_generator`.

    `dropout_mask_count` (None: one mask; n: n independent masks, one per
    gate, as Keras's implementation 1) says how many masks to draw.
    """

    dropout_mask_count = None

    def _init_dropout(self, dropout, recurrent_dropout, seed):
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def _create_dropout_mask(self, like, rate):
        ops = get_ops()
        shape = ops.shape(like)
        ones = ops.ones(shape, ops.dtype(like))

        def one():
            keep = host_tensor(lambda: dropout_mask(shape, rate, self.seed_generator))
            return ops.dropout(ones, keep, rate)  # 0 or 1 / (1 - rate)

        if self.dropout_mask_count is None:
            return one()
        return [one() for _ in range(self.dropout_mask_count)]

    def get_dropout_mask(self, step_input):
        """The input dropout mask (scaled 0 or 1/(1-rate)), drawn on first use."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state):
        """The recurrent dropout mask, drawn on first use."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(
                state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None
