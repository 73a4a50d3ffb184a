"""The image preprocessing and augmentation layers against Keras 3.

Keras's random generator differs from kerasx's portable one, so against
Keras the tests compare the deterministic paths exactly (fixed factors such
as (0.1, 0.1), factor 0, inference mode) and the ranges and distributions of
the random ones; across kerasx backends the same seed must give the same
augmented images."""
import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasx
import kerasx.backend as kb
import kerasx.layers as xl
from tests.conftest import AVAILABLE_BACKENDS

RNG = np.random.default_rng(3)
IMAGES = RNG.uniform(0, 255, (2, 7, 9, 3)).astype("float32")


def _np(x):
    return kb.get_ops().to_numpy(x) if kb.get_ops().is_tensor(x) else np.asarray(x)


def _both(name, kwargs, data, **call):
    want = keras.ops.convert_to_numpy(getattr(keras.layers, name)(**kwargs)(data, **call))
    got = _np(getattr(xl, name)(**kwargs)(data, **call))
    return got, want


# Fixed transforms: a random layer whose range is a single value is deterministic.
DETERMINISTIC = [
    ("Resizing", dict(height=4, width=5)),
    ("Resizing", dict(height=10, width=5, interpolation="bicubic", crop_to_aspect_ratio=True)),
    ("Resizing", dict(height=5, width=5, pad_to_aspect_ratio=True, fill_value=7.0)),
    ("CenterCrop", dict(height=4, width=5)),
    ("CenterCrop", dict(height=8, width=12)),
    ("RandomRotation", dict(factor=(0.1, 0.1))),
    ("RandomRotation", dict(factor=(-0.3, -0.3), fill_mode="constant", fill_value=3.0)),
    ("RandomRotation", dict(factor=(0.2, 0.2), fill_mode="wrap", interpolation="nearest")),
    ("RandomZoom", dict(height_factor=(0.2, 0.2), width_factor=(-0.3, -0.3))),
    ("RandomZoom", dict(height_factor=(0.5, 0.5), fill_mode="wrap", interpolation="nearest")),
    ("RandomTranslation", dict(height_factor=(0.2, 0.2), width_factor=(-0.1, -0.1),
                               fill_mode="nearest")),
    ("RandomTranslation", dict(height_factor=(-0.3, -0.3), width_factor=(0.25, 0.25),
                               fill_mode="constant")),
    ("RandomBrightness", dict(factor=(0.1, 0.1))),
    ("RandomBrightness", dict(factor=(-0.3, -0.3))),
    ("RandomContrast", dict(factor=(0.0, 0.0))),
    ("RandomGrayscale", dict(factor=1.0)),
    ("RandomGrayscale", dict(factor=0.0)),
    ("RandomHue", dict(factor=(0.0, 0.0))),
    ("RandomCrop", dict(height=9, width=5)),
    ("RandomSaturation", dict(factor=(0.3, 0.3))),
    ("RandomSaturation", dict(factor=(0.8, 0.8))),
    ("RandomColorDegeneration", dict(factor=(0.4, 0.4))),
    ("RandomInvert", dict(factor=(1.0, 1.0))),
    ("RandomInvert", dict(factor=(0.0, 0.0))),
    ("RandomPosterization", dict(factor=(3, 3))),
    ("RandomPosterization", dict(factor=(7, 7))),
    ("Solarization", dict()),
    ("AutoContrast", dict()),
    ("RandomSharpness", dict(factor=(0.25, 0.25))),
    ("RandomSharpness", dict(factor=(0.9, 0.9))),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), sigma=(0.8, 0.8))),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), kernel_size=5, sigma=(0.9, 0.9))),
    ("RandomPerspective", dict(factor=(1.0, 1.0), scale=0.0)),
    ("RandomPerspective", dict(factor=(0.0, 0.0))),
    ("RandomColorJitter", dict(brightness_factor=(0.1, 0.1), contrast_factor=(0.0, 0.0),
                               saturation_factor=(0.7, 0.7), hue_factor=(0.0, 0.0))),
    ("RandomErasing", dict(factor=(0.0, 0.0))),
    ("RandomElasticTransform", dict(factor=0.0)),
    ("Equalization", dict()), ("Equalization", dict(bins=64)),
    ("RandomErasing", dict(factor=(1.0, 1.0), scale=(1.0, 1.0), fill_value=5.0)),
]


@pytest.mark.parametrize("name,kwargs", DETERMINISTIC,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(DETERMINISTIC)])
def test_fixed_transforms_match_keras(backend, name, kwargs):
    for data in (IMAGES, IMAGES[0]):
        got, want = _both(name, kwargs, data)
        # Pixel values in [0, 255]: 1e-5 relative to the range.
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=255e-6)
    # Keras's AutoContrast and RandomColorJitter work in channels_last only.
    if name not in ("RandomCrop", "AutoContrast", "RandomColorJitter"):
        first = np.transpose(IMAGES, (0, 3, 1, 2))
        got, want = _both(name, dict(kwargs, data_format="channels_first"), first)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=255e-6)


def test_random_shear_applies_one_of_keras_two_signs(backend):
    # RandomShear draws the sign per image; with a fixed factor each image is
    # one of the two transforms.
    out = _np(xl.RandomShear(x_factor=(0.3, 0.3), y_factor=(0.1, 0.1), seed=1)(IMAGES))
    for i in range(len(IMAGES)):
        options = [keras.ops.convert_to_numpy(keras.ops.image.affine_transform(
            IMAGES[i:i + 1], np.array([[1, s * 0.3, 0, s * 0.1, 1, 0, 0, 0]], "float32"),
            fill_mode="reflect"))[0] for s in (1, -1)]
        assert min(np.abs(out[i] - o).max() for o in options) < 255e-6


RANDOM = [
    ("RandomFlip", dict()), ("RandomFlip", dict(mode="horizontal")),
    ("RandomRotation", dict(factor=0.2)), ("RandomZoom", dict(height_factor=0.3)),
    ("RandomTranslation", dict(height_factor=0.2, width_factor=0.2)),
    ("RandomShear", dict(x_factor=0.3, y_factor=0.3)),
    ("RandomCrop", dict(height=4, width=5)),
    ("RandomContrast", dict(factor=0.5)), ("RandomBrightness", dict(factor=0.3)),
    ("RandomGrayscale", dict(factor=0.5)), ("RandomHue", dict(factor=0.5)),
    ("RandomSaturation", dict(factor=0.5)), ("RandomColorDegeneration", dict(factor=0.5)),
    ("RandomInvert", dict(factor=0.5)), ("RandomPosterization", dict(factor=4)),
    ("Solarization", dict(addition_factor=0.5, threshold_factor=0.5)),
    ("RandomSharpness", dict(factor=0.5)), ("RandomGaussianBlur", dict()),
    ("RandomPerspective", dict(scale=0.5)), ("RandomErasing", dict()),
    ("RandomColorJitter", dict(brightness_factor=0.2, contrast_factor=0.3,
                               saturation_factor=0.4, hue_factor=0.3)),
    ("MixUp", dict()), ("CutMix", dict()),
    ("RandomElasticTransform", dict(factor=(1.0, 1.0))),
    ("RandAugment", dict()), ("AugMix", dict()),
]
RANDOM_IDS = [f"{n}-{i}" for i, (n, _) in enumerate(RANDOM)]


@pytest.mark.parametrize("name,kwargs", RANDOM, ids=RANDOM_IDS)
def test_inference_mode_is_the_identity(backend, name, kwargs):
    got, want = _both(name, kwargs, IMAGES, training=False)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got, IMAGES)
    augmented = _np(getattr(xl, name)(seed=2, **kwargs)(IMAGES))
    if name != "RandomCrop":
        assert augmented.shape == IMAGES.shape


MANY = RNG.uniform(0, 255, (16, 6, 7, 3)).astype("float32")


@pytest.mark.parametrize("name,kwargs", RANDOM, ids=RANDOM_IDS)
def test_same_seed_same_images_on_every_backend(name, kwargs):
    previous = kb.backend()
    outputs = {}
    try:
        for be in AVAILABLE_BACKENDS:
            kb.set_backend(be)
            layer = getattr(xl, name)(seed=11, **kwargs)
            outputs[be] = [_np(layer(MANY)), _np(layer(IMAGES[0]))]  # two draws
    finally:
        kb.set_backend(previous)
    first = outputs[AVAILABLE_BACKENDS[0]]
    # The layer did augment (some of) the batch.
    assert first[0].shape != MANY.shape or not np.array_equal(first[0], MANY)
    for be in AVAILABLE_BACKENDS[1:]:
        for a, b in zip(outputs[be], first):
            # The random parameters are bit-identical; resampling arithmetic
            # may differ in the last float32 bit between frameworks.
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=255 * 1e-6)


def _keras_and_kerasx(name, kwargs, images):
    k = getattr(keras.layers, name)(seed=5, **kwargs)
    x = getattr(xl, name)(seed=5, **kwargs)
    return _np(x(images)), keras.ops.convert_to_numpy(k(images))


BIG = RNG.uniform(60, 190, (256, 6, 6, 3)).astype("float32")


def test_flip_and_grayscale_probabilities_match_keras(backend):
    for name, kwargs, changed in (
            ("RandomFlip", dict(mode="horizontal"),
             lambda out: np.abs(out - BIG).max(axis=(1, 2, 3)) > 0),
            ("RandomGrayscale", dict(factor=0.3),
             lambda out: np.abs(out[..., 0] - out[..., 1]).max(axis=(1, 2)) < 1e-4)):
        ours, theirs = _keras_and_kerasx(name, kwargs, BIG)
        for out in (ours, theirs):
            rate = changed(out).mean()
            expected = 0.5 if name == "RandomFlip" else 0.3
            assert abs(rate - expected) < 0.1, (name, rate)


def test_brightness_and_contrast_ranges_match_keras(backend):
    ours, theirs = _keras_and_kerasx("RandomBrightness", dict(factor=0.2), BIG)
    for out in (ours, theirs):
        delta = (out - BIG).mean(axis=(1, 2, 3))
        assert delta.min() >= -0.2 * 255 - 1e-3 and delta.max() <= 0.2 * 255 + 1e-3
        assert delta.min() < -0.15 * 255 and delta.max() > 0.15 * 255
    ours, theirs = _keras_and_kerasx("RandomContrast", dict(factor=0.5, value_range=(-1e9, 1e9)),
                                     BIG)
    mean = BIG.mean(axis=(1, 2), keepdims=True)
    for out in (ours, theirs):
        c = ((out - mean) / (BIG - mean))[:, 0, 0, 0]
        # Keras 3 draws the contrast factor from [1 - 0, 1 + 0.5].
        assert c.min() >= 1.0 - 1e-3 and c.max() <= 1.5 + 1e-3
        assert c.min() < 1.1 and c.max() > 1.4


@pytest.mark.parametrize("name,kwargs", [
    ("RandomRotation", dict(factor=0.1)), ("RandomZoom", dict(height_factor=0.2)),
    ("RandomTranslation", dict(height_factor=0.1, width_factor=0.1)),
    ("RandomHue", dict(factor=0.4))])
def test_transform_strength_distribution_matches_keras(backend, name, kwargs):
    smooth = np.cumsum(np.cumsum(RNG.uniform(0, 1, (256, 8, 8, 3)), 1), 2).astype("float32")
    ours, theirs = _keras_and_kerasx(name, kwargs, smooth * 255 / smooth.max())
    change_ours = np.abs(ours - smooth * 255 / smooth.max()).mean(axis=(1, 2, 3))
    change_theirs = np.abs(theirs - smooth * 255 / smooth.max()).mean(axis=(1, 2, 3))
    for q in (0.25, 0.5, 0.75):
        a, b = np.quantile(change_ours, q), np.quantile(change_theirs, q)
        assert abs(a - b) <= 0.2 * max(a, b) + 1e-3, (q, a, b)


@pytest.mark.parametrize("name,kwargs", DETERMINISTIC[:3] + DETERMINISTIC[5:7] + [
    ("RandomFlip", dict(mode="vertical", seed=4))])
def test_config_round_trip_and_keras_reads_it(backend, name, kwargs):
    layer = getattr(xl, name)(**kwargs)
    config = layer.get_config()
    again = getattr(xl, name).from_config(config)
    assert again.get_config() == config
    data = IMAGES if name != "RandomFlip" else IMAGES
    call = {"training": False} if name == "RandomFlip" else {}
    np.testing.assert_array_equal(_np(again(data, **call)), _np(layer(data, **call)))
    theirs = getattr(keras.layers, name).from_config(config)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs(data, **call)),
                               _np(layer(data, **call)), rtol=1e-5, atol=255e-6)


def test_bad_arguments_raise_as_keras(backend):
    with pytest.raises(ValueError, match="factor"):
        xl.RandomRotation(1.5)
    with pytest.raises(ValueError, match="factor"):
        xl.RandomZoom((-1.0, 0.2))
    with pytest.raises(NotImplementedError, match="fill_mode"):
        xl.RandomTranslation(0.1, 0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="mode"):
        xl.RandomFlip("diagonal")
    with pytest.raises(ValueError, match="between 0 and 1"):
        xl.RandomGrayscale(2.0)
    with pytest.raises(ValueError, match="rank 3 or 4"):
        xl.RandomFlip()(IMAGES[0, 0])


def test_inside_a_model_training_augments_inference_passes(backend):
    kerasx.utils.set_random_seed(0)
    model = kerasx.Sequential([kerasx.Input((7, 9, 3)), xl.RandomFlip(), xl.RandomRotation(0.2),
                     xl.Rescaling(1 / 255.0)])
    scaled = IMAGES / 255.0
    np.testing.assert_allclose(_np(model(IMAGES, training=False)), scaled, rtol=1e-6)
    np.testing.assert_allclose(model.predict(IMAGES, verbose=0), scaled, rtol=1e-6)
    trained = _np(model(IMAGES, training=True))
    assert trained.shape == scaled.shape and np.abs(trained - scaled).max() > 0.05


def test_tf_data_pipeline_on_every_backend(backend):
    # dataset.map(layer) hands the layer TensorFlow graph tensors of unknown
    # batch size; the layer runs per batch with fresh draws, as a direct call.
    for layer in (xl.RandomFlip(seed=3), xl.RandomRotation(0.2, seed=3),
                  xl.RandomCrop(4, 4, seed=2), xl.Resizing(3, 4),
                  xl.RandomHue(0.5, value_range=(0, 255), seed=1)):
        ds = tf.data.Dataset.from_tensor_slices(IMAGES.repeat(3, axis=0)).batch(2)
        got = np.concatenate([np.asarray(b) for b in ds.map(lambda b: layer(b))])
        twin = type(layer).from_config(layer.get_config())
        want = np.concatenate([_np(twin(IMAGES.repeat(3, axis=0)[i:i + 2]))
                               for i in range(0, 6, 2)])
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=255e-6)
        static = ds.map(lambda b: layer(b)).element_spec.shape
        assert tuple(static[1:]) == want.shape[1:]


def test_mix_up_and_cut_mix_mix_labels_as_images(backend):
    classes = [0, 1, 2, 0, 1, 2, 0, 1]
    labels = np.eye(3, dtype="float32")[classes]
    images = MANY[:8]
    for layer in (xl.MixUp(alpha=0.5, seed=3), xl.CutMix(seed=3)):
        out = layer({"images": images, "labels": labels})
        got_images, got_labels = _np(out["images"]), _np(out["labels"])
        np.testing.assert_allclose(got_labels.sum(axis=1), 1.0, rtol=1e-6)
        mixed = 0
        for i in range(len(images)):
            share = got_labels[i, classes[i]]  # the share of image i kept
            if share > 1 - 1e-6:
                continue  # mixed with an image of its class (or itself)
            mixed += 1
            partners = [j for j in range(len(images)) if got_labels[i, classes[j]] > 0
                        and classes[j] != classes[i]]
            if isinstance(layer, xl.MixUp):
                assert any(np.allclose(got_images[i], share * images[i] +
                                       (1 - share) * images[j], rtol=1e-4, atol=1e-3)
                           for j in partners), i
            else:
                # Every pixel comes from image i or its partner (the label
                # share is Keras's continuous box area, not a pixel count).
                def explained(j):
                    from_i = np.all(got_images[i] == images[i], axis=-1)
                    from_j = np.all(got_images[i] == images[j], axis=-1)
                    return np.all(from_i | from_j) and from_j.any()

                assert any(explained(j) for j in partners), i
        assert mixed > 0
    # Single images pass through CutMix; inference passes through both.
    np.testing.assert_array_equal(_np(xl.CutMix(seed=1)(IMAGES[0])), IMAGES[0])
    out = xl.MixUp(seed=1)({"images": images, "labels": labels}, training=False)
    np.testing.assert_array_equal(_np(out["labels"]), labels)


def test_perspective_strength_distribution_matches_keras(backend):
    smooth = np.cumsum(np.cumsum(RNG.uniform(0, 1, (256, 8, 8, 3)), 1), 2).astype("float32")
    smooth = smooth * 255 / smooth.max()
    kwargs = dict(factor=(1.0, 1.0), scale=0.4)
    ours, theirs = _keras_and_kerasx("RandomPerspective", kwargs, smooth)
    change_ours = np.abs(ours - smooth).mean(axis=(1, 2, 3))
    change_theirs = np.abs(theirs - smooth).mean(axis=(1, 2, 3))
    for q in (0.25, 0.5, 0.75):
        a, b = np.quantile(change_ours, q), np.quantile(change_theirs, q)
        assert abs(a - b) <= 0.2 * max(a, b), (q, a, b)


def test_pipeline_matches_keras_and_runs_in_tf_data(backend):
    def build(lib):
        L = lib.layers
        return L.Pipeline([L.AutoContrast(), L.RandomZoom((0.2, 0.2)),
                           L.RandomRotation((0.1, 0.1))])

    ours, theirs = build(kerasx), build(keras)
    got = _np(ours(IMAGES))
    np.testing.assert_allclose(got, keras.ops.convert_to_numpy(theirs(IMAGES)), rtol=1e-5,
                               atol=255e-6)
    config = ours.get_config()
    np.testing.assert_array_equal(_np(xl.Pipeline.from_config(config)(IMAGES)), got)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(
        keras.layers.Pipeline.from_config(config)(IMAGES)), got, rtol=1e-5, atol=255e-6)
    dataset = tf.data.Dataset.from_tensor_slices(IMAGES).batch(1).map(ours)
    np.testing.assert_allclose(np.concatenate([np.asarray(b) for b in dataset]), got,
                               rtol=1e-5, atol=255e-6)
    np.testing.assert_array_equal(_np(ours(IMAGES, training=False)),
                                  _np(xl.AutoContrast()(IMAGES)))


@pytest.mark.parametrize("count", [2, 5])
def test_max_num_bounding_boxes_matches_keras(backend, count):
    boxes = RNG.uniform(0, 1, (2, 3, 4)).astype("float32")
    labels = np.array([[1, 2, 0], [2, 2, 1]], "float32")

    def data():
        return {"images": IMAGES, "bounding_boxes": {"boxes": boxes, "labels": labels}}

    ours = xl.MaxNumBoundingBoxes(count, bounding_box_format="xyxy")(data())
    theirs = keras.layers.MaxNumBoundingBoxes(count, bounding_box_format="xyxy")(data())
    for key in ("boxes", "labels"):
        np.testing.assert_array_equal(_np(ours["bounding_boxes"][key]),
                                      keras.ops.convert_to_numpy(theirs["bounding_boxes"][key]))
    np.testing.assert_array_equal(_np(ours["images"]), IMAGES)
    with pytest.raises(ValueError, match="bounding box format"):
        xl.MaxNumBoundingBoxes(count)(data())


def test_model_with_image_layers_saves_and_keras_loads_it(backend, tmp_path):
    L = kerasx.layers
    model = kerasx.Sequential([kerasx.Input((8, 8, 3)), L.RandomFlip(seed=1),
                               L.RandomRotation(0.1), L.RandomContrast(0.2), L.Resizing(6, 6),
                               L.CenterCrop(5, 5), L.Conv2D(2, 3)])
    data = RNG.uniform(0, 255, (4, 8, 8, 3)).astype("float32")
    path = str(tmp_path / "augmenting.keras")
    model.save(path)
    want = model.predict(data, verbose=0)
    np.testing.assert_allclose(kerasx.saving.load_model(path).predict(data, verbose=0), want,
                               rtol=1e-6)
    np.testing.assert_allclose(keras.saving.load_model(path).predict(data, verbose=0), want,
                               rtol=1e-5, atol=1e-4)


def test_data_dicts_in_tf_data_on_every_backend(backend):
    labels = np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]]
    images = IMAGES.repeat(3, axis=0)
    for layer in (xl.MixUp(seed=1), xl.CutMix(seed=1), xl.RandomFlip(seed=2)):
        dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(3).map(
            lambda a, b: layer({"images": a, "labels": b}))
        twin = type(layer).from_config(layer.get_config())
        for got, i in zip(dataset, (0, 3)):
            want = twin({"images": images[i:i + 3], "labels": labels[i:i + 3]})
            for key in ("images", "labels"):
                np.testing.assert_allclose(np.asarray(got[key]), _np(want[key]), rtol=1e-6,
                                           atol=255e-6)
    boxes = {"boxes": RNG.uniform(0, 1, (6, 3, 4)).astype("float32"),
             "labels": np.ones((6, 3), "float32")}
    dataset = tf.data.Dataset.from_tensor_slices({"images": images, "bounding_boxes": boxes})
    dataset = dataset.batch(3).map(xl.MaxNumBoundingBoxes(5, bounding_box_format="xyxy"))
    assert tuple(dataset.element_spec["bounding_boxes"]["boxes"].shape[1:]) == (5, 4)
    first = next(iter(dataset))["bounding_boxes"]["labels"]
    np.testing.assert_array_equal(np.asarray(first)[0], [1, 1, 1, -1, -1])
