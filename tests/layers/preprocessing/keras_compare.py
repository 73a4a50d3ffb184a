"""Helpers for the lookup/hashing/text layer tests: run a kerasx layer and
the same Keras 3 layer on the same host data and compare exactly."""
import numpy as np

from kerasx.backend import get_ops


def host(value):
    """A NumPy array of a kerasx output (tensor or array)."""
    ops = get_ops()
    if ops.is_tensor(value):
        return ops.to_numpy(value)
    return np.asarray(value)


def assert_same(ours, theirs, context=""):
    """Same shape, dtype and values (strings decoded)."""
    ours = host(ours)
    theirs = np.asarray(theirs)
    if theirs.dtype.kind in "SO":
        theirs = np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else v)(theirs)
        assert ours.tolist() == theirs.tolist(), context
        return
    assert ours.shape == theirs.shape, (context, ours.shape, theirs.shape)
    assert ours.dtype == theirs.dtype, (context, ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6, err_msg=str(context))


def keras_config_without_dtype(layer):
    """A Keras layer's config with its DTypePolicy dict reduced to a name."""
    config = layer.get_config()
    if isinstance(config.get("dtype"), dict):
        config["dtype"] = config["dtype"]["config"]["name"]
    return config


def assert_configs_agree(ours, keras_layer, skip=("name",)):
    """The same keys and values in both configs (the name aside)."""
    a = ours.get_config()
    b = keras_config_without_dtype(keras_layer)
    assert set(a) == set(b), (set(a) ^ set(b))
    for key in a:
        if key not in skip:
            assert a[key] == b[key], (key, a[key], b[key])
