"""kerasx.distillation.Distiller against Keras 3's (TensorFlow backend): the
same teacher, student, data and SGD give the same loss curve, student
weights, evaluation and predictions on every kerasx backend, eager and
compiled; the teacher stays frozen; the same bad arguments are refused;
configs and .keras files cross between kerasx and Keras."""
import io
import json
import warnings
import zipfile

import numpy as np
import pytest

import kerasx
from tests.distillation import distill_models as dm

RTOL, ATOL = 1e-5, 1e-6


def _fit(lib, distiller, run_eagerly=None):
    x, y = dm.data()
    kwargs = {} if run_eagerly is None else {"run_eagerly": run_eagerly}
    distiller.compile(**dm.compile_args(lib), **kwargs)
    history = distiller.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
    evaluation = distiller.evaluate(x, y, verbose=0, return_dict=True)
    predictions = distiller.predict(x, verbose=0)
    return history, evaluation, predictions


@pytest.fixture(scope="module")
def keras_run():
    """Keras 3's run, the reference for every backend and mode."""
    import keras

    distiller = dm.distiller(keras)
    history, evaluation, predictions = _fit(keras, distiller)
    return dict(history=history, evaluation=evaluation, predictions=predictions,
                student=[np.asarray(w) for w in distiller.student.get_weights()],
                metrics_names=distiller.metrics_names,
                flat_evaluation=distiller.evaluate(*dm.data(), verbose=0))


@pytest.mark.parametrize("run_eagerly", [False, True], ids=["compiled", "eager"])
def test_training_tracks_keras(backend, keras_run, run_eagerly):
    distiller = dm.distiller(kerasx)
    history, evaluation, predictions = _fit(kerasx, distiller, run_eagerly)
    ref = keras_run["history"]
    assert sorted(history) == sorted(ref) == ["accuracy", "distillation_loss", "loss",
                                              "student_loss", "total_loss"]
    for key in ref:
        np.testing.assert_allclose(history[key], ref[key], rtol=RTOL, atol=ATOL, err_msg=key)
    # The loss trains down, and "loss" is the total loss, as in Keras.
    assert history["loss"][-1] < history["loss"][0]
    np.testing.assert_allclose(history["loss"], history["total_loss"], rtol=1e-6)
    for key, value in keras_run["evaluation"].items():
        np.testing.assert_allclose(evaluation[key], value, rtol=RTOL, atol=ATOL, err_msg=key)
    np.testing.assert_allclose(predictions, keras_run["predictions"], rtol=RTOL, atol=ATOL)
    for ours, theirs in zip(distiller.student.get_weights(), keras_run["student"]):
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    assert distiller.metrics_names == keras_run["metrics_names"]
    np.testing.assert_allclose(distiller.evaluate(*dm.data(), verbose=0),
                               keras_run["flat_evaluation"], rtol=RTOL, atol=ATOL)


def test_teacher_is_frozen(backend):
    distiller = dm.distiller(kerasx)
    teacher = distiller.teacher
    before = [np.array(w) for w in teacher.get_weights()]
    assert not teacher.trainable and all(not layer.trainable for layer in teacher.layers)
    assert distiller.student.trainable
    student_ids = {id(v) for v in distiller.student.trainable_variables}
    assert {id(v) for v in distiller.trainable_variables} == student_ids
    assert len(distiller.trainable_variables) == len(student_ids) == 4
    _fit(kerasx, distiller)
    for w0, w1 in zip(before, teacher.get_weights()):
        np.testing.assert_array_equal(w0, w1)
    assert any(not np.array_equal(w, s) for w, s in zip(distiller.student.get_weights(),
                                                           dm.STUDENT_WEIGHTS))


def test_call_and_predict_are_the_student(backend):
    x, _ = dm.data()
    distiller = dm.distiller(kerasx)  # predict needs no compile
    np.testing.assert_allclose(distiller.predict(x, verbose=0),
                               dm.numpy(distiller.student(x)), rtol=1e-6)
    np.testing.assert_allclose(dm.numpy(distiller(x)), dm.numpy(distiller.student(x)),
                               rtol=1e-6)


def _compute_loss(lib, distiller):
    x, y = dm.data()
    distiller.compile(**dm.compile_args(lib))
    if lib is kerasx:
        x = kerasx.ops.convert_to_tensor(x)
        y = kerasx.ops.convert_to_tensor(y)
    total = distiller.compute_loss(x, y, distiller(x))
    trackers = [distiller.student_loss_tracker, distiller.distillation_loss_tracker,
                distiller.total_loss_tracker]
    return [float(dm.numpy(total))] + [float(dm.numpy(t.result())) for t in trackers]


@pytest.mark.parametrize("student_loss_weight", [0.0, 1.0, 0.7])
def test_compute_loss_matches_keras(backend, student_loss_weight):
    import keras

    expected = _compute_loss(keras, dm.distiller(keras, student_loss_weight))
    actual = _compute_loss(kerasx, dm.distiller(kerasx, student_loss_weight))
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)
    if student_loss_weight == 0.0:
        assert actual[1] == 0.0
    if student_loss_weight == 1.0:
        assert actual[2] == 0.0


def _two_outputs(lib, prefix, hidden):
    inputs = lib.Input((dm.INPUT_DIM,))
    h = lib.layers.Dense(hidden, activation="tanh", name=f"{prefix}_h")(inputs)
    a = lib.layers.Dense(3, name=f"{prefix}_a")(h)
    b = lib.layers.Dense(2, name=f"{prefix}_b")(h)
    model = lib.Model(inputs, [a, b])
    rng = np.random.default_rng(len(prefix) + hidden)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") * 0.5
                       for w in model.get_weights()])
    return model


def _two_output_distiller(lib, student_loss_weight, second_loss=None):
    D = lib.distillation
    distiller = D.Distiller(
        _two_outputs(lib, "t", 7), _two_outputs(lib, "s", 5),
        [D.LogitsDistillation(2.0, ["kl_divergence", None]),
         D.FeatureDistillation([lib.losses.MeanAbsoluteError(), "mse"])],
        [0.4, 0.6], student_loss_weight=student_loss_weight)
    distiller.compile(optimizer=lib.optimizers.SGD(0.05),
                      loss=[lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                            second_loss or lib.losses.MeanSquaredError()])
    return distiller


def _two_output_data():
    x, y = dm.data()
    return x, [y, np.random.default_rng(5).standard_normal((len(x), 2)).astype("float32")]


def test_multi_output_distillation_tracks_keras(backend):
    """Several outputs, a loss skipped with None. (Keras 3.15 cannot combine
    several outputs with a student loss: its compiled list of losses is a
    TrackedList that its own tree functions refuse to match with y.)"""
    import keras

    x, ys = _two_output_data()
    histories = [_two_output_distiller(lib, 0.0).fit(x, ys, batch_size=6, epochs=2,
                                                      shuffle=False, verbose=0).history
                 for lib in (keras, kerasx)]
    assert sorted(histories[0]) == sorted(histories[1])
    for key in histories[0]:
        np.testing.assert_allclose(histories[1][key], histories[0][key], rtol=RTOL,
                                   atol=ATOL, err_msg=key)


def test_multi_output_student_loss(backend):
    x, ys = _two_output_data()
    distiller = _two_output_distiller(kerasx, 0.25)
    tensors = kerasx.ops.convert_to_tensor
    y_pred = distiller(tensors(x))
    total = float(dm.numpy(distiller.compute_loss(tensors(x), [tensors(ys[0]), tensors(ys[1])],
                                                  y_pred)))
    a, b = dm.numpy(y_pred)
    logits = a - a.max(-1, keepdims=True)
    cross_entropy = np.mean(np.log(np.exp(logits).sum(-1)) - logits[np.arange(len(a)), ys[0]])
    student = cross_entropy + np.mean((b - ys[1]) ** 2)
    np.testing.assert_allclose(float(dm.numpy(distiller.student_loss_tracker.result())),
                               student, rtol=1e-5)
    distill = float(dm.numpy(distiller.distillation_loss_tracker.result()))
    np.testing.assert_allclose(total, 0.25 * student + 0.75 * distill, rtol=1e-5)
    history = distiller.fit(x, ys, batch_size=6, epochs=2, shuffle=False, verbose=0).history
    assert history["loss"][1] < history["loss"][0]
    # A scalar and a per-sample loss cannot be summed (Keras fails inside
    # its stack op); kerasx says why.
    mixed = _two_output_distiller(kerasx, 0.25, second_loss="mse")
    with pytest.raises(ValueError, match="different shapes"):
        mixed.compute_loss(tensors(x), [tensors(ys[0]), tensors(ys[1])], y_pred)


class _Scaled:
    """A custom distillation loss: twice the mean squared difference."""

    @staticmethod
    def make(lib):
        class ScaledMSE(lib.distillation.DistillationLoss):
            def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
                diff = lib.ops.subtract(teacher_outputs, student_outputs)
                return lib.ops.multiply(2.0, lib.ops.mean(lib.ops.square(diff)))

        return ScaledMSE()


def test_custom_distillation_loss(backend):
    import keras

    expected = _compute_loss(keras, dm.distiller(keras, 0.5, losses=_Scaled.make(keras),
                                                 weights=None))
    actual = _compute_loss(kerasx, dm.distiller(kerasx, 0.5, losses=_Scaled.make(kerasx),
                                                weights=None))
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


def test_non_scalar_distillation_loss_is_refused(backend):
    class PerSample(kerasx.distillation.DistillationLoss):
        def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
            return kerasx.ops.mean(kerasx.ops.square(teacher_outputs - student_outputs), -1)

    distiller = dm.distiller(kerasx, losses=PerSample(), weights=None)
    with pytest.raises(ValueError, match="must return a scalar"):
        _compute_loss(kerasx, distiller)


# -- errors -------------------------------------------------------------------------
ERRORS = {
    "teacher_not_a_model": lambda lib: lib.distillation.Distiller(
        "not a model", dm.student(lib), lib.distillation.LogitsDistillation()),
    "student_not_a_model": lambda lib: lib.distillation.Distiller(
        dm.teacher(lib), object(), lib.distillation.LogitsDistillation()),
    "output_shapes": lambda lib: lib.distillation.Distiller(
        dm.teacher(lib), dm.student(lib, outputs=4), lib.distillation.LogitsDistillation()),
    "input_shapes": lambda lib: lib.distillation.Distiller(
        dm.teacher(lib), dm.student(lib, input_dim=5), lib.distillation.LogitsDistillation()),
    "input_dtypes": lambda lib: lib.distillation.Distiller(
        dm.teacher(lib, dtype="float64"), dm.student(lib),
        lib.distillation.LogitsDistillation()),
    "weights_length": lambda lib: lib.distillation.Distiller(
        dm.teacher(lib), dm.student(lib),
        [lib.distillation.LogitsDistillation(), lib.distillation.FeatureDistillation()],
        distillation_loss_weights=[1.0]),
    "student_loss_weight_range": lambda lib: dm.distiller(lib, student_loss_weight=1.5),
    "student_loss_weight_type": lambda lib: dm.distiller(lib, student_loss_weight="0.5"),
    "losses_none": lambda lib: lib.distillation.Distiller(dm.teacher(lib), dm.student(lib),
                                                          None),
    "unknown_teacher_layer": lambda lib: dm.distiller(lib, losses=[
        lib.distillation.FeatureDistillation(teacher_layer_name="nope")], weights=None),
    "unknown_student_layer": lambda lib: dm.distiller(lib, losses=[
        lib.distillation.FeatureDistillation(teacher_layer_name="t_h2",
                                             student_layer_name="nope")], weights=None),
    "compile_without_loss": lambda lib: dm.distiller(lib).compile(optimizer="sgd"),
    "compile_metrics_not_a_list": lambda lib: dm.distiller(lib).compile(
        optimizer="sgd", loss="mse", metrics="accuracy"),
}
MESSAGES = {
    "output_shapes": "output shapes are incompatible",
    "input_shapes": "input shapes are incompatible",
    "input_dtypes": "input dtypes must match",
    "weights_length": "1 distillation_loss_weights for 2 distillation_losses",
    "student_loss_weight_range": "between 0.0 and 1.0",
    "unknown_teacher_layer": "In teacher model: No such layer: 'nope'",
    "unknown_student_layer": "In student model",
    "compile_without_loss": "'loss' cannot be None",
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_as_keras(backend, case):
    import keras

    with pytest.raises(ValueError):
        ERRORS[case](keras)
    with pytest.raises(ValueError, match=MESSAGES.get(case, "")):
        ERRORS[case](kerasx)


def test_a_loss_that_is_not_a_distillation_loss(backend):
    with pytest.raises(ValueError, match="must be a kerasx.distillation.DistillationLoss"):
        kerasx.distillation.Distiller(dm.teacher(kerasx), dm.student(kerasx), "kl_divergence")


def test_single_loss_ignores_weights_as_keras(backend):
    distiller = kerasx.distillation.Distiller(
        dm.teacher(kerasx), dm.student(kerasx), kerasx.distillation.LogitsDistillation(),
        distillation_loss_weights=[5.0, 6.0])
    assert distiller.distillation_losses[0].temperature == 3.0
    assert distiller.distillation_loss_weights == [1.0]


# -- configs and files ----------------------------------------------------------------
def test_config_round_trip_and_from_keras(backend):
    import keras

    x, _ = dm.data()
    ours = dm.distiller(kerasx)
    config = ours.get_config()
    keras_config = dm.distiller(keras).get_config()
    assert set(config) == set(keras_config)
    assert config["distillation_losses"] == keras_config["distillation_losses"]
    assert config["distillation_loss_weights"] == [1.0, 0.5]
    assert config["student_loss_weight"] == 0.3
    for source in (config, keras_config):
        rebuilt = kerasx.distillation.Distiller.from_config(json.loads(json.dumps(source)))
        assert isinstance(rebuilt, kerasx.distillation.Distiller)
        assert rebuilt.student_loss_weight == 0.3
        assert [type(d).__name__ for d in rebuilt.distillation_losses] == \
            ["LogitsDistillation", "FeatureDistillation"]
        assert rebuilt.distillation_losses[0].temperature == 2.0
        assert rebuilt.distillation_losses[1].teacher_layer_name == "t_h2"
        assert not rebuilt.teacher.trainable
        rebuilt.teacher.set_weights(dm.TEACHER_WEIGHTS)
        rebuilt.student.set_weights(dm.STUDENT_WEIGHTS)
        np.testing.assert_allclose(rebuilt.predict(x, verbose=0), ours.predict(x, verbose=0),
                                   rtol=1e-6)
    # Keras rebuilds kerasx's config.
    theirs = keras.distillation.Distiller.from_config(json.loads(json.dumps(config)))
    assert theirs.student_loss_weight == 0.3
    assert theirs.distillation_losses[1].student_layer_name == "s_h1"


def _h5_paths(path):
    import h5py

    with zipfile.ZipFile(path) as archive:
        data = archive.read("model.weights.h5")
    names = []
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visit(names.append)
    return names


def test_keras_file_both_ways(backend, tmp_path):
    import keras

    x, y = dm.data()
    ours = dm.distiller(kerasx)
    ours.compile(**dm.compile_args(kerasx))
    ours.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    ours.save(tmp_path / "kerasx.keras")
    theirs = dm.distiller(keras)
    theirs.compile(**dm.compile_args(keras))
    theirs.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    theirs.save(tmp_path / "keras.keras")
    # The same HDF5 layout: teacher and student under layers/, as Keras walks them.
    assert _h5_paths(tmp_path / "kerasx.keras") == _h5_paths(tmp_path / "keras.keras")
    assert "layers/sequential/layers/dense/vars/0" in _h5_paths(tmp_path / "kerasx.keras")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        in_keras = keras.models.load_model(tmp_path / "kerasx.keras")
    assert isinstance(in_keras, keras.distillation.Distiller)
    np.testing.assert_allclose(in_keras.predict(x, verbose=0), ours.predict(x, verbose=0),
                               rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dm.numpy(in_keras.teacher(x)), dm.numpy(ours.teacher(x)),
                               rtol=RTOL, atol=ATOL)

    for path, source in ((tmp_path / "keras.keras", theirs), (tmp_path / "kerasx.keras", ours)):
        with pytest.warns(UserWarning, match="compile\\(\\)` method is custom"):
            loaded = kerasx.models.load_model(path)
        assert isinstance(loaded, kerasx.distillation.Distiller)
        assert not loaded.compiled  # as Keras: a custom compile() is not replayed
        assert loaded.student_loss_weight == 0.3 and not loaded.teacher.trainable
        np.testing.assert_allclose(loaded.predict(x, verbose=0), source.predict(x, verbose=0),
                                   rtol=RTOL, atol=ATOL)
        for ours_w, source_w in zip(loaded.teacher.get_weights(), dm.TEACHER_WEIGHTS):
            np.testing.assert_array_equal(ours_w, source_w)
        # Recompiled, it trains on.
        loaded.compile(**dm.compile_args(kerasx))
        loss = loaded.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        assert np.isfinite(loss.history["loss"][0])


def _subclassed(lib, hidden, weights):
    class Net(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense1 = lib.layers.Dense(hidden, activation="relu")
            self.dense2 = lib.layers.Dense(dm.CLASSES)

        def call(self, inputs, training=None):
            return self.dense2(self.dense1(inputs))

    model = Net()
    model(dm.data()[0][:2])
    model.set_weights(weights)
    return model


def test_subclassed_models_track_keras(backend):
    """Subclassed teacher and student (no symbolic inputs): logits and
    final-output feature distillation."""
    import keras

    rng = np.random.default_rng(3)
    teacher_weights = [rng.standard_normal(s).astype("float32") * 0.5
                       for s in [(4, 7), (7,), (7, 3), (3,)]]
    x, y = dm.data()
    histories = []
    for lib in (keras, kerasx):
        D = lib.distillation
        distiller = D.Distiller(_subclassed(lib, 7, teacher_weights),
                                _subclassed(lib, 6, dm.STUDENT_WEIGHTS),
                                [D.LogitsDistillation(temperature=5.0,
                                                      loss=lib.losses.KLDivergence()),
                                 D.FeatureDistillation(loss="mae")], [0.8, 0.2],
                                student_loss_weight=0.6)
        distiller.compile(**dm.compile_args(lib))
        histories.append(distiller.fit(x, y, batch_size=6, epochs=2, shuffle=False,
                                       verbose=0).history)
    for key in histories[0]:
        np.testing.assert_allclose(histories[1][key], histories[0][key], rtol=RTOL,
                                   atol=ATOL, err_msg=key)
