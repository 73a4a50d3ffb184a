"""imdb, reuters, boston_housing, california_housing and cifar100 read small
fake files of the real formats from a temporary Keras cache; the results are
compared with keras.datasets.<name>.load_data() reading the same files.

The fake files cannot have Keras's hashes: kerasx's expected hash is set to
the fake file's own (so kerasx's check still runs), and Keras's validate_file
is made to accept them (otherwise Keras would try to download)."""
import hashlib
import io
import json
import pickle
import tarfile
import urllib.error

import numpy as np
import pytest

from kerasx.datasets import boston_housing, california_housing, cifar100, imdb, reuters
from kerasx.utils import file_utils


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A Keras cache shared by kerasx and Keras 3, with no network."""
    home = tmp_path / "khome"
    (home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))

    def offline(url, target):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(file_utils, "_download", offline)
    import keras.src.backend.config as keras_config
    import keras.src.utils.file_utils as keras_file_utils
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))
    monkeypatch.setattr(keras_file_utils, "validate_file", lambda *a, **k: True)
    return home / "datasets"


def _own_hash(module, path, monkeypatch, attr="FILE_HASH"):
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setattr(module, attr, digest)


def _ragged(rng, n, vocab=40):
    out = np.empty(n, dtype="object")
    # Python ints, as the real files (numpy scalars would need more unpickling).
    out[:] = [rng.integers(1, vocab, size=int(rng.integers(2, 12))).tolist()
              for _ in range(n)]
    return out


def _same(ours, theirs):
    (oxa, oya), (oxb, oyb) = ours
    (kxa, kya), (kxb, kyb) = theirs
    for a, b in ((oxa, kxa), (oya, kya), (oxb, kxb), (oyb, kyb)):
        assert a.shape == b.shape and a.dtype == b.dtype
        if a.dtype == object:
            assert [list(r) for r in a] == [list(r) for r in b]
        else:
            np.testing.assert_array_equal(a, b)


IMDB_ARGS = [{}, {"num_words": 20, "skip_top": 3}, {"maxlen": 8, "seed": 5},
             {"start_char": None, "oov_char": None, "index_from": 0, "num_words": 15}]


@pytest.mark.parametrize("kwargs", IMDB_ARGS)
def test_imdb_matches_keras(cache, monkeypatch, kwargs):
    import keras
    rng = np.random.default_rng(0)
    path = cache / "imdb.npz"
    np.savez(path, x_train=_ragged(rng, 30), y_train=rng.integers(0, 2, 30),
             x_test=_ragged(rng, 20), y_test=rng.integers(0, 2, 20))
    _own_hash(imdb, path, monkeypatch)
    _same(imdb.load_data(**kwargs), keras.datasets.imdb.load_data(**kwargs))
    with pytest.raises(ValueError, match="maxlen"):
        imdb.load_data(maxlen=1)


@pytest.mark.parametrize("kwargs", [{}, {"test_split": 0.5, "num_words": 10, "seed": 1},
                                    {"maxlen": 6, "oov_char": None}])
def test_reuters_matches_keras(cache, monkeypatch, kwargs):
    import keras
    rng = np.random.default_rng(1)
    path = cache / "reuters.npz"
    np.savez(path, x=_ragged(rng, 40), y=rng.integers(0, 46, 40))
    _own_hash(reuters, path, monkeypatch)
    _same(reuters.load_data(**kwargs), keras.datasets.reuters.load_data(**kwargs))
    assert reuters.get_label_names() == keras.datasets.reuters.get_label_names()


def test_word_indexes(cache, monkeypatch):
    import keras
    for module, keras_module, name in ((imdb, keras.datasets.imdb, "imdb_word_index.json"),
                                       (reuters, keras.datasets.reuters,
                                        "reuters_word_index.json")):
        path = cache / name
        path.write_text(json.dumps({"the": 1, "movie": 2}))
        monkeypatch.setattr(module, "WORD_INDEX_HASH",
                            hashlib.md5(path.read_bytes()).hexdigest())
        assert module.get_word_index() == keras_module.get_word_index() == \
            {"the": 1, "movie": 2}


@pytest.mark.parametrize("kwargs", [{}, {"test_split": 0.3, "seed": 7}, {"test_split": 0}])
def test_boston_housing_matches_keras(cache, monkeypatch, kwargs):
    import keras
    rng = np.random.default_rng(2)
    path = cache / "boston_housing.npz"
    np.savez(path, x=rng.random((25, 13)), y=rng.random(25) * 50)
    _own_hash(boston_housing, path, monkeypatch)
    _same(boston_housing.load_data(**kwargs), keras.datasets.boston_housing.load_data(**kwargs))
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0)


@pytest.mark.parametrize("kwargs", [{}, {"version": "small", "seed": 3}])
def test_california_housing_matches_keras(cache, monkeypatch, kwargs):
    import keras
    rng = np.random.default_rng(3)
    path = cache / "california_housing.npz"
    np.savez(path, x=rng.random((700, 8)).astype("float32"),
             y=rng.random(700).astype("float32"))
    _own_hash(california_housing, path, monkeypatch)
    ours = california_housing.load_data(**kwargs)
    _same(ours, keras.datasets.california_housing.load_data(**kwargs))
    assert len(ours[0][0]) + len(ours[1][0]) == (600 if kwargs else 700)
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data(version="medium")


def _cifar100_archive(path, rng):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, n in (("train", 6), ("test", 4)):
            batch = {b"data": rng.integers(0, 256, (n, 3072)).astype("uint8"),
                     b"fine_labels": rng.integers(0, 100, n).tolist(),
                     b"coarse_labels": rng.integers(0, 20, n).tolist()}
            data = pickle.dumps(batch, protocol=4)
            info = tarfile.TarInfo(f"cifar-100-python/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_matches_keras(cache, monkeypatch, label_mode):
    import keras
    rng = np.random.default_rng(4)
    path = cache / "cifar-100-python-target_archive"
    _cifar100_archive(path, rng)
    _own_hash(cifar100, path, monkeypatch)
    ours = cifar100.load_data(label_mode)
    assert ours[0][0].shape == (6, 32, 32, 3) and ours[0][1].shape == (6, 1)
    theirs = keras.datasets.cifar100.load_data(label_mode)
    for a, b in zip((*ours[0], *ours[1]), (*theirs[0], *theirs[1])):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data("medium")


@pytest.mark.parametrize("module,name", [(imdb, "imdb.npz"), (reuters, "reuters.npz"),
                                         (boston_housing, "boston_housing.npz"),
                                         (california_housing, "california_housing.npz"),
                                         (cifar100, "cifar-100-python")])
def test_offline_without_the_file_says_where_to_put_it(cache, module, name):
    with pytest.raises(file_utils.DownloadError) as info:
        module.load_data()
    message = str(info.value)
    assert "could not be downloaded" in message and str(cache) in message
    assert name in message


def test_object_arrays_refuse_code(cache, monkeypatch):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    x = np.empty(2, dtype="object")
    x[:] = [[1, 2], Evil()]
    path = cache / "reuters.npz"
    np.savez(path, x=x, y=np.zeros(2, "int64"))
    _own_hash(reuters, path, monkeypatch)
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        reuters.load_data()
