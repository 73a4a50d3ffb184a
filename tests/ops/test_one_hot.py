"""keras.ops.one_hot with float labels (as the Keras 3 guides pass them)."""
import numpy as np

import kerasx as keras


def test_one_hot_of_float_labels_matches_keras(backend):
    import keras as ref

    labels = np.array([0.0, 3.0, 9.0, 12.0], "float32")  # 12: out of range, a zero row
    want = np.asarray(ref.ops.one_hot(labels, num_classes=10))
    got = keras.ops.convert_to_numpy(keras.ops.one_hot(labels, num_classes=10))
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype == np.float32
