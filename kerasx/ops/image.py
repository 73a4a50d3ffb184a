"""kerasx.ops.image: the image functions of `keras.ops.image` (resizing,
affine transforms, colour conversions, patches), declared in the contract
with `namespace="image"`."""
from kerasx.ops.dispatch import define_public_ops

define_public_ops(globals(), "image")
__all__ = sorted(name for name, value in globals().items()
                 if not name.startswith("_") and callable(value)
                 and name != "define_public_ops")
del define_public_ops
