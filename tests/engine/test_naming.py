"""Default names and keras.backend.get_uid come from one counter
(kerasx/backend/naming.py), as in Keras 3: compared name by name with Keras,
restarted by clear_session, and unique across threads."""
import threading

import keras
import pytest

import kerasx
from kerasx.backend import naming


def _names(K):
    """The default names of a sequence of objects made with library K."""

    class MyBlock2D(K.layers.Layer):
        def call(self, x):
            return x

    class PeakRatio(K.metrics.Metric):
        def update_state(self, *args, **kwargs):
            pass

        def result(self):
            return 0.0

        def reset_state(self):
            pass

    class HTTPLoss(K.losses.Loss):
        def call(self, y_true, y_pred):
            return y_pred

    K.backend.clear_session()
    out = [K.layers.Dense(1).name, K.layers.Dense(1).name, K.backend.get_uid("dense"),
           K.layers.Dense(1).name, K.layers.Conv2D(1, 1).name, K.layers.MaxPooling2D().name,
           K.layers.BatchNormalization().name, MyBlock2D().name, MyBlock2D().name,
           PeakRatio().name, PeakRatio().name, HTTPLoss().name, HTTPLoss().name,
           K.losses.MeanSquaredError().name, K.metrics.Mean().name, K.metrics.Mean().name,
           K.optimizers.Adam().name, K.optimizers.Adam().name, K.optimizers.SGD().name,
           K.backend.get_uid("x"), K.backend.get_uid("x"), K.backend.get_uid()]
    K.backend.clear_session()
    out += [K.layers.Dense(1).name, K.optimizers.Adam().name, PeakRatio().name,
            HTTPLoss().name, MyBlock2D().name, K.backend.get_uid("x")]
    K.backend.clear_session()
    return out


def test_default_names_and_uids_follow_keras(backend):
    got, want = _names(kerasx), _names(keras)
    assert got == want
    assert got[:4] == ["dense", "dense_1", 3, "dense_3"]


@pytest.mark.parametrize("name", ["Dense", "Conv2D", "Conv2DTranspose", "MaxPooling2D",
                                  "BatchNormalization", "GRU", "LSTMCell", "AB1",
                                  "HTTPServer2", "My_Layer", "my.layer", "ReLU", "PReLU"])
def test_snake_case_matches_keras(name):
    from keras.src.utils.naming import to_snake_case
    assert naming.to_snake_case(name) == to_snake_case(name)


def test_names_stay_unique_when_threads_make_layers_at_once(backend):
    kerasx.backend.clear_session()
    names, start = [], threading.Barrier(8)

    def make():
        start.wait()
        made = [kerasx.layers.Dense(1).name for _ in range(50)]
        names.extend(made)

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(names) == sorted(["dense"] + [f"dense_{i}" for i in range(1, 400)])
    kerasx.backend.clear_session()


def test_uniquify_and_get_uid_share_the_counter():
    naming.reset_uids()
    try:
        assert [naming.uniquify("w"), naming.get_uid("w"), naming.uniquify("w"),
                naming.auto_name("MyWeight"), naming.auto_name("MyWeight")] == \
            ["w", 2, "w_2", "my_weight", "my_weight_1"]
    finally:
        naming.reset_uids()
