"""Host-side helpers of kerasx.visualization: tensors and arrays as NumPy."""
import numpy as np

from kerasx import ops


def to_numpy(x):
    """`x` (a tensor of any backend, an array or a list) as a NumPy array."""
    if isinstance(x, (np.ndarray, list, tuple)):
        return np.asarray(x)
    return np.asarray(ops.convert_to_numpy(x))


def shape_of(x):
    """The shape of a tensor or array (NumPy arrays of dtypes kerasx tensors
    do not hold, such as uint8 images, stay NumPy)."""
    if isinstance(x, (np.ndarray, list, tuple)):
        return tuple(np.shape(x))
    return tuple(ops.shape(x))


def as_uint8(images):
    """Images as uint8, as Keras's draw_bounding_boxes: float images whose
    maximum is at most 1 are scaled by 255, others clipped to [0, 255]."""
    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    return images.astype("uint8")
