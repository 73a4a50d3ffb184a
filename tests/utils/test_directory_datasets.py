"""image_dataset_from_directory and text_dataset_from_directory against
Keras 3 on small folders: same files, labels, split, and (unshuffled)
batches."""
import numpy as np
import pytest

from kerasx import utils

keras = pytest.importorskip("keras")
Image = pytest.importorskip("PIL.Image")


@pytest.fixture
def image_dir(tmp_path):
    rng = np.random.default_rng(0)
    for c, name in enumerate(["cats", "dogs"]):
        (tmp_path / name).mkdir()
        for i in range(5):
            size = (6 + i, 9 - c)  # (width, height) differ per file
            pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype="uint8")
            Image.fromarray(pixels).save(tmp_path / name / f"img{i}.png")
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    return tmp_path


@pytest.fixture
def text_dir(tmp_path):
    for c, name in enumerate(["neg", "pos"]):
        (tmp_path / name).mkdir()
        for i in range(4):
            (tmp_path / name / f"t{i}.txt").write_bytes(
                f"review {name} {i} caf\u00e9 ".encode() * (i + 1))
    return tmp_path


def _pairs(dataset):
    return [tuple(np.asarray(t) for t in batch) for batch in dataset]


@pytest.mark.parametrize("kwargs", [
    dict(image_size=(8, 7)), dict(image_size=(12, 5), label_mode="categorical"),
    dict(image_size=4, interpolation="nearest", label_mode="binary"),
    dict(image_size=(5, 5), crop_to_aspect_ratio=True),
])
def test_images_match_keras(image_dir, kwargs):
    common = dict(batch_size=3, shuffle=False, verbose=False, **kwargs)
    ours = utils.image_dataset_from_directory(str(image_dir), **common)
    theirs = keras.utils.image_dataset_from_directory(str(image_dir), **common)
    assert ours.class_names == theirs.class_names == ["cats", "dogs"]
    assert ours.file_paths == theirs.file_paths
    ours, theirs = list(ours), _pairs(theirs)
    assert len(ours) == len(theirs)
    for (x, y), (kx, ky) in zip(ours, theirs):
        assert x.dtype == kx.dtype and y.dtype == ky.dtype
        np.testing.assert_allclose(x, kx, rtol=1e-5, atol=1e-3)
        np.testing.assert_array_equal(y, ky)


def test_image_split_and_shuffle_match_keras(image_dir):
    common = dict(batch_size=4, image_size=(6, 6), seed=3, validation_split=0.3,
                  verbose=False)
    for subset in ("training", "validation"):
        ours = utils.image_dataset_from_directory(str(image_dir), subset=subset, **common)
        theirs = keras.utils.image_dataset_from_directory(str(image_dir), subset=subset,
                                                          **common)
        assert ours.file_paths == theirs.file_paths
    train, val = utils.image_dataset_from_directory(str(image_dir), subset="both", **common)
    assert len(train.file_paths) == 7 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    with pytest.raises(ValueError, match="seed"):
        utils.image_dataset_from_directory(str(image_dir), validation_split=0.2,
                                           subset="training")


def test_image_errors(image_dir, tmp_path):
    with pytest.raises(ValueError, match="bilinear"):
        utils.image_dataset_from_directory(str(image_dir), interpolation="bicubic")
    with pytest.raises(ValueError, match="color_mode"):
        utils.image_dataset_from_directory(str(image_dir), color_mode="cmyk")
    with pytest.raises(ValueError, match="class_names"):
        utils.image_dataset_from_directory(str(image_dir), class_names=["birds"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="No images"):
        utils.image_dataset_from_directory(str(empty), verbose=False)


@pytest.mark.parametrize("kwargs", [dict(), dict(max_length=9, label_mode="categorical"),
                                    dict(label_mode=None), dict(batch_size=None)])
def test_text_matches_keras(text_dir, kwargs):
    common = dict(shuffle=False, verbose=False, **{"batch_size": 3, **kwargs})
    ours = utils.text_dataset_from_directory(str(text_dir), **common)
    theirs = keras.utils.text_dataset_from_directory(str(text_dir), **common)
    if kwargs.get("label_mode", "int") is not None:
        assert ours.class_names == theirs.class_names
    ours = list(ours)
    theirs = [tuple(np.asarray(t) for t in b) if isinstance(b, tuple) else np.asarray(b)
              for b in theirs]
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        a, b = (a, b) if isinstance(a, tuple) else ((a,), (b,))
        assert np.asarray(a[0]).tolist() == np.asarray(b[0]).tolist()
        for x, y in zip(a[1:], b[1:]):
            assert x.dtype == y.dtype
            np.testing.assert_array_equal(x, y)


def test_text_split_matches_keras(text_dir):
    common = dict(seed=11, validation_split=0.25, verbose=False, batch_size=8)
    ours = utils.text_dataset_from_directory(str(text_dir), subset="validation", **common)
    theirs = keras.utils.text_dataset_from_directory(str(text_dir), subset="validation",
                                                     **common)
    (x, y), = list(ours)
    (kx, ky), = _pairs(theirs)
    # Keras shuffles the validation files again in tf.data: compare as sets.
    assert sorted(zip(x.tolist(), y.tolist())) == sorted(zip(kx.tolist(), ky.tolist()))


def test_text_into_text_vectorization(text_dir, backend):
    import kerasx
    ds = utils.text_dataset_from_directory(str(text_dir), shuffle=False, verbose=False)
    layer = kerasx.layers.TextVectorization(output_sequence_length=6)
    layer.adapt(ds.__getitem__(0)[0])
    assert "café" in layer.get_vocabulary()
