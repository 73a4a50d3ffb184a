"""Shared by the native-interop tests: a selected backend, and a small dense
model with fixed weights and data, built by kerasx or Keras 3."""
import contextlib

import numpy as np


@contextlib.contextmanager
def selected_backend(name):
    """kerasx's backend switched to `name` for the block."""
    import kerasx.backend as kb

    previous = kb.backend()
    kb.set_backend(name)
    try:
        yield
    finally:
        kb.set_backend(previous)


def dense_data():
    """(weights, x, y) in float32 for `dense_model`."""
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(4, 8)) * 0.5, rng.normal(size=8) * 0.1,
               rng.normal(size=(8, 2)) * 0.5, rng.normal(size=2) * 0.1]
    x, y = rng.normal(size=(16, 4)), rng.normal(size=(16, 2))
    return [w.astype("float32") for w in weights], x.astype("float32"), y.astype("float32")


def dense_model(api, weights):
    """Input(4) -> Dense(8, relu) -> Dense(2) of `api` (kerasx or keras)."""
    m = api.Sequential([api.Input((4,)), api.layers.Dense(8, activation="relu"),
                        api.layers.Dense(2)])
    m.set_weights(weights)
    return m
