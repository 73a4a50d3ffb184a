"""Masks of symbolic tensors: in the functional API, as in Keras 3, a
KerasTensor made by a masking layer (Embedding(mask_zero=True), Masking, a
layer with `compute_mask`) carries its mask as `_keras_mask`, a boolean
KerasTensor, so programs can inspect it (`print(x._keras_mask)`).

The mask's shape comes from running the layer's `compute_mask` once on
concrete zeros (and all-True masks) of the inputs' shapes, an unknown
dimension taken as 2; the graph itself still computes masks at run time.
"""
import numpy as np

from kerasx.backend import get_ops
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor


def _mask_of(x):
    return getattr(x, "_keras_mask", None)


def _concrete_shape(shape):
    return tuple(2 if d is None else d for d in shape)


def attach_symbolic_masks(layer, inputs, outputs, default_compute_mask):
    """Set `_keras_mask` on the KerasTensors `outputs` of `layer` called on
    `inputs`, following the rules of the eager call (`Layer._set_mask_metadata`):
    a layer that overrides `compute_mask` always computes one; otherwise the
    input's mask passes on only when the layer `supports_masking`."""
    previous = tree.map_structure(_mask_of, inputs)
    has_mask = any(m is not None for m in tree.flatten(previous))
    overrides = type(layer).compute_mask is not default_compute_mask
    if not overrides and not (has_mask and layer.supports_masking):
        return
    ops = get_ops()

    def concrete(t):
        if not isinstance(t, KerasTensor):
            return t
        return ops.zeros(_concrete_shape(t.shape), t.dtype)

    def concrete_mask(m):
        if m is None:
            return None
        return ops.convert_to_tensor(np.ones(_concrete_shape(m.shape), dtype=bool))

    masks = layer.compute_mask(tree.map_structure(concrete, inputs),
                               tree.map_structure(concrete_mask, previous) if has_mask
                               else None)
    if masks is None:
        return
    for out, mask in zip(tree.flatten(outputs), tree.flatten(masks)):
        if mask is None or not isinstance(out, KerasTensor) or _mask_of(out) is not None:
            continue
        shape = tuple(ops.shape(mask))
        if shape == _concrete_shape(out.shape[:len(shape)]):
            # A mask over the output's leading axes (batch, time): their
            # unknown sizes stay unknown.
            shape = out.shape[:len(shape)]
        elif shape:
            shape = (None,) + shape[1:]
        out._keras_mask = KerasTensor(shape, "bool", name=f"{layer.name}_mask")
