"""STFTSpectrogram and MelSpectrogram against Keras 3 (TensorFlow backend):
values for every mode and layout, gradients of the trainable STFT kernels,
output shapes, configs, .keras files both ways, and a tf.data map."""
import numpy as np
import pytest

import kerasx
from kerasx import layers
from kerasx.backend import get_ops
from tests.layer_parity import (assert_close, check_config, check_output_shape, compare,
                                report_at_teardown)

keras = pytest.importorskip("keras")

_report = report_at_teardown("spectrograms")


def _signal(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, shape).astype("float32")


STFT_CASES = [dict(mode=mode, padding=padding, expand_dims=expand, data_format=fmt)
              for mode in ("log", "magnitude", "psd", "real", "imag", "angle", "stft")
              for padding, expand, fmt in (("valid", False, "channels_last"),
                                           ("same", True, "channels_last"),
                                           ("same", False, "channels_first"),
                                           ("valid", True, "channels_first"))]


@pytest.mark.parametrize("case", STFT_CASES,
                         ids=lambda c: "-".join(str(v) for v in c.values()))
def test_stft_spectrogram_matches_keras(backend, case):
    kwargs = dict(frame_length=48, frame_step=16, fft_length=64, **case)
    ref, layer = keras.layers.STFTSpectrogram(**kwargs), layers.STFTSpectrogram(**kwargs)
    x = _signal((2, 300, 3))
    if case["data_format"] == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    # Keras's float32 kernels carry its own rounding: copy them, then the
    # convolutions must agree to float32 precision.
    ref(x)
    layer.build(x.shape)
    assert [w.name for w in layer.weights] == [w.name for w in ref.weights]
    layer.set_weights(ref.get_weights())
    out = get_ops().to_numpy(layer(x))
    expected = np.asarray(ref(x))
    # Angles of near-zero bins are ill-conditioned; compare them where the
    # magnitude is not negligible.
    if case["mode"] == "angle":
        keep = np.asarray(keras.layers.STFTSpectrogram(**{**kwargs, "mode": "magnitude"})(
            x)) > 1e-3
        out, expected = out[keep], expected[keep]
    assert_close(f"STFTSpectrogram {case}", out, expected, backend, rtol=1e-5, atol=2e-5)
    check_output_shape(layer, ref, (None,) + x.shape[1:])


def test_stft_kernels_are_keras_initial_values(backend):
    """Kernels built by kerasx equal Keras's (to Keras's float32 rounding)
    for named, periodic, array and absent windows (Keras rounds the phase
    -2 pi t f in float32: up to about 1e-5 for these frame lengths)."""
    for window, periodic, scaling in (("hann", False, "density"), ("hamming", True, "spectrum"),
                                      (np.linspace(0.1, 1.0, 40), False, None),
                                      (None, False, "density")):
        kwargs = dict(mode="stft", frame_length=40, fft_length=64, window=window,
                      periodic=periodic, scaling=scaling)
        ref, layer = keras.layers.STFTSpectrogram(**kwargs), layers.STFTSpectrogram(**kwargs)
        ref.build((None, 100, 1))
        layer.build((None, 100, 1))
        for ours, theirs in zip(layer.get_weights(), ref.get_weights()):
            assert_close(f"kernel {window!r}", ours, theirs, backend, rtol=0, atol=2e-5)


def test_stft_spectrogram_gradients(backend):
    """Outputs and gradients w.r.t. the signal and both trainable kernels."""
    kwargs = dict(mode="magnitude", frame_length=32, frame_step=8, fft_length=32)
    compare(backend, layers.STFTSpectrogram(**kwargs), keras.layers.STFTSpectrogram(**kwargs),
            _signal((2, 100, 2)), trainings=(False,), randomize=False,
            grad_tol=(1e-4, 1e-5))


def test_stft_spectrogram_trainable_flag_and_config(backend):
    layer = layers.STFTSpectrogram(mode="real", frame_length=30, window="hamming",
                                   trainable=False)
    ref = keras.layers.STFTSpectrogram(mode="real", frame_length=30, window="hamming",
                                       trainable=False)
    layer.build((None, 64, 1))
    ref.build((None, 64, 1))
    assert [w.name for w in layer.weights] == ["real_kernel"]
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 1
    assert layer._fft_length == 32 and layer._frame_step == 15
    check_config(layer, ref)


def test_stft_spectrogram_bad_arguments():
    with pytest.raises(ValueError, match="frame_step"):
        layers.STFTSpectrogram(frame_length=8, frame_step=9)
    with pytest.raises(ValueError, match="fft_length"):
        layers.STFTSpectrogram(frame_length=64, fft_length=32)
    with pytest.raises(ValueError, match="mode"):
        layers.STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="padding"):
        layers.STFTSpectrogram(padding="causal")
    with pytest.raises(ValueError, match="Scaling"):
        layers.STFTSpectrogram(scaling="energy")
    with pytest.warns(UserWarning, match="power of two"):
        layers.STFTSpectrogram(frame_length=48, fft_length=48)


def test_stft_spectrogram_saves_both_ways(backend, tmp_path):
    """kerasx .keras -> Keras 3 and Keras 3 .keras -> kerasx, same outputs,
    with trained (not initial) kernels."""
    x = _signal((2, 200, 1))
    rng = np.random.default_rng(3)

    def build(lib):
        inputs = lib.Input((200, 1))
        spec = lib.layers.STFTSpectrogram(mode="log", frame_length=64, frame_step=32,
                                          padding="same")(inputs)
        return lib.Model(inputs, lib.layers.Dense(3)(spec))

    model = build(kerasx)
    model.set_weights([w + rng.normal(0, 0.01, w.shape).astype("float32")
                       for w in model.get_weights()])
    expected = get_ops().to_numpy(model(x))
    path = str(tmp_path / "kerasx.keras")
    model.save(path)
    theirs = keras.models.load_model(path)
    assert_close("Keras loads kerasx", np.asarray(theirs(x)), expected, backend,
                 rtol=1e-5, atol=1e-5)

    ref = build(keras)
    ref.set_weights([w + rng.normal(0, 0.01, w.shape).astype("float32")
                     for w in ref.get_weights()])
    path = str(tmp_path / "keras.keras")
    ref.save(path)
    ours = kerasx.models.load_model(path)
    assert_close("kerasx loads Keras", get_ops().to_numpy(ours(x)), np.asarray(ref(x)),
                 backend, rtol=1e-5, atol=1e-5)


MEL_CASES = [
    dict(fft_length=256, sequence_stride=64),
    dict(num_mel_bins=40, sampling_rate=8000, sequence_stride=128, fft_length=512,
         sequence_length=400, window="hamming", power_to_db=False, mag_exp=1.0),
    dict(fft_length=128, sequence_stride=50, top_db=20.0, ref_power=2.0, min_freq=100.0,
         max_freq=3000.0, num_mel_bins=16, sampling_rate=8000),
    dict(fft_length=128, sequence_stride=32, window=None, power_to_db=False),
]


@pytest.mark.parametrize("case", MEL_CASES, ids=range(len(MEL_CASES)))
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
def test_mel_spectrogram_matches_keras(backend, case, batched):
    x = _signal((2, 1500) if batched else (1500,), seed=1)
    ref, layer = keras.layers.MelSpectrogram(**case), layers.MelSpectrogram(**case)
    expected = np.asarray(ref(x))
    out = get_ops().to_numpy(layer(x))
    # Keras builds its mel matrix in float32 with TensorFlow, whose log is off
    # by one ulp for some values; the narrow triangles amplify that, so its
    # weights are within 3e-5 of the exact ones kerasx uses (with Keras's
    # matrix kerasx agrees to 6e-7): bars of 5e-5 of the largest value, and
    # in dB 1e-3 dB.
    if case.get("power_to_db", True):
        assert_close(f"MelSpectrogram dB {case}", out, expected, backend, rtol=0, atol=1e-3)
    else:
        scale = float(np.abs(expected).max())
        assert_close(f"MelSpectrogram {case}", out / scale, expected / scale, backend,
                     rtol=0, atol=5e-5)
    check_output_shape(layer, ref, x.shape)
    check_output_shape(layer, ref, (None,) * x.ndim)


def test_mel_weight_matrix_matches_keras():
    from kerasx.layers.preprocessing.mel_spectrogram import linear_to_mel_weight_matrix

    ref = keras.layers.MelSpectrogram()
    for args in ((128, 129, 16000, 20.0, 8000), (40, 257, 8000, 125.0, 3800.0)):
        np.testing.assert_allclose(linear_to_mel_weight_matrix(*args),
                                   np.asarray(ref.linear_to_mel_weight_matrix(*args)),
                                   rtol=0, atol=2e-5)


def test_mel_spectrogram_config_and_errors(backend):
    kwargs = dict(num_mel_bins=20, sampling_rate=22050, sequence_length=300, fft_length=512)
    check_config(layers.MelSpectrogram(**kwargs), keras.layers.MelSpectrogram(**kwargs))
    assert layers.MelSpectrogram().get_config()["max_freq"] == 8000
    with pytest.raises(ValueError, match="fft_length"):
        layers.MelSpectrogram(fft_length=256, sequence_length=512)


def test_mel_spectrogram_in_model_and_tf_data(backend):
    """In a functional model, and mapped over a tf.data pipeline whatever the
    backend, with Keras's values."""
    import tensorflow as tf

    kwargs = dict(fft_length=128, sequence_stride=64, num_mel_bins=20)
    x = _signal((4, 640), seed=2)
    expected = np.asarray(keras.layers.MelSpectrogram(**kwargs)(x[:2]))
    inputs = kerasx.Input((640,))
    model = kerasx.Model(inputs, layers.MelSpectrogram(**kwargs)(inputs))
    assert tuple(model.output_shape) == (None, 20, 11)
    assert_close("in a model", get_ops().to_numpy(model(x[:2])), expected, backend,
                 rtol=0, atol=1e-3)
    layer = layers.MelSpectrogram(**kwargs)
    batches = list(tf.data.Dataset.from_tensor_slices(x).batch(2).map(layer))
    assert tuple(batches[0].shape) == (2, 20, 11)
    assert_close("tf.data map", batches[0].numpy(), expected, backend, rtol=0, atol=1e-3)


def test_mel_spectrogram_models_load_both_ways(backend, tmp_path):
    """A model holding a MelSpectrogram (no weights: its config carries it)
    saved by Keras loads in kerasx, and the other way round."""
    kwargs = dict(fft_length=128, sequence_stride=32, num_mel_bins=12, sampling_rate=8000,
                  window="hamming", top_db=40.0)
    x = _signal((2, 320), seed=4)

    def build(lib):
        inputs = lib.Input((320,))
        return lib.Model(inputs, lib.layers.MelSpectrogram(**kwargs)(inputs))

    ref = build(keras)
    expected = np.asarray(ref(x))
    ref.save(str(tmp_path / "keras.keras"))
    ours = kerasx.models.load_model(str(tmp_path / "keras.keras"))
    assert_close("kerasx loads Keras", get_ops().to_numpy(ours(x)), expected, backend,
                 rtol=0, atol=1e-3)
    build(kerasx).save(str(tmp_path / "kerasx.keras"))
    theirs = keras.models.load_model(str(tmp_path / "kerasx.keras"))
    assert theirs.layers[-1].get_config()["window"] == "hamming"
    np.testing.assert_array_equal(np.asarray(theirs(x)), expected)
