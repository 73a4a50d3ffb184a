"""FeatureSpace against keras.utils.FeatureSpace (TensorFlow backend) on
every kerasx backend: encoded values (concat and dict), single samples,
adapting from batches, configs (Keras's accepted), and errors."""
import numpy as np
import pytest

from kerasx import utils
from kerasx.backend import get_ops

keras = pytest.importorskip("keras")

DATA = {
    "age": np.array([23.0, 41.0, 35.0, 62.0, 19.0, 50.0], dtype="float32"),
    "income": np.array([3.5, 1.0, 2.2, 8.0, 0.5, 4.1], dtype="float32"),
    "city": np.array(["paris", "rome", "paris", "oslo", "rome", "lima"]),
    "pets": np.array([0, 2, 1, 0, 3, 2]),
    "code": np.array(["a1", "b2", "c3", "a1", "d4", "e5"]),
    "score": np.array([0.1, 0.7, 0.4, 0.9, 0.3, 0.5], dtype="float32"),
}


def _features(lib, drop=()):
    fs = lib.utils.FeatureSpace if lib is keras else utils.FeatureSpace
    features = {"age": "float_normalized", "income": fs.float_rescaled(scale=0.5, offset=1.0),
            "city": "string_categorical", "pets": "integer_categorical",
            "code": fs.string_hashed(num_bins=5, output_mode="int"),
            "score": fs.float_discretized(num_bins=3)}
    return {k: v for k, v in features.items() if k not in drop}


def _pair(drop=(), **kwargs):
    ours = utils.FeatureSpace(_features(None, drop), **kwargs)
    theirs = keras.utils.FeatureSpace(_features(keras, drop), **kwargs)
    return ours, theirs


def _numpy(x):
    ops = get_ops()
    return ops.to_numpy(x) if ops.is_tensor(x) else np.asarray(x)


def test_concat_matches_keras(backend):
    # "code" is hashed with output_mode "int": it cannot be concatenated.
    ours, theirs = _pair(drop=("code",), crosses=[("city", "pets")], crossing_dim=7)
    data = {k: v for k, v in DATA.items() if k != "code"}
    ours.adapt(data)
    theirs.adapt(data)
    expected = np.asarray(theirs(data))
    out = _numpy(ours(data))
    assert out.shape == expected.shape == (6, 1 + 1 + 5 + 5 + 3 + 7)
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    one = {k: v[2] for k, v in data.items()}
    np.testing.assert_allclose(_numpy(ours(one)), np.asarray(theirs(one)), rtol=1e-6,
                               atol=1e-6)


def test_dict_output_matches_keras(backend):
    ours, theirs = _pair(output_mode="dict")
    ours.adapt(DATA)
    theirs.adapt(DATA)
    out, expected = ours(DATA), theirs(DATA)
    assert sorted(out) == sorted(expected)
    for key in expected:
        got, want = _numpy(out[key]), np.asarray(expected[key])
        assert got.shape == want.shape, key
        np.testing.assert_allclose(got.astype("float64"), want.astype("float64"), rtol=1e-6,
                                   atol=1e-6, err_msg=key)


def test_adapt_from_batches_of_dicts(backend):
    import tensorflow as tf

    ours, theirs = _pair(output_mode="dict")
    ours.adapt(tf.data.Dataset.from_tensor_slices(DATA).batch(4))
    theirs.adapt(DATA)
    assert ours.preprocessors["city"].get_vocabulary() == \
        theirs.preprocessors["city"].get_vocabulary()
    out, expected = ours(DATA), theirs(DATA)
    for key in ("age", "score", "pets"):  # adapted statistics, bins and vocabulary
        np.testing.assert_allclose(_numpy(out[key]), np.asarray(expected[key]), rtol=1e-6,
                                   atol=1e-6, err_msg=key)


def test_config_round_trip_and_keras_config():
    ours, theirs = _pair(crosses=[("city", "code")], crossing_dim=6)
    config = ours.get_config()
    clone = utils.FeatureSpace.from_config(config)
    assert clone.get_config() == config
    assert [c.name for c in clone.crosses] == ["city_X_code"]
    from_keras = utils.FeatureSpace.from_config(theirs.get_config())
    assert sorted(from_keras.features) == sorted(ours.features)
    for key, feature in ours.features.items():
        other = from_keras.features[key]
        assert (type(other.preprocessor), other.dtype, other.output_mode) == \
            (type(feature.preprocessor), feature.dtype, feature.output_mode)
    # Keras's "float" features use its private identity layer.
    plain = utils.FeatureSpace.from_config(
        keras.utils.FeatureSpace({"x": "float"}).get_config())
    assert plain.features["x"].output_mode == "float"
    np.testing.assert_allclose(_numpy(plain({"x": np.array([1.5, 2.0])})), [[1.5], [2.0]])


def test_errors():
    with pytest.raises(ValueError, match="cannot be None or empty"):
        utils.FeatureSpace({})
    with pytest.raises(ValueError, match="Invalid feature type"):
        utils.FeatureSpace({"x": "float_squared"})
    with pytest.raises(ValueError, match="unknown features"):
        utils.FeatureSpace({"x": "float"}, crosses=[("x", "y")])
    with pytest.raises(ValueError, match="output_mode"):
        utils.FeatureSpace({"x": "float"}, output_mode="list")
    fs = utils.FeatureSpace({"x": "string_categorical"})
    with pytest.raises(ValueError, match="adapt"):
        fs({"x": np.array(["a"])})
    fs.adapt({"x": np.array(["a", "b"])})
    with pytest.raises(ValueError, match="only be called with a dict"):
        fs(np.array(["a"]))
    with pytest.raises(NotImplementedError, match="string features"):
        fs.get_inputs()
    with pytest.raises(ValueError, match="has not been encoded"):
        fs = utils.FeatureSpace({"x": utils.FeatureSpace.integer_hashed(3, output_mode="int")})
        fs({"x": np.array([1, 2])})


@pytest.mark.parametrize("mode", ["concat", "dict"])
@pytest.mark.parametrize("batch", [4, None], ids=["batched", "unbatched"])
def test_tf_data_map_matches_keras(backend, mode, batch):
    """`dataset.map(lambda x, y: (feature_space(x), y))` on every backend:
    TensorFlow tensors with Keras's values, shapes and dtypes."""
    import tensorflow as tf

    drop = ("code",) if mode == "concat" else ()
    ours, theirs = _pair(drop=drop, output_mode=mode, crosses=[("city", "pets")],
                         crossing_dim=5)
    data = {k: v for k, v in DATA.items() if k not in drop}
    ours.adapt(data)
    theirs.adapt(data)
    labels = np.arange(6)
    dataset = tf.data.Dataset.from_tensor_slices((data, labels))
    if batch:
        dataset = dataset.batch(batch)
    mapped = dataset.map(lambda x, y: (ours(x), y))
    expected = dataset.map(lambda x, y: (theirs(x), y))
    assert mapped.element_spec == expected.element_spec
    for (got, y), (want, ky) in zip(mapped, expected):
        got, want = (got, want) if mode == "dict" else ({"": got}, {"": want})
        for key in want:
            assert got[key].dtype == want[key].dtype, key
            np.testing.assert_allclose(got[key].numpy(), want[key].numpy(), rtol=1e-6,
                                       atol=1e-6, err_msg=key)
        assert int(np.sum(y)) == int(np.sum(ky))


def test_encoded_features_build_a_model(backend):
    """get_inputs/get_encoded_features of numeric features: a kerasx model
    holding the encoding gives Keras's features."""
    import kerasx

    def build(lib):
        fs = lib.utils.FeatureSpace if lib is keras else utils.FeatureSpace
        return fs({"age": "float_normalized", "pets": "integer_categorical",
                   "score": fs.float_discretized(num_bins=3), "n": "integer_hashed"},
                  crosses=[("pets", "n")], crossing_dim=4, hashing_dim=3)

    data = {k: DATA[k] for k in ("age", "pets", "score")}
    data["n"] = np.array([5, 1, 5, 2, 9, 1])
    ours, theirs = build(None), build(keras)
    ours.adapt(data)
    theirs.adapt(data)
    inputs = ours.get_inputs()
    assert sorted(inputs) == ["age", "n", "pets", "score"]
    model = kerasx.Model(inputs, ours.get_encoded_features())
    columns = {k: v[:, None].astype("float32" if v.dtype.kind == "f" else "int32")
               for k, v in data.items()}
    np.testing.assert_allclose(_numpy(model(columns)), np.asarray(theirs(data)), rtol=1e-6,
                               atol=1e-6)


def test_saves_and_loads_both_ways(backend, tmp_path):
    """FeatureSpace.save -> keras.models.load_model, and Keras's save ->
    kerasx.models.load_model (vocabulary assets, normalization weights,
    adapted bins), with the same encodings."""
    import kerasx

    features = dict(drop=("code",), crosses=[("pets", "city")], crossing_dim=6)
    data = {k: v for k, v in DATA.items() if k != "code"}
    ours, theirs = _pair(**features)
    ours.adapt(data)
    theirs.adapt(data)
    expected = np.asarray(theirs(data))
    ours.save(str(tmp_path / "kerasx.keras"))
    loaded = keras.models.load_model(str(tmp_path / "kerasx.keras"))
    assert type(loaded).__name__ == "FeatureSpace"
    np.testing.assert_allclose(np.asarray(loaded(data)), expected, rtol=1e-6, atol=1e-6)
    theirs.save(str(tmp_path / "keras.keras"))
    for path in ("keras.keras", "kerasx.keras"):
        mine = kerasx.models.load_model(str(tmp_path / path))
        assert isinstance(mine, utils.FeatureSpace)
        np.testing.assert_allclose(_numpy(mine(data)), expected, rtol=1e-6, atol=1e-6,
                                   err_msg=path)
    with pytest.raises(ValueError, match=".keras"):
        ours.save(str(tmp_path / "fs.h5"))
