"""kerasx.datasets: the embedded digits, the Keras cache layout and hashes,
offline errors, and the idx reader. No network: the downloader is replaced."""
import gzip
import hashlib
import os
import pathlib
import pickle
import urllib.error

import numpy as np
import pytest

from kerasx.datasets import cifar10, digits, fashion_mnist, mnist
from kerasx.utils import file_utils

SHARED_MNIST = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras cache, and a downloader that fails like an offline machine."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "khome"))
    calls = []

    def offline(url, target):
        calls.append(url)
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(file_utils, "_download", offline)
    return tmp_path / "khome", calls


def _idx_bytes(array):
    codes = {np.dtype("uint8"): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return gzip.compress(header + array.tobytes())


# -- digits ----------------------------------------------------------------------
def test_digits_shapes_and_values():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert x_train.dtype == np.float32 and y_train.dtype == np.uint8
    assert 0.0 <= x_train.min() and x_train.max() == 1.0
    assert set(np.unique(np.concatenate([y_train, y_test]))) == set(range(10))
    again = digits.load_data()
    np.testing.assert_array_equal(again[0][0], x_train)
    other = digits.load_data(seed=1)
    assert not np.array_equal(other[0][1], y_train)
    (xa, ya), (xb, yb) = digits.load_data(test_split=0.5, seed=None)
    assert len(xa) == 898 and len(xb) == 899
    with pytest.raises(ValueError):
        digits.load_data(test_split=1.0)


def test_digits_equal_scikit_learn():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    bunch = sklearn_datasets.load_digits()
    (x, y), _ = digits.load_data(test_split=0.0, seed=None)
    np.testing.assert_array_equal(x, (bunch.images / 16.0).astype("float32"))
    np.testing.assert_array_equal(y, bunch.target)


# -- cache location, download and offline errors -----------------------------------
def test_keras_home_is_honoured(keras_home, monkeypatch):
    home, _ = keras_home
    assert file_utils.keras_home() == str(home)
    monkeypatch.delenv("KERAS_HOME")
    assert file_utils.keras_home() in (os.path.join(os.path.expanduser("~"), ".keras"),
                                       "/tmp/.keras")


def test_mnist_offline_error_says_where_to_put_the_file(keras_home):
    home, calls = keras_home
    with pytest.raises(file_utils.DownloadError) as info:
        mnist.load_data()
    message = str(info.value)
    assert str(home / "datasets" / "mnist.npz") in message
    assert mnist.ORIGIN in message and "network is unreachable" in message
    assert calls == [mnist.ORIGIN]
    assert not (home / "datasets" / "mnist.npz").exists()
    assert not list((home / "datasets").glob("*.part"))


def test_mnist_same_file_name_and_hash_as_keras():
    keras_mnist = pytest.importorskip("keras.src.datasets.mnist")
    import inspect

    source = inspect.getsource(keras_mnist)
    assert mnist.FILE_HASH in source and "mnist.npz" in source
    assert mnist.ORIGIN.rsplit("/", 1)[0] in source


def _fake_mnist_npz(path):
    rng = np.random.default_rng(0)
    np.savez(path, x_train=rng.integers(0, 255, (6, 28, 28), dtype=np.uint8),
             y_train=np.arange(6, dtype=np.uint8), x_test=np.zeros((2, 28, 28), np.uint8),
             y_test=np.array([1, 2], np.uint8))
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def test_mnist_download_then_cache(keras_home, monkeypatch, tmp_path):
    home, _ = keras_home
    source = tmp_path / "served.npz"
    digest = _fake_mnist_npz(source)
    monkeypatch.setattr(mnist, "FILE_HASH", digest)
    fetched = []

    def serve(url, target):
        fetched.append(url)
        pathlib.Path(target).write_bytes(source.read_bytes())

    monkeypatch.setattr(file_utils, "_download", serve)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (6, 28, 28) and y_test.tolist() == [1, 2]
    assert (home / "datasets" / "mnist.npz").is_file()
    mnist.load_data()  # now cached: no second download
    assert fetched == [mnist.ORIGIN]
    # A corrupted cache is downloaded again; a bad download is refused.
    (home / "datasets" / "mnist.npz").write_bytes(b"junk")
    mnist.load_data()
    assert len(fetched) == 2
    monkeypatch.setattr(mnist, "FILE_HASH", "0" * 64)
    (home / "datasets" / "mnist.npz").unlink()
    with pytest.raises(ValueError, match="hash"):
        mnist.load_data()
    assert not (home / "datasets" / "mnist.npz").exists()


def test_mnist_explicit_npz_path(tmp_path):
    _fake_mnist_npz(tmp_path / "m.npz")
    (x_train, _), _ = mnist.load_data(path=str(tmp_path / "m.npz"))
    assert x_train.shape == (6, 28, 28)


def test_mnist_idx_directory(tmp_path):
    rng = np.random.default_rng(1)
    x_tr = rng.integers(0, 255, (5, 28, 28), dtype=np.uint8)
    y_tr = np.arange(5, dtype=np.uint8)
    x_te = rng.integers(0, 255, (3, 28, 28), dtype=np.uint8)
    y_te = np.array([9, 8, 7], np.uint8)
    for stem, array in (("train-images-idx3-ubyte", x_tr), ("train-labels-idx1-ubyte", y_tr),
                        ("t10k-images-idx3-ubyte", x_te), ("t10k-labels-idx1-ubyte", y_te)):
        (tmp_path / (stem + ".gz")).write_bytes(_idx_bytes(array))
    (a, b), (c, d) = mnist.load_data(path=str(tmp_path))
    np.testing.assert_array_equal(a, x_tr)
    np.testing.assert_array_equal(b, y_tr)
    np.testing.assert_array_equal(c, x_te)
    np.testing.assert_array_equal(d, y_te)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(b"\x00\x00\x08")
    with pytest.raises(ValueError, match="idx"):
        mnist.load_data(path=str(tmp_path))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="t10k"):
        mnist.load_data(path=str(tmp_path / "empty"))


@pytest.mark.skipif(not SHARED_MNIST.is_dir(), reason="../shared/data/mnist is absent")
def test_mnist_shared_test_split():
    (x_train, y_train), (x_test, y_test) = mnist.load_data(path=str(SHARED_MNIST))
    assert x_train.shape == (8000, 28, 28) and x_test.shape == (2000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    counts = np.bincount(np.concatenate([y_train, y_test]), minlength=10)
    assert counts.tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    images = np.concatenate([x_train, x_test])
    # The uncompressed file is a 16-byte header then these pixels (README's md5).
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (10000, 28, 28))
    assert hashlib.md5(header + images.tobytes()).hexdigest() == \
        "2646ac647ad5339dbf082846283269ea"


def test_fashion_mnist_cache_layout(keras_home, monkeypatch):
    home, _ = keras_home
    arrays = {"train-labels-idx1-ubyte.gz": np.array([1, 2], np.uint8),
              "train-images-idx3-ubyte.gz": np.ones((2, 28, 28), np.uint8),
              "t10k-labels-idx1-ubyte.gz": np.array([3], np.uint8),
              "t10k-images-idx3-ubyte.gz": np.zeros((1, 28, 28), np.uint8)}

    def serve(url, target):
        assert url.startswith(fashion_mnist.BASE)
        pathlib.Path(target).write_bytes(_idx_bytes(arrays[url.rsplit("/", 1)[1]]))

    monkeypatch.setattr(file_utils, "_download", serve)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (2, 28, 28) and y_train.tolist() == [1, 2]
    assert x_test.shape == (1, 28, 28) and y_test.tolist() == [3]
    assert sorted(p.name for p in (home / "datasets" / "fashion-mnist").iterdir()) == \
        sorted(arrays)


def test_cifar10_offline_error_and_keras_names(keras_home):
    home, calls = keras_home
    with pytest.raises(file_utils.DownloadError) as info:
        cifar10.load_data()
    assert str(home / "datasets" / "cifar-10-batches-py-target_archive") in str(info.value)
    assert calls == [cifar10.ORIGIN]
    keras_cifar10 = pytest.importorskip("keras.src.datasets.cifar10")
    import inspect

    source = inspect.getsource(keras_cifar10)
    assert cifar10.FILE_HASH in source and cifar10.DIRNAME in source


def test_cifar_batch_reader_is_restricted(tmp_path):
    batch = {b"data": np.arange(2 * 3072, dtype=np.uint8).reshape(2, 3072) % 251,
             b"labels": [3, 5], b"batch_label": b"test"}
    path = tmp_path / "batch"
    path.write_bytes(pickle.dumps(batch, protocol=2))
    data, labels = cifar10.load_batch(str(path))
    assert data.shape == (2, 3, 32, 32) and labels == [3, 5]

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    path.write_bytes(pickle.dumps({b"data": Evil()}))
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        cifar10.load_batch(str(path))


def test_get_file_extracts_archives(keras_home, monkeypatch, tmp_path):
    import tarfile

    archive = tmp_path / "a.tar.gz"
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "f.txt").write_text("hello")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "inner", arcname="inner")
    monkeypatch.setattr(file_utils, "_download",
                        lambda url, target: pathlib.Path(target).write_bytes(
                            archive.read_bytes()))
    folder = file_utils.get_file("things", origin="https://example.invalid/a.tar.gz",
                                 extract=True)
    assert pathlib.Path(folder, "inner", "f.txt").read_text() == "hello"
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        file_utils.get_file("a/b", origin="https://example.invalid/x")
