"""Shared by the quantization tests: the same float model in Keras 3
(TensorFlow backend, the reference) and in kerasx, quantized by each, then
compared variable by variable, output by output, step by step."""
import numpy as np

import kerasx

RTOL, ATOL = 1e-5, 1e-6


def twins(build, mode=None, config=None, seed=0, filters=None, keras_config=None):
    """(keras model, kerasx model) built by `build(lib)` with the same float
    weights (random normal, seeded), both quantized with `mode` / `config`
    (`keras_config`: Keras's own config object, when one is given)."""
    import keras
    ref = build(keras)
    model = build(kerasx)
    rng = np.random.RandomState(seed)
    weights = [rng.normal(size=w.shape).astype(w.dtype) * 0.5 for w in ref.get_weights()]
    ref.set_weights(weights)
    model.set_weights(weights)
    if mode is not None or config is not None:
        ref.quantize(mode, config=keras_config, filters=filters)
        model.quantize(mode, config=config, filters=filters)
    return ref, model


def variables_of(layer):
    """[(name, shape, dtype, trainable, value)] of a layer's weights."""
    return [(v.name, tuple(v.shape), str(v.dtype), bool(v.trainable), np.asarray(v))
            for v in layer.weights]


def assert_same_variables(ref_layer, layer, int_tolerance=0):
    """Same names, shapes, dtypes, trainability and values (integers within
    `int_tolerance` units, floats within float32 bars)."""
    expected, actual = variables_of(ref_layer), variables_of(layer)
    assert [e[:4] for e in expected] == [a[:4] for a in actual]
    for (name, _, dtype, _, want), (_, _, _, _, got) in zip(expected, actual):
        if dtype.startswith("int") or dtype.startswith("uint"):
            np.testing.assert_allclose(got.astype("int64"), want.astype("int64"),
                                       atol=int_tolerance, rtol=0, err_msg=name)
        else:
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=name)


def to_numpy(x):
    """A kerasx (native) or Keras tensor, a Variable or an array as NumPy."""
    from kerasx.backend import get_ops
    if isinstance(x, (list, tuple)):
        return np.asarray([to_numpy(v) for v in x])
    if get_ops().is_tensor(x):
        return get_ops().to_numpy(x)
    return np.asarray(x)


def assert_close(actual, expected, name="", rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(to_numpy(actual), to_numpy(expected), rtol=rtol,
                               atol=atol, err_msg=name)


def train_both(ref, model, x, y, steps=3, lr=0.1, optimizer="SGD"):
    """Compile both with `optimizer`(lr) and MSE, run `steps` train_on_batch,
    return the two loss lists."""
    import keras
    ref.compile(optimizer=getattr(keras.optimizers, optimizer)(lr), loss="mse")
    model.compile(optimizer=getattr(kerasx.optimizers, optimizer)(lr), loss="mse")
    ref_losses, losses = [], []
    for _ in range(steps):
        ref_losses.append(float(ref.train_on_batch(x, y)))
        losses.append(float(model.train_on_batch(x, y)))
    return ref_losses, losses


def dense_model(lib, mode_layer_kwargs=None):
    """Input(6) -> Dense(5, relu) -> Dense(3)."""
    kwargs = mode_layer_kwargs or {}
    return lib.Sequential([lib.Input((6,)),
                           lib.layers.Dense(5, activation="relu", name="d1", **kwargs),
                           lib.layers.Dense(3, name="d2", **kwargs)])


def einsum_model(lib, equation="abc,cde->abde", output_shape=(2, 4, 3), bias_axes="de"):
    """Input(2, 6) -> EinsumDense."""
    return lib.Sequential([lib.Input((2, 6)),
                           lib.layers.EinsumDense(equation, output_shape=output_shape,
                                                  bias_axes=bias_axes, name="e")])


def embedding_model(lib):
    """Input(3) ids -> Embedding(10, 6)."""
    return lib.Sequential([lib.Input((3,), dtype="int32"),
                           lib.layers.Embedding(10, 6, name="emb")])


def data(shape, seed=1):
    return np.random.RandomState(seed).normal(size=shape).astype("float32")
