"""The small token model that the GPTQ and AWQ layer tests quantize with
Keras 3 and with kerasx from the same float weights and the same
calibration tokens: an Embedding (the pre-block layer) and two blocks
(nested Sequentials) of Dense or EinsumDense layers."""
import contextlib

import numpy as np

VOCAB, SEQ, DIM, HIDDEN, HEADS = 40, 24, 16, 32, 2


class Tokenizer:
    """Keras requires a tokenizer in the config even for token ids."""

    def tokenize(self, text):
        return np.array([ord(c) % VOCAB for c in text], np.int32)


def calibration_tokens():
    """A token stream of period SEQ: every calibration window (Keras picks
    their starts from an offset made with Python's per-process salted hash)
    holds the same tokens in rotated order, and the blocks act on each
    position alone, so the statistics do not depend on the process."""
    period = np.random.default_rng(0).integers(0, VOCAB, size=SEQ)
    return [np.tile(period, 3), np.tile(period, 2)]


def test_tokens():
    return np.random.default_rng(1).integers(0, VOCAB, size=(3, SEQ)).astype("int32")


def _blocks(lib, kind):
    layers = lib.layers
    if kind == "dense":
        return [lib.Sequential([layers.Dense(HIDDEN, activation="relu", name=f"up_{i}"),
                                layers.Dense(DIM, name=f"down_{i}")], name=f"block_{i}")
                for i in range(2)]
    # Attention-like projections: a [DIM, HEADS, head_dim] kernel (Keras's
    # "QKV" layout) and a [HEADS, head_dim, DIM] one (its "output" layout).
    head_dim = HIDDEN // HEADS
    return [lib.Sequential([
        layers.EinsumDense("btd,dnh->btnh", (None, HEADS, head_dim), bias_axes="nh",
                           name=f"qkv_{i}"),
        layers.EinsumDense("btnh,nhd->btd", (None, DIM), bias_axes="d", name=f"out_{i}")],
        name=f"block_{i}") for i in range(2)]


def build(lib, kind):
    """The model in `lib` (kerasx or keras), built, with random weights."""
    return lib.Sequential([lib.Input((SEQ,), dtype="int32"),
                           lib.layers.Embedding(VOCAB, DIM, name="embedding"),
                           *_blocks(lib, kind)], name="token_model")


def build_pair(kind):
    """(keras model, kerasx model) with the same float weights; the weights
    are scaled so that activations are O(1) (a realistic Hessian)."""
    import keras

    import kerasx
    keras.utils.set_random_seed(0)
    reference = build(keras, kind)
    weights = [w * (20.0 if i == 0 else 1.0) for i, w in enumerate(reference.get_weights())]
    reference.set_weights(weights)
    model = build(kerasx, kind)
    model.set_weights(weights)
    return reference, model


@contextlib.contextmanager
def keras_hooks_effective():
    """Make Keras 3.15.1's GPTQ/AWQ calibration see the layers' inputs.

    Keras collects them by replacing a layer's `call` with a hook, but a
    layer whose dtype policy is quantized is run through `quantized_call`,
    which never calls `call`: stock Keras calibrates on zero statistics
    (GPTQ's Hessian stays 0, AWQ's magnitudes 0), i.e. plain rounding. While
    this is active, `quantized_call` runs such a hook when one is installed,
    which is the calibration Keras means to do; kerasx is compared with it.
    """
    from keras.src.layers.layer import Layer
    original = Layer.quantized_call

    def quantized_call(self, *args, **kwargs):
        hook = self.__dict__.get("call")
        # Keras restores `call` as an instance attribute (the bound method)
        # after calibration: only a hook (a plain function) is run.
        if hook is not None and getattr(hook, "__self__", None) is not self:
            return hook(*args, **kwargs)
        return original(self, *args, **kwargs)

    Layer.quantized_call = quantized_call
    try:
        yield
    finally:
        Layer.quantized_call = original


def structure(model):
    """Keras's quantization structure: the embedding, then the blocks."""
    return {"pre_block_layers": [model.layers[0]], "sequential_blocks": list(model.layers[1:])}


def calibrated_layers(model):
    """The Dense / EinsumDense layers of the blocks, in order."""
    return [layer for block in model.layers[1:] for layer in block.layers]


def forget_configs(model):
    """Drop the quantization config from every layer of a Keras model: it
    holds the structure (layers), which Keras cannot serialize (kerasx writes
    it as None), and a calibrated layer reads its settings from its dtype
    policy."""
    stack = [model]
    while stack:
        layer = stack.pop()
        stack.extend(getattr(layer, "layers", []))
        if getattr(layer, "quantization_config", None) is not None:
            layer.quantization_config = None


def to_numpy(x):
    from kerasx import ops
    return np.asarray(ops.convert_to_numpy(x))


def unpacked_levels(quantized_kernel, columns, bits):
    """The [columns, rows] levels of a quantized_kernel (NumPy)."""
    q = np.asarray(quantized_kernel).astype(np.int32)
    if bits != 4:
        return q
    low, high = q & 15, (q >> 4) & 15
    return np.stack([low, high], axis=1).reshape(-1, q.shape[1])[:columns]


def _array(layer, name):
    """A variable of a Keras (TensorFlow) or kerasx layer as NumPy."""
    variable = getattr(layer, name)
    if type(layer).__module__.startswith("kerasx"):
        return to_numpy(variable.value)
    return np.asarray(variable)


def compare_variables(reference, model, bits, extra=()):
    """Assert the quantized variables of `model` (kerasx) agree with those of
    `reference` (Keras or kerasx); returns the number of levels that differ
    (by one grid step at most) and the total."""
    differing = total = 0
    for theirs, ours in zip(calibrated_layers(reference), calibrated_layers(model)):
        assert ours.quantized_kernel.shape == tuple(theirs.quantized_kernel.shape)
        assert ours.quantized_kernel.dtype == "uint8"
        columns = theirs.kernel_scale.shape[0]
        a = unpacked_levels(_array(ours, "quantized_kernel"), columns, bits)
        b = unpacked_levels(_array(theirs, "quantized_kernel"), columns, bits)
        assert np.abs(a - b).max() <= 1, ours.name
        differing += int((a != b).sum())
        total += a.size
        np.testing.assert_allclose(_array(ours, "kernel_scale"), _array(theirs, "kernel_scale"),
                                   rtol=1e-5)
        np.testing.assert_array_equal(_array(ours, "kernel_zero"), _array(theirs, "kernel_zero"))
        np.testing.assert_array_equal(_array(ours, "g_idx"), _array(theirs, "g_idx"))
        for name in extra:
            np.testing.assert_allclose(_array(ours, name), _array(theirs, name), rtol=1e-5)
        # Keras's uint8 cast of a negative zero point is undefined: a valid
        # comparison has none (see kerasx/quantizers/zero_point.py).
        assert _array(theirs, "kernel_zero").max() <= 2 ** bits - 1
    return differing, total


def compare_outputs(reference, model, atol=2e-5):
    """Outputs on test tokens within float32 noise of the outputs' scale."""
    tokens = test_tokens()
    expected = np.asarray(reference(tokens))
    actual = to_numpy(model(tokens))
    np.testing.assert_allclose(actual, expected, rtol=0,
                               atol=atol * max(1.0, float(np.abs(expected).max())))
