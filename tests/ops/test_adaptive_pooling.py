"""kerasx.ops.adaptive_average_pool / adaptive_max_pool against keras.ops
(TensorFlow backend) on every kerasx backend, including bins that overlap,
and their argument errors."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

CASES = [((2, 7, 3), 3, "channels_last"), ((2, 3, 8), (4,), "channels_first"),
         ((2, 5, 6, 2), (3, 4), "channels_last"), ((2, 8, 6, 3), (4, 3), "channels_last"),
         ((1, 2, 5, 4, 3), (2, 3, 2), "channels_first")]


@pytest.mark.parametrize("op", ["adaptive_average_pool", "adaptive_max_pool"])
@pytest.mark.parametrize("shape,size,data_format", CASES)
def test_matches_keras_ops(backend, op, shape, size, data_format):
    import tensorflow as tf

    from kerasx import ops

    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    got = ops.convert_to_numpy(getattr(ops, op)(x, size, data_format=data_format))
    want = np.asarray(getattr(keras.ops, op)(tf.constant(x), size,
                                             data_format=data_format))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_errors(backend):
    from kerasx import ops
    x = np.zeros((2, 5, 3), "float32")
    with pytest.raises(ValueError, match="rank 3, 4 or 5"):
        ops.adaptive_max_pool(np.zeros((2, 3), "float32"), 2)
    with pytest.raises(ValueError, match="output_size"):
        ops.adaptive_average_pool(x, (2, 2))
    with pytest.raises(ValueError, match="output_size"):
        ops.adaptive_average_pool(x, 0)
    with pytest.raises(ValueError, match="data_format"):
        ops.adaptive_max_pool(x, 2, data_format="NWC")


def test_data_format_defaults_to_the_global_setting(backend):
    import inspect

    import kerasx
    from kerasx import ops

    assert inspect.signature(ops.adaptive_max_pool) == inspect.signature(
        keras.ops.adaptive_max_pool)
    assert inspect.signature(ops.adaptive_average_pool) == inspect.signature(
        keras.ops.adaptive_average_pool)
    x = np.random.default_rng(1).standard_normal((2, 3, 7)).astype("float32")
    previous = kerasx.config.image_data_format()
    try:
        kerasx.config.set_image_data_format("channels_first")
        got = ops.convert_to_numpy(ops.adaptive_average_pool(x, 3))
    finally:
        kerasx.config.set_image_data_format(previous)
    want = ops.convert_to_numpy(ops.adaptive_average_pool(x, 3, "channels_first"))
    assert got.shape == (2, 3, 3)
    np.testing.assert_array_equal(got, want)
