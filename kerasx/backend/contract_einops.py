"""`keras.ops.rearrange` (Keras's keras/src/ops/einops.py): einops-style
axis reordering, splitting and merging, a composite of one reshape, one
transpose and one reshape."""
import re

import numpy as np

from kerasx.backend.op_roles import composite

_TOKEN = re.compile(r"\(\s*[\w\s]*\)|\w+")


def _groups(side):
    """The axes of one side of a pattern: a list of name lists (one per
    tensor axis; several names where parentheses group them)."""
    tokens = _TOKEN.findall(side)
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", side):
        raise ValueError(f"rearrange: cannot read the axes {side!r} (use names and "
                         "parenthesised groups, e.g. 'b (h w) c').")
    return [t.strip("() ").split() for t in tokens]


class EinopsContract:
    """Mixin of `Backend`: rearrange."""

    @composite(tensors=("tensor",))
    def rearrange(self, tensor, pattern, **axes_lengths):
        """`tensor` with its axes rearranged by the einops `pattern`, e.g.
        "b h w c -> b c h w", "b (h1 h) w c -> (b h1) h w c" with h1=2 given
        in `axes_lengths`. Every name on one side appears once on the other;
        a group splits an input axis (all lengths but one given) or merges
        output axes.

        Raises:
            ValueError: a malformed pattern, names that differ between the
                sides, or lengths that do not divide an axis.
        """
        if pattern.count("->") != 1:
            raise ValueError(f"rearrange: the pattern needs one '->'; received {pattern!r}.")
        left, right = (_groups(side) for side in pattern.split("->"))
        shape = self.shape(tensor)
        if len(left) != len(shape):
            raise ValueError(f"rearrange: the pattern names {len(left)} input axes; the "
                             f"tensor has {len(shape)} (shape {shape}).")
        names_in = [n for g in left for n in g]
        names_out = [n for g in right for n in g]
        if sorted(names_in) != sorted(names_out) or len(set(names_in)) != len(names_in):
            raise ValueError(f"rearrange: each axis name must appear once on each side; "
                             f"received {pattern!r}.")
        lengths = {}
        for group, size in zip(left, shape):
            unknown = [n for n in group if n not in axes_lengths]
            known = int(np.prod([axes_lengths[n] for n in group if n in axes_lengths]))
            if len(unknown) > 1 or (not unknown and known != size) or size % max(known, 1):
                raise ValueError(f"rearrange: cannot split an axis of length {size} into "
                                 f"{group} with lengths {axes_lengths}.")
            for n in group:
                lengths[n] = axes_lengths[n] if n in axes_lengths else size // known
        split = tuple(lengths[n] for n in names_in)
        if split != tuple(shape):
            tensor = self.reshape(tensor, split)
        order = [names_in.index(n) for n in names_out]
        if order != list(range(len(order))):
            tensor = self.transpose(tensor, order)
        merged = tuple(int(np.prod([lengths[n] for n in g])) for g in right)
        return tensor if merged == self.shape(tensor) else self.reshape(tensor, merged)
