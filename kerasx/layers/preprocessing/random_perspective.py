"""RandomPerspective: warp images by random perspectives, as keras.layers.RandomPerspective."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (INTERPOLATIONS,
                                                          BaseImagePreprocessingLayer,
                                                          check_choice, parse_factor)


def homographies(start, end):
    """(B, 8) transforms mapping each output point of `end` (B, 4, 2) to the
    input point of `start`, solved in float64 on the host."""
    out = []
    for s, e in zip(start, end):
        rows, rhs = [], []
        for (sx, sy), (ex, ey) in zip(s, e):
            rows += [[ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey],
                     [0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]]
            rhs += [sx, sy]
        out.append(np.linalg.solve(np.array(rows), np.array(rhs)))
    return np.array(out)


class RandomPerspective(BaseImagePreprocessingLayer):
    """In training, with a probability drawn from the factor's range, move
    each image's corners by up to scale / 2 of their coordinates (Keras's
    rule) and warp the image accordingly (`perspective_transform`, constant
    fill); identity in inference.

    Args:
        factor: the probability f (range [0, f]) or a pair, within [0, 1].
        scale: the corners' largest relative displacement x 2, in [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_value: the value outside the warped image.
        seed, data_format: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor or scale. NotImplementedError: a bad
            interpolation.
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        if scale < 0.0 or scale > 1.0:
            raise ValueError(f"The `scale` argument should be a number in the range [0,1]. "
                             f"Received: scale={scale}")
        check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, height, width = self.image_dims(ops, images)
        corners = np.array([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                            [width - 1, height - 1]])

        def draws(rng):
            probability = rng.uniform(*self.factor, batch)
            apply = rng.uniform(0, 1, batch) < probability
            shift = rng.uniform(-0.5 * self.scale, 0.5 * self.scale, (batch, 4, 2))
            start = np.repeat(corners[None], batch, axis=0)
            return np.concatenate([apply[:, None], homographies(start, start + start * shift)],
                                  axis=1)

        drawn = self.draw(ops, draws, (batch, 9))
        apply = ops.greater(self.per_image(ops, ops.slice(drawn, (0, 0), (batch, 1)), batched),
                            0.5)
        transform = ops.slice(drawn, (0, 1), (batch, 8))
        if not batched:
            transform = ops.reshape(transform, (8,))
        warped = ops.affine_transform(images, transform, self.interpolation, "constant",
                                      self.fill_value, self.data_format)
        return ops.where(apply, warped, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value}
