"""kerasx.saving.KerasFileEditor against Keras 3's: the same file reads as
the same weights tree, the same edits give byte-for-byte the same weight
contents, the edited file loads in Keras 3 and kerasx into the new
architecture, `compare` agrees, errors match, and saving is atomic."""
import os

import h5py
import numpy as np
import pytest

import kerasx
from kerasx.saving import KerasFileEditor


def _model(lib, units, seed=0):
    """Input(4) -> Dense(u) for u in units, with seeded weights."""
    inputs = lib.Input((4,))
    x = inputs
    for u in units:
        x = lib.layers.Dense(u)(x)
    model = lib.Model(inputs, x)
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32")
                       for w in model.get_weights()])
    return model


@pytest.fixture(scope="module")
def keras_files(tmp_path_factory):
    """A Keras-written .keras (compiled, trained with Adam) and .weights.h5
    of Input(4) -> Dense(4) -> Dense(4) -> Dense(2)."""
    import keras

    directory = tmp_path_factory.mktemp("editor")
    model = _model(keras, [4, 4, 2])
    weights = str(directory / "old.weights.h5")
    model.save_weights(weights)
    initial = [[np.array(w) for w in layer.get_weights()] for layer in model.layers[1:]]
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(1)
    model.fit(rng.normal(size=(8, 4)), rng.normal(size=(8, 2)), verbose=0)
    archive = str(directory / "old.keras")
    model.save(archive)
    return {"weights": weights, "keras": archive, "dir": directory, "initial": initial,
            "layers": [[np.array(w) for w in layer.get_weights()] for layer in model.layers[1:]]}


def _flat(tree, prefix=""):
    out = {}
    for key, value in tree.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flat(value, path))
        else:
            out[path] = np.asarray(value)
    return out


def _assert_same_tree(have, want):
    have, want = _flat(have), _flat(want)
    assert list(have) == list(want)
    for key in want:
        assert have[key].dtype == want[key].dtype, key
        np.testing.assert_array_equal(have[key], want[key], err_msg=key)


def _h5_contents(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
    return out


def _editors(path):
    import keras
    return KerasFileEditor(path), keras.saving.KerasFileEditor(path)


@pytest.mark.parametrize("kind", ["weights", "keras"])
def test_reads_the_same_tree_as_keras(keras_files, kind):
    mine, theirs = _editors(keras_files[kind])
    _assert_same_tree(mine.weights_dict, theirs.weights_dict)
    flat = _flat(mine.weights_dict)
    stored = keras_files["layers" if kind == "keras" else "initial"]
    np.testing.assert_array_equal(flat["layers/dense_2/0"], stored[2][0])
    if kind == "keras":
        assert mine.config == theirs.config and mine.metadata == theirs.metadata
        # iteration, learning rate and Adam's 2 slots per weight.
        assert sorted(mine.weights_dict["optimizer"], key=int) == [str(i) for i in range(14)]
    else:
        assert mine.config is None and list(mine.weights_dict) == ["layers"]


def _edit(editor, new_kernel, new_bias):
    """Adapt Dense(4)-Dense(4)-Dense(2) to Dense(4)-Dense(2)-Dense(3)."""
    editor.delete_object("optimizer")
    editor.delete_object("layers/dense_1")
    editor.rename_object("layers/dense_2", "dense_1")
    editor.add_object("layers/dense_2", weights={"0": new_kernel, "1": new_bias})
    editor.delete_weight("layers/dense", "1")
    editor.add_weights("layers/dense", {"1": np.full((4,), 0.5, "float32")})


def test_edits_match_keras_and_load_in_keras(keras_files):
    import keras

    rng = np.random.default_rng(5)
    kernel, bias = rng.normal(size=(2, 3)).astype("float32"), np.ones(3, "float32")
    mine, theirs = _editors(keras_files["keras"])
    _edit(mine, kernel, bias)
    _edit(theirs, kernel, bias)
    _assert_same_tree(mine.weights_dict, theirs.weights_dict)
    ours, reference = [str(keras_files["dir"] / f"{who}.weights.h5")
                       for who in ("kerasx", "keras")]
    mine.save(ours)
    theirs.save(reference)
    have, want = _h5_contents(ours), _h5_contents(reference)
    assert sorted(have) == sorted(want) == [
        "layers/dense/vars/0", "layers/dense/vars/1", "layers/dense_1/vars/0",
        "layers/dense_1/vars/1", "layers/dense_2/vars/0", "layers/dense_2/vars/1"]
    for key in want:
        assert have[key].dtype == want[key].dtype
        np.testing.assert_array_equal(have[key], want[key], err_msg=key)
    # Keras 3 loads kerasx's edited file into the new architecture.
    new = _model(keras, [4, 2, 3], seed=9)
    new.load_weights(ours)
    old = keras_files["layers"]
    expected = [[old[0][0], np.full((4,), 0.5, "float32")], old[2], [kernel, bias]]
    for layer, weights in zip(new.layers[1:], expected):
        for have_w, want_w in zip(layer.get_weights(), weights):
            np.testing.assert_array_equal(have_w, want_w)


def test_edited_file_loads_in_kerasx(backend, keras_files, tmp_path):
    kernel, bias = np.full((2, 3), 0.25, "float32"), np.zeros(3, "float32")
    editor = KerasFileEditor(keras_files["keras"])
    _edit(editor, kernel, bias)
    path = str(tmp_path / "edited.weights.h5")
    editor.resave_weights(path)
    model = _model(kerasx, [4, 2, 3], seed=9)
    assert editor.compare(model)["status"] == "success"
    model.load_weights(path)
    old = keras_files["layers"]
    np.testing.assert_array_equal(model.layers[1].get_weights()[0], old[0][0])
    np.testing.assert_array_equal(model.layers[2].get_weights()[1], old[2][1])
    np.testing.assert_array_equal(model.layers[3].get_weights()[0], kernel)
    x = np.ones((1, 4), "float32")
    want = (((x @ old[0][0] + 0.5) @ old[2][0]) + old[2][1]) @ kernel
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(model(x)), want, rtol=1e-5)


def test_compare_matches_keras(keras_files, capsys):
    import keras

    mine, theirs = _editors(keras_files["weights"])
    for units in ([4, 4, 2], [4, 2], [4, 4, 3, 2]):
        want = theirs.compare(_model(keras, units))
        have = mine.compare(_model(kerasx, units))
        # Keras 3.15 adds a sub-object's running count to the count again
        # (14 "matching weights" for 6); kerasx counts each weight once.
        assert have["status"] == want["status"], units
        assert (have["error_count"] == 0) == (want["error_count"] == 0), units
    assert mine.compare(_model(kerasx, [4, 4, 2])) == {
        "status": "success", "error_count": 0, "match_count": 6}
    # [4, 2]: dense_1 kernel shape and bias shape differ, dense_2 is extra.
    assert mine.compare(_model(kerasx, [4, 2])) == {
        "status": "error", "error_count": 3, "match_count": 2}
    assert mine.compare(_model(kerasx, [4, 4, 3, 2]))["error_count"] == 3
    out = capsys.readouterr().out
    assert "Weight shape mismatch for /layers/dense_1/0" in out
    assert "Object /layers/dense_2 present in saved file, missing from reference model" in out


def test_name_only_edits_match_keras(keras_files, tmp_path):
    mine, theirs = _editors(keras_files["weights"])
    for editor in (mine, theirs):
        editor.rename_object("dense_2", "head")
        editor.delete_weight("dense", "1")
    _assert_same_tree(mine.weights_dict, theirs.weights_dict)
    assert list(mine.weights_dict["layers"]) == ["dense", "dense_1", "head"]


def test_errors_match_keras(keras_files):
    mine, theirs = _editors(keras_files["keras"])
    cases = [
        ("rename_object", ("layers/missing", "x"), "Path 'layers/missing' not found"),
        ("rename_object", ("layers/dense", "a/b"), "should be a leaf name"),
        ("rename_object", ("missing", "x"), "does not appear"),
        ("delete_weight", ("layers/dense", "7"), "Weight 7 not found in object"),
        ("add_object", ("nowhere/dense", {}), "Path 'nowhere' not found"),
        ("add_object", ("layers/x", [1]), "should be a dict"),
        ("add_weights", ("layers/dense", [1]), "should be a dict"),
    ]
    for method, args, message in cases:
        for editor in (mine, theirs):
            with pytest.raises(ValueError, match=message):
                getattr(editor, method)(*args)
    # "0" occurs in every object.
    with pytest.raises(ValueError, match="occurs more than once"):
        mine.delete_object("0")
    for bad in ("model.h5", "weights.npz"):
        with pytest.raises(ValueError, match="Invalid filename"):
            KerasFileEditor(bad)
    with pytest.raises(ValueError, match="weights.h5"):
        mine.save(str(keras_files["dir"] / "out.keras"))


def test_summary(keras_files, capsys):
    KerasFileEditor(keras_files["keras"]).summary()
    out = capsys.readouterr().out
    assert "Saved with Keras 3" in out and "Weights structure" in out
    assert "dense_2" in out and "0: shape=(4, 2), dtype=float32" in out
    assert "optimizer" in out and "0: shape=(), dtype=int64" in out


def test_failed_save_keeps_previous_file(keras_files, tmp_path):
    editor = KerasFileEditor(keras_files["weights"])
    path = str(tmp_path / "kept.weights.h5")
    editor.save(path)
    before = _h5_contents(path)
    editor.add_object("layers/bad", {"0": np.array([object()], dtype=object)})
    with pytest.raises(Exception):
        editor.save(path)
    assert os.listdir(tmp_path) == ["kept.weights.h5"]
    after = _h5_contents(path)
    assert sorted(after) == sorted(before)
    for key in before:
        np.testing.assert_array_equal(after[key], before[key])


def test_hostile_files_are_refused(tmp_path):
    linked = str(tmp_path / "linked.weights.h5")
    with h5py.File(linked, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.ones(2))
        f["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense/vars/0")
    with pytest.raises(ValueError, match="SoftLink"):
        KerasFileEditor(linked)
    text = str(tmp_path / "text.weights.h5")
    with h5py.File(text, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.array([b"abc"]))
    with pytest.raises(ValueError, match="not numbers"):
        KerasFileEditor(text)
    broken = str(tmp_path / "broken.keras")
    with open(broken, "wb") as f:
        f.write(b"not a zip")
    with pytest.raises(kerasx.saving.LoadingError):
        KerasFileEditor(broken)


def test_kerasx_written_file_reads_as_in_keras(backend, tmp_path):
    """A kerasx .keras file (with a MultiOptimizer's state) reads as the same
    tree in both editors; the edited weights load back into kerasx."""
    model = _model(kerasx, [4, 2])
    model.compile(optimizer=kerasx.optimizers.MultiOptimizer(kerasx.optimizers.OptimizerMap(
        kerasx.optimizers.SGD(0.1), {".*bias": kerasx.optimizers.Adam()})), loss="mse")
    rng = np.random.default_rng(2)
    model.fit(rng.normal(size=(8, 4)), rng.normal(size=(8, 2)), verbose=0)
    path = str(tmp_path / "x.keras")
    model.save(path)
    mine, theirs = _editors(path)
    _assert_same_tree(mine.weights_dict, theirs.weights_dict)
    # iteration, learning_rate, Adam's 2 + 2 slots, SGD's 2 (the sub-optimizer
    # groups under optimizer/optimizers are not objects of their own).
    assert len(mine.weights_dict["optimizer"]) == 2 + 6 + 2
    assert mine.compare(model)["status"] == "error"  # the model also lists them
    mine.delete_object("optimizer")
    mine.rename_object("layers/dense_1", "dense_9")
    out = str(tmp_path / "x.weights.h5")
    mine.save(out)
    assert sorted(_h5_contents(out)) == ["layers/dense/vars/0", "layers/dense/vars/1",
                                         "layers/dense_9/vars/0", "layers/dense_9/vars/1"]
    mine.rename_object("dense_9", "dense_1")
    mine.save(out)
    fresh = _model(kerasx, [4, 2], seed=7)
    fresh.load_weights(out)
    for want, have in zip(model.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(have, want)
