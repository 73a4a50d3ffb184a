"""Shared by the per-family application tests: build a Keras application
with tame random weights, write them in Keras's legacy `.h5` layout (that of
Keras's published weight files), load them into kerasx's, and compare the
structure and predictions."""
import h5py
import numpy as np
import pytest

from tests.applications.test_applications import _fresh_names, _randomize, _same_structure

keras = pytest.importorskip("keras")
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

import kerasx  # noqa: E402


def check(app, module, size, tmp_path, gamma_scale=1.0, **kwargs):
    """kerasx's application `app` loads Keras's weights (written by Keras) and predicts
    as Keras's within 1e-4 of the output scale; returns the largest
    deviation relative to that scale.

    `gamma_scale` shrinks the batch-norm scales: the deepest networks with
    random weights otherwise amplify float32 rounding past 1e-4 (Keras's
    own output moves by 1e-3 for a 1e-6 change of its input)."""
    kwargs = dict(dict(weights=None, input_shape=(size, size, 3), classes=7,
                       classifier_activation=None), **kwargs)
    _fresh_names()
    ref = getattr(keras.applications, app)(**kwargs)
    _randomize(ref, np.random.default_rng(0))
    if gamma_scale != 1.0:
        ref.set_weights([v * gamma_scale if w.path.endswith("gamma") else v
                         for w, v in zip(ref.weights, ref.get_weights())])
    path = str(tmp_path / f"{app}.h5")
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, ref)
    ours = getattr(kerasx.applications, app)(**dict(kwargs, weights=path))
    _same_structure(ours, ref)
    shape = (2,) + tuple(kwargs["input_shape"])
    images = np.random.default_rng(1).uniform(0, 255, shape).astype("float32")
    x = getattr(keras.applications, module).preprocess_input(images.copy())
    expected = ref.predict(x, verbose=0)
    actual = ours.predict(x, verbose=0)
    scale = float(np.max(np.abs(expected)))
    assert scale > 1e-3  # a meaningful output, not all zeros
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale)
    return float(np.max(np.abs(actual - expected))) / scale


def backend_cases(models, offset):
    """(backend, *model) cases: each model on one backend in CI's `make
    test`, rotating from `offset` (so the families spread over the
    backends), the other backends under the `slow` marker."""
    from tests.conftest import AVAILABLE_BACKENDS

    cases = []
    for i, model in enumerate(models):
        for j, backend in enumerate(AVAILABLE_BACKENDS):
            fast = j == (i + offset) % len(AVAILABLE_BACKENDS)
            cases.append(pytest.param(backend, *model, marks=() if fast else pytest.mark.slow,
                                      id=f"{backend}-{model[0]}"))
    return cases


def check_preprocess(module):
    """kerasx's `module.preprocess_input` equals Keras's on arrays, tensors
    and channels-first arrays."""
    images = np.random.default_rng(2).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    expected = getattr(keras.applications, module).preprocess_input(images.copy())
    ours = getattr(kerasx.applications, module).preprocess_input
    np.testing.assert_allclose(ours(images.copy()), expected, rtol=1e-6, atol=1e-5)
    tensor = ours(kerasx.ops.convert_to_tensor(images))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(tensor), expected,
                               rtol=1e-6, atol=1e-5)
    first = ours(images.transpose(0, 3, 1, 2).copy(), data_format="channels_first")
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), expected, rtol=1e-6, atol=1e-5)


def check_offline_names_weights_file(constructor, file_name, monkeypatch, tmp_path, **kwargs):
    """`weights="imagenet"` without the file in the cache nor a network
    says which file (Keras's published name) to put where."""
    def offline(url, target):
        raise OSError(f"offline: cannot reach {url}")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("kerasx.utils.file_utils._download", offline)
    with pytest.raises(OSError, match=file_name.replace(".", r"\.")):
        constructor(weights="imagenet", **kwargs)


def check_channels_first(app, size, **kwargs):
    """kerasx's `app` built channels_first, given the weights of the one
    built channels_last, predicts the same (Keras's TensorFlow backend has
    no channels_first convolutions on CPU to compare with)."""
    kwargs = dict(dict(weights=None, classes=7, classifier_activation=None), **kwargs)
    previous = kerasx.config.image_data_format()
    try:
        kerasx.config.set_image_data_format("channels_last")
        last = getattr(kerasx.applications, app)(input_shape=(size, size, 3), **kwargs)
        rng = np.random.default_rng(0)
        values = []
        for w in last.weights:
            value = kerasx.ops.convert_to_numpy(w.value)
            if w.path.split("/")[-1] in ("moving_variance", "gamma"):
                value = rng.uniform(0.5, 1.5, value.shape)
            elif w.path.split("/")[-1] in ("moving_mean", "beta", "bias"):
                value = rng.normal(0, 0.1, value.shape)
            values.append(value.astype("float32"))
        last.set_weights(values)
        kerasx.config.set_image_data_format("channels_first")
        first = getattr(kerasx.applications, app)(input_shape=(3, size, size), **kwargs)
        first.set_weights(values)
    finally:
        kerasx.config.set_image_data_format(previous)
    x = np.random.default_rng(1).uniform(0, 255, (2, size, size, 3)).astype("float32")
    expected = last.predict(x, verbose=0)
    actual = first.predict(x.transpose(0, 3, 1, 2).copy(), verbose=0)
    scale = float(np.max(np.abs(expected)))
    assert scale > 1e-3
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale)
