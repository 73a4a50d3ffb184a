"""Seeded input generators for op conformance.

Inputs that feed a gradient check keep away from the points where the
operation is not differentiable (0 for relu/abs, ties for max, the bounds of
clip), because central finite differences are meaningless across a kink.
"""
import numpy as np


class Spec:
    """A recipe for one argument: `kind` names a generator below."""

    def __init__(self, kind, shape=(), **params):
        self.kind, self.shape, self.params = kind, tuple(shape), params

    def __repr__(self):
        return f"{self.kind}{self.shape}"


def normal(shape):
    return Spec("normal", shape)


def away(shape, gap=0.2):
    """Values with |x| in [gap, 2]: far from 0."""
    return Spec("away", shape, gap=gap)


def positive(shape, low=0.5, high=2.0):
    return Spec("positive", shape, low=low, high=high)


def distinct(shape):
    """All values distinct, at least 0.05 apart: no ties for max/sort."""
    return Spec("distinct", shape)


def off_grid(shape):
    """Values away from integers and half-integers (floor/ceil/round)."""
    return Spec("off_grid", shape)


def avoiding(shape, points):
    """Normal values at least 0.05 away from each of `points`."""
    return Spec("avoiding", shape, points=tuple(points))


def probabilities(shape):
    """Positive rows summing to 1 along the last axis."""
    return Spec("probabilities", shape)


def one_hot_target(shape):
    return Spec("one_hot", shape)


def unit(shape):
    """Uniform in (0.05, 0.95): binary targets and probabilities."""
    return Spec("unit", shape)


def integers(shape, low, high, dtype="int32"):
    return Spec("integers", shape, low=low, high=high, dtype=dtype)


def booleans(shape):
    return Spec("booleans", shape)


def const(value, dtype=None):
    """A fixed array (dtype None: the case's float dtype)."""
    return Spec("const", np.shape(value), value=np.asarray(value), dtype=dtype)


def generate(spec, rng):
    """A float64/int/bool NumPy array for `spec`."""
    k, shape, p = spec.kind, spec.shape, spec.params
    if k == "normal":
        return rng.standard_normal(shape)
    if k == "away":
        return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(p["gap"], 2.0, shape)
    if k == "positive":
        return rng.uniform(p["low"], p["high"], shape)
    if k == "distinct":
        n = int(np.prod(shape))
        values = (np.arange(n) - n / 2) * 0.1 + rng.uniform(-0.02, 0.02, n)
        return rng.permutation(values).reshape(shape)
    if k == "off_grid":
        return rng.integers(-3, 3, shape) + rng.choice([0.15, 0.35, 0.65, 0.85], shape) \
            + rng.uniform(-0.05, 0.05, shape)
    if k == "avoiding":
        x = rng.standard_normal(shape)
        for point in p["points"]:
            near = np.abs(x - point) < 0.05
            x = np.where(near, point + np.sign(x - point + 1e-9) * 0.1, x)
        return x
    if k == "probabilities":
        e = rng.uniform(0.1, 1.0, shape)
        return e / e.sum(axis=-1, keepdims=True)
    if k == "one_hot":
        labels = rng.integers(0, shape[-1], shape[:-1])
        return np.eye(shape[-1])[labels]
    if k == "unit":
        return rng.uniform(0.05, 0.95, shape)
    if k == "integers":
        return rng.integers(p["low"], p["high"], shape).astype(p["dtype"])
    if k == "booleans":
        return rng.random(shape) < 0.5
    if k == "const":
        value = p["value"].copy()
        return value.astype(p["dtype"]) if p["dtype"] else value
    raise ValueError(f"unknown input kind {k!r}")
