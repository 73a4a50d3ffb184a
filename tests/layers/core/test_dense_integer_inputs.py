"""Dense on integer and bool inputs (e.g. a lookup layer's counts): the
values and dtype Keras 3 gives, on every backend, in a model too."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

import kerasx  # noqa: E402


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_dense_promotes_integer_inputs_as_keras(backend, dtype):
    x = np.array([[1, 0, 2], [0, 3, 1]]).astype(dtype)
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 4
    ref = keras.layers.Dense(2)
    ref.build((None, 3))
    ref.set_weights([kernel, np.array([0.5, -1.0], "float32")])
    ours = kerasx.layers.Dense(2)
    ours.build((None, 3))
    ours.set_weights(ref.get_weights())
    expected = np.asarray(ref(x))
    out = ours(x)
    assert kerasx.ops.dtype(out) == "float32" == str(expected.dtype)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(out), expected, rtol=1e-6)
    model = kerasx.Sequential([kerasx.Input((3,), dtype=dtype), ours])
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
