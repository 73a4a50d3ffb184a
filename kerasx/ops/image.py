"""kerasx.ops.image: the image functions of `keras.ops.image` (resizing,
affine transforms, colour conversions, patches), declared in the contract
with `namespace="image"`, and elastic_transform (random, so written in
the front end: kerasx.ops.image_random)."""
from kerasx.ops.dispatch import define_public_ops
from kerasx.ops.image_random import elastic_transform  # noqa: F401 (random: front end)

define_public_ops(globals(), "image")
__all__ = sorted(name for name, value in globals().items()
                 if not name.startswith("_") and callable(value)
                 and name != "define_public_ops")
del define_public_ops
