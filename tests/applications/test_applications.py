"""kerasx.applications against keras.applications: the same architecture
(layer classes, names of the layers with weights, weight shapes), Keras's
weights loaded from a legacy `.h5` file written by Keras itself (the format
of Keras's published weights), the same predictions, on every backend; and
the same preprocessing and decoding."""
import h5py
import numpy as np
import pytest

keras = pytest.importorskip("keras")
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

import kerasx  # noqa: E402

#: (model, module, input size): every family at the smallest input it takes
#: (the big variants share the small ones' code).
MODELS = [("VGG16", "vgg16", 32), ("VGG19", "vgg19", 32), ("ResNet50", "resnet", 32),
          ("ResNet50V2", "resnet_v2", 32), ("DenseNet121", "densenet", 32),
          ("MobileNetV2", "mobilenet_v2", 32), ("Xception", "xception", 71),
          ("InceptionV3", "inception_v3", 75), ("EfficientNetB0", "efficientnet", 32),
          ("ConvNeXtTiny", "convnext", 32)]
#: Deeper variants: built and compared on one backend only (they differ
#: from the ones above by block counts alone).
DEEP = ["ResNet101", "ResNet152", "ResNet101V2", "ResNet152V2", "DenseNet169", "DenseNet201",
        "EfficientNetB1", "EfficientNetB2", "EfficientNetB3"]
#: The largest variants (66M to 350M parameters): their structure only (layer
#: classes, names, weight shapes), without weights files or predictions.
LARGEST = ["EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
           "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"]


def _randomize(model, rng):
    """Weights of the Keras model made random but tame: batch-norm
    statistics and scales off their defaults, kernels as initialised."""
    values = []
    for w in model.weights:
        value = np.asarray(w.numpy())
        name = w.path.split("/")[-1]
        if name in ("moving_variance", "gamma"):
            value = rng.uniform(0.5, 1.5, value.shape)
        elif name in ("moving_mean", "beta", "bias"):
            value = rng.normal(0, 0.1, value.shape)
        values.append(value.astype("float32"))
    model.set_weights(values)


def _fresh_names():
    """Both libraries' layer name counters reset, so that default names
    (conv2d_7) compare."""
    keras.utils.clear_session()
    kerasx.backend.clear_session()


def _keras_weights_file(name, size, tmp_path):
    _fresh_names()
    ref = getattr(keras.applications, name)(weights=None, input_shape=(size, size, 3),
                                            classes=7, classifier_activation=None)
    _randomize(ref, np.random.default_rng(0))
    path = str(tmp_path / f"{name}.h5")
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, ref)
    return ref, path


def _same_structure(ours, ref):
    """The same model name, layers with weights (class, name, order: what
    loading Keras's weight files relies on) and weight shapes. (kerasx lists
    the operator layers of `a + b` on symbolic tensors in `model.layers`,
    where Keras lists operations apart, so weightless layers are not
    compared one to one.)"""
    assert ours.name == ref.name
    assert ([(type(l).__name__, l.name) for l in ours.layers if l.weights]
            == [(type(l).__name__, l.name) for l in ref.layers if l.weights])
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in ref.weights]


def _check(name, module, size, tmp_path):
    ref, path = _keras_weights_file(name, size, tmp_path)
    ours = getattr(kerasx.applications, name)(weights=path, input_shape=(size, size, 3),
                                              classes=7, classifier_activation=None)
    _same_structure(ours, ref)
    images = np.random.default_rng(1).uniform(0, 255, (2, size, size, 3)).astype("float32")
    x = getattr(keras.applications, module).preprocess_input(images.copy())
    expected = ref.predict(x, verbose=0)
    actual = ours.predict(x, verbose=0)
    scale = float(np.max(np.abs(expected)))
    assert scale > 1e-3  # a meaningful output, not all zeros
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale)


def _backend_cases():
    """Every family on every backend; CI's `make test` runs each family on
    one backend, rotating (so each backend loads several families), and
    `make test-full` runs the rest."""
    from tests.conftest import AVAILABLE_BACKENDS

    cases = []
    for i, (name, module, size) in enumerate(MODELS):
        for j, backend in enumerate(AVAILABLE_BACKENDS):
            fast = j == i % len(AVAILABLE_BACKENDS)
            cases.append(pytest.param(backend, name, module, size,
                                      marks=() if fast else pytest.mark.slow,
                                      id=f"{backend}-{name}"))
    return cases


@pytest.mark.parametrize("backend, name, module, size", _backend_cases(),
                         indirect=["backend"])
def test_application_loads_keras_weights_and_predicts_as_keras(backend, name, module, size,
                                                               tmp_path):
    _check(name, module, size, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", DEEP)
def test_deeper_variants_match_keras(name, tmp_path):
    module = ("densenet" if name.startswith("DenseNet") else "efficientnet"
              if name.startswith("EfficientNet") else "resnet_v2" if name.endswith("V2")
              else "resnet")
    _check(name, module, 32, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", LARGEST)
def test_largest_variants_have_keras_s_structure(name):
    _fresh_names()
    kwargs = dict(weights=None, input_shape=(32, 32, 3), classes=7)
    _same_structure(getattr(kerasx.applications, name)(**kwargs),
                    getattr(keras.applications, name)(**kwargs))


@pytest.mark.parametrize("module", ["vgg16", "resnet", "resnet_v2", "densenet",
                                    "mobilenet_v2", "xception", "inception_v3"])
def test_preprocess_input_matches_keras(backend, module):
    images = np.random.default_rng(2).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    expected = getattr(keras.applications, module).preprocess_input(images.copy())
    ours = getattr(kerasx.applications, module).preprocess_input
    np.testing.assert_allclose(ours(images.copy()), expected, rtol=1e-6, atol=1e-5)
    tensor = ours(kerasx.ops.convert_to_tensor(images))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(tensor), expected,
                               rtol=1e-6, atol=1e-5)
    first = ours(images.transpose(0, 3, 1, 2).copy(), data_format="channels_first")
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), expected, rtol=1e-6, atol=1e-5)


def test_decode_predictions_matches_keras(monkeypatch):
    from keras.src.applications import imagenet_utils as keras_utils

    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    monkeypatch.setattr(keras_utils, "CLASS_INDEX", index)
    monkeypatch.setattr(kerasx.applications.imagenet_utils, "CLASS_INDEX", index)
    preds = np.random.default_rng(3).random((2, 1000)).astype("float32")
    expected = keras.applications.imagenet_utils.decode_predictions(preds, top=3)
    assert kerasx.applications.resnet.decode_predictions(preds, top=3) == expected
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        kerasx.applications.imagenet_utils.decode_predictions(preds[:, :10])


def test_argument_errors_are_keras_s():
    with pytest.raises(ValueError, match="classes` should be 1000"):
        kerasx.applications.ResNet50(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="weights"):
        kerasx.applications.VGG16(weights="/no/such/file.h5")
    with pytest.raises(ValueError, match="at least 32x32"):
        kerasx.applications.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="Only `None` and `softmax`"):
        kerasx.applications.VGG16(weights="imagenet", classifier_activation="relu")


def test_imagenet_weights_offline_say_where_to_put_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("kerasx.utils.file_utils._download", _offline)
    with pytest.raises(OSError, match="resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"):
        kerasx.applications.ResNet50(weights="imagenet", include_top=False)


def _offline(url, target):
    raise OSError(f"offline: cannot reach {url}")


def test_pooling_and_input_tensor(backend):
    inputs = kerasx.Input((32, 32, 3))
    scaled = kerasx.layers.Rescaling(1 / 255.0)(inputs)
    model = kerasx.applications.ResNet50V2(weights=None, include_top=False, pooling="avg",
                                           input_tensor=scaled)
    assert model.inputs[0] is inputs
    assert tuple(model.output.shape) == (None, 2048)
    out = model.predict(np.ones((1, 32, 32, 3), "float32"), verbose=0)
    assert out.shape == (1, 2048) and np.isfinite(out).all()
