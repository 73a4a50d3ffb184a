"""BaseImagePreprocessingLayer: what the image preprocessing and augmentation
layers share: factor parsing, the training switch, random parameters drawn
on the host from the portable generator, and running inside a tf.data
pipeline on any backend.

Random parameters (angles, flips, offsets...) are drawn per batch with NumPy
from the layer's SeedGenerator and turned into tensors (affine matrices are
computed on the host too), so one seed gives the same augmented images on
every backend. Inside a model's compiled step the draws go through
`kerasx.random.host_draws` as Dropout's masks do.

tf.data: Keras 3 lets these layers run in `dataset.map(layer)` whatever the
backend. A tf.data map hands the layer TensorFlow graph tensors (batch size
unknown); the layer then runs eagerly per batch through the TensorFlow
plugin's `run_eagerly` (tf.py_function) and computes with that plugin's
operations, loaded through the plugin registry: the front end never imports
TensorFlow. Each batch gets fresh draws from the layer's generator.
"""
import numpy as np

from kerasx import config
from kerasx.backend import get_ops, registry
from kerasx.layers.layer import Layer
from kerasx.random.host_draws import host_tensor, tracing
from kerasx.random.seed_generator import SeedGenerator

#: Fill modes and interpolations of the affine augmentation layers (Keras's).
FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _framework_graph_tensor(x):
    """"tensorflow" for a TensorFlow graph tensor (a tf.data map's input),
    recognised by its class without importing TensorFlow; else None."""
    cls = type(x)
    module = str(getattr(cls, "__module__", ""))
    if module.startswith("tensorflow.") and cls.__name__ != "EagerTensor" and \
            hasattr(x, "graph"):
        return "tensorflow"
    return None


def _leaves(data):
    for value in data.values():
        if isinstance(value, dict):
            yield from _leaves(value)
        else:
            yield value


def _paths(data, prefix=()):
    """The key paths of a (nested) data dict's leaves, in sorted order."""
    out = []
    for key in sorted(data):
        if isinstance(data[key], dict):
            out += _paths(data[key], prefix + (key,))
        else:
            out.append(prefix + (key,))
    return out


def _get(data, path):
    for key in path:
        data = data[key]
    return data


def _rebuild(paths, values):
    out = {}
    for path, value in zip(paths, values):
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out


def check_choice(name, value, allowed):
    """Keras's NotImplementedError for an unknown fill mode or interpolation."""
    if value not in allowed:
        raise NotImplementedError(f"Unknown `{name}` {value}. Expected of one {allowed}.")


def parse_factor(factor, bounds, name="factor", symmetric_low=None):
    """(lower, upper) of a Keras factor: a number f gives
    (max(-f, bounds[0]), f) (or (symmetric_low(f), f)), a pair is sorted.

    Raises:
        ValueError: a value outside `bounds`, or not a number or pair.
    """
    message = (f"The `{name}` argument should be a number (or a list of two numbers) in "
               f"the range [{bounds[0]}, {bounds[1]}]. Received: {name}={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or any(not isinstance(f, (int, float)) for f in factor):
            raise ValueError(message)
        if min(factor) < bounds[0] or max(factor) > bounds[1]:
            raise ValueError(message)
        lower, upper = sorted(factor)
        return float(lower), float(upper)
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise ValueError(message)
        factor = abs(factor)
        lower = symmetric_low(factor) if symmetric_low else max(-factor, bounds[0])
        return float(lower), float(factor)
    raise ValueError(message)


def affine_matrix(angle, translate_x, translate_y, scale, shear_x, shear_y, height, width):
    """(B, 8) float32 projective transforms (output pixel -> input pixel) of
    rotations/shears in degrees about the image centre, scaled and
    translated: Keras's composition scale x shear x rotation."""
    angle, shear_x, shear_y = (np.deg2rad(np.asarray(a, "float64"))
                               for a in (angle, shear_x, shear_y))
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    cos, sin = np.cos(angle), np.sin(angle)
    tan_x, tan_y = np.tan(shear_x), np.tan(shear_y)
    a0 = scale * (cos + tan_x * sin)
    a1 = scale * (-sin + tan_x * cos)
    a2 = translate_x + cx - cx * a0 - cy * a1
    b0 = scale * (tan_y * cos + sin)
    b1 = scale * (tan_y * -sin + cos)
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = np.zeros_like(a0)
    return np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1).astype("float32")


class BaseImagePreprocessingLayer(Layer):
    """Base of the image preprocessing layers (as Keras's of the same name).

    Subclasses implement `transform_images(ops, images, training)` with the
    operations `ops` (a backend) on a batch or a single image, and draw
    random parameters with `self.draw(ops, fn, shape)`.

    Args:
        data_format: "channels_last" or "channels_first" (None: the global
            image data format).
        seed: int seed of the layer's own random stream (None: from the
            global seed).
    """

    def __init__(self, data_format=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = (data_format or config.image_data_format()).lower()
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError("The `data_format` argument must be one of {'channels_first', "
                             f"'channels_last'}}. Received: data_format={data_format!r}")
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self._draw_ops = None
        self.built = True

    # -- running ---------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        leaves = list(_leaves(inputs)) if isinstance(inputs, dict) else [inputs]
        framework = next((f for f in map(_framework_graph_tensor, leaves) if f), None)
        if framework is not None and (framework != get_ops().name or not tracing()):
            return self._call_in_pipeline(registry.load(framework), inputs, *args, **kwargs)
        return super().__call__(inputs, *args, **kwargs)

    def _call_in_pipeline(self, ops, inputs, training=None, **kwargs):
        """A framework graph outside kerasx's compiled step (a tf.data map):
        run eagerly, per batch, with that framework's plugin (a data dict
        travels as its list of leaves, in sorted key order)."""
        training = kwargs.get("training", training)
        if not isinstance(inputs, dict):
            spec = self.pipeline_spec("images", tuple(inputs.shape), ops.dtype(inputs))
            return ops.run_eagerly(lambda x: self._run(ops, x, training, foreign=True),
                                   inputs, *spec)
        paths = _paths(inputs)
        specs = [self.pipeline_spec(path[-1] if path[0] != "bounding_boxes" else path,
                                    tuple(_get(inputs, path).shape),
                                    ops.dtype(_get(inputs, path))) for path in paths]

        def run(xs):
            out = self._run(ops, _rebuild(paths, xs), training, foreign=True)
            return [_get(out, path) for path in paths]

        outs = ops.run_eagerly(run, [_get(inputs, path) for path in paths],
                               [shape for shape, _ in specs], [dtype for _, dtype in specs])
        return _rebuild(paths, outs)

    def pipeline_spec(self, key, shape, dtype):
        """(static shape, dtype) of the output leaf `key` ("images", "labels",
        or a ("bounding_boxes", name) path) in a data pipeline."""
        if key == "images":
            return (tuple(self.compute_output_shape(shape)),
                    self.compute_dtype if self._casts_inputs else dtype)
        return shape, dtype

    def call(self, inputs, training=True):
        return self._run(get_ops(), inputs, training)

    def _run(self, ops, inputs, training, foreign=False):
        # Keras's image layers augment unless told they are in inference.
        training = True if training is None else bool(training)
        self._draw_ops = ops if foreign else None
        try:
            if isinstance(inputs, dict):
                return self.transform_data(ops, dict(inputs), training)
            return self.transform_images(ops, self._cast(ops, inputs), training)
        finally:
            self._draw_ops = None

    def _cast(self, ops, images):
        if ops.dtype(images) != self.compute_dtype and self._casts_inputs:
            return ops.cast(images, self.compute_dtype)
        return images

    def transform_data(self, ops, data, training):
        """A dict of "images" and "labels" (Keras's data dict): the images
        transformed, the labels passed on (layers that mix images override
        this to mix the labels alike).

        Raises:
            NotImplementedError: bounding boxes or segmentation masks, which
                kerasx's image layers do not transform yet.
        """
        unsupported = sorted(set(data) - {"images", "labels"})
        if unsupported or "images" not in data:
            raise NotImplementedError(
                f"{type(self).__name__} takes images or a dict of 'images' and 'labels'; "
                f"kerasx does not transform {unsupported or 'a dict without images'} yet.")
        data["images"] = self.transform_images(ops, self._cast(ops, data["images"]), training)
        return data

    #: Whether inputs become the layer's compute dtype first (as Keras).
    _casts_inputs = True

    def transform_images(self, ops, images, training):
        """The transformed `images` (batched or not) computed with `ops`."""
        raise NotImplementedError(f"{type(self).__name__} must implement transform_images.")

    # -- helpers ---------------------------------------------------------------
    def draw(self, ops, fn, shape):
        """A float32 tensor of `fn(rng)` (`rng` a NumPy Generator of the
        layer's stream; the array has `shape`), drawn per call."""
        generator = self.generator

        def make():
            return np.asarray(fn(generator.generator), dtype="float32").reshape(shape)

        if self._draw_ops is not None:  # in a data pipeline: draw now, with its ops
            return self._draw_ops.convert_to_tensor(make(), "float32")
        return host_tensor(make, "float32")

    def image_dims(self, ops, images):
        """(batched, batch size, height, width) of `images`."""
        shape = tuple(ops.shape(images))
        if len(shape) not in (3, 4):
            raise ValueError("Expected the input image to be rank 3 or 4. Received "
                             f"inputs.shape={shape}")
        batched = len(shape) == 4
        spatial = shape[-3:-1] if self.data_format == "channels_last" else shape[-2:]
        return batched, (shape[0] if batched else 1), int(spatial[0]), int(spatial[1])

    def spatial_axes(self):
        """(height axis, width axis), counted from the end."""
        return (-3, -2) if self.data_format == "channels_last" else (-2, -1)

    def per_image(self, ops, values, batched):
        """(B,) values reshaped to broadcast over a batch (or a single image)."""
        return ops.reshape(values, (-1, 1, 1, 1) if batched else (1, 1, 1))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "seed": self.seed}


def transform_value_range(ops, images, source, target):
    """`images` mapped linearly from the value range `source` to `target`
    (through [0, 1], as Keras computes it)."""
    if tuple(source) == tuple(target):
        return images
    unit = ops.divide(ops.subtract(images, float(source[0])), float(source[1] - source[0]))
    return ops.add(ops.multiply(unit, float(target[1] - target[0])), float(target[0]))


def check_value_range(value_range):
    """`value_range` sorted.

    Raises:
        ValueError: not a pair of numbers.
    """
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError("The `value_range` argument should be a list of two numbers. "
                         f"Received: value_range={value_range}")
    return sorted(value_range)
