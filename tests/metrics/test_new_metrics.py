"""F-scores, R2, the IoU family, the correlations and the
sensitivity/specificity metrics against Keras 3 (TensorFlow backend) on every
kerasx backend: the same update_state sequence, the same result(), reset,
and config round trips."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from kerasx import metrics  # noqa: E402
from kerasx.backend import get_ops  # noqa: E402

RNG = np.random.default_rng(13)
N, C = 8, 3


def _batches(kind, count=3):
    out = []
    for _ in range(count):
        if kind == "multilabel":
            y_true = RNG.integers(0, 2, (N, C)).astype("float32")
            y_pred = RNG.uniform(0, 1, (N, C)).astype("float32")
        elif kind == "onehot":
            y_true = np.eye(C, dtype="float32")[RNG.integers(0, C, N)]
            y_pred = RNG.uniform(0, 1, (N, C)).astype("float32")
        elif kind == "regression":
            y_true = RNG.normal(size=(N, C)).astype("float32")
            y_pred = (y_true + RNG.normal(size=(N, C)) * 0.5).astype("float32")
        elif kind == "sparse":
            y_true = RNG.integers(0, C, N).astype("float32")
            y_pred = RNG.integers(0, C + 1, N).astype("float32")  # C: out of range
        elif kind == "binary":
            y_true = RNG.integers(0, 2, (N, 1)).astype("float32")
            y_pred = RNG.uniform(0, 1, (N, 1)).astype("float32")
        out.append((y_true, y_pred, RNG.uniform(0.2, 2.0, N).astype("float32")))
    return out


# (class name, constructor kwargs, data kind, weighted)
CASES = [
    ("F1Score", {}, "multilabel", True),
    ("F1Score", {"average": "macro", "threshold": 0.4}, "multilabel", True),
    ("F1Score", {"average": "micro"}, "onehot", True),
    ("FBetaScore", {"beta": 2.0, "average": "weighted", "threshold": 0.5}, "multilabel",
     True),
    ("R2Score", {}, "regression", True),
    ("R2Score", {"class_aggregation": None}, "regression", False),
    ("R2Score", {"class_aggregation": "variance_weighted_average", "num_regressors": 2},
     "regression", True),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2]}, "sparse", False),
    ("MeanIoU", {"num_classes": C}, "sparse", True),
    ("MeanIoU", {"num_classes": C, "ignore_class": 1, "dtype": "float32"}, "sparse", True),
    ("BinaryIoU", {}, "binary", False),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary", False),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1]}, "onehot", False),
    ("OneHotMeanIoU", {"num_classes": C}, "onehot", False),
    ("PearsonCorrelation", {}, "regression", True),
    ("PearsonCorrelation", {"axis": 0}, "regression", False),
    ("ConcordanceCorrelation", {}, "regression", True),
    ("PrecisionAtRecall", {"recall": 0.6}, "multilabel", True),
    ("RecallAtPrecision", {"precision": 0.5, "num_thresholds": 50}, "multilabel", True),
    ("SensitivityAtSpecificity", {"specificity": 0.7}, "multilabel", True),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "class_id": 1}, "onehot", True),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 1}, "multilabel",
     False),
]
IDS = [f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[1].items())}".rstrip("-") for c in CASES]


def _np(x):
    return np.asarray(get_ops().to_numpy(x))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_results_match_keras(backend, case):
    name, kwargs, kind, weighted = case
    mine = getattr(metrics, name)(**kwargs)
    ref = getattr(keras.metrics, name)(**kwargs)
    assert mine.name == ref.name
    batches = _batches(kind)
    for i, (y_true, y_pred, sw) in enumerate(batches):
        sw = sw if weighted and i % 2 == 0 else None
        mine.update_state(y_true, y_pred, sample_weight=sw)
        ref.update_state(y_true, y_pred, sample_weight=sw)
        got, want = _np(mine.result()), np.asarray(ref.result())
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"step {i}")
    mine.reset_state()
    ref.reset_state()
    y_true, y_pred, _ = batches[0]
    np.testing.assert_allclose(_np(mine(y_true, y_pred)), np.asarray(ref(y_true, y_pred)),
                               rtol=1e-5, atol=1e-6, err_msg="after reset")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_config_round_trip_matches_keras(case):
    name, kwargs, _, _ = case
    mine = getattr(metrics, name)(**kwargs)
    config = mine.get_config()
    assert config == getattr(keras.metrics, name)(**kwargs).get_config()
    assert getattr(metrics, name).from_config(config).get_config() == config
    again = metrics.deserialize(metrics.serialize(mine))
    assert type(again) is type(mine) and again.get_config() == config


@pytest.mark.parametrize("fn", ["pearson_correlation", "concordance_correlation",
                                "binary_focal_crossentropy",
                                "categorical_focal_crossentropy"])
def test_metric_functions_match_keras(backend, fn):
    y_true, y_pred, _ = _batches("onehot", 1)[0]
    got = _np(getattr(metrics, fn)(y_true, y_pred))
    np.testing.assert_allclose(got, np.asarray(getattr(keras.metrics, fn)(y_true, y_pred)),
                               rtol=1e-5, atol=1e-6)
    # By name, as Keras: the correlations give their metric class; the focal
    # cross-entropies are not metric names.
    if "correlation" in fn:
        assert type(metrics.get(fn)).__name__ == type(keras.metrics.get(fn)).__name__
    else:
        with pytest.raises(ValueError):
            metrics.get(fn)


def test_argument_errors_match_keras():
    for make in (lambda m: m.F1Score(average="median"), lambda m: m.FBetaScore(beta=2),
                 lambda m: m.R2Score(num_regressors=-1),
                 lambda m: m.IoU(num_classes=2, target_class_ids=[2]),
                 lambda m: m.PrecisionAtRecall(recall=1.5)):
        with pytest.raises(ValueError):
            make(keras.metrics)
        with pytest.raises(ValueError):
            make(metrics)


def test_adjusted_r2_falls_back_with_keras_warning(backend):
    y_true = np.array([[1.0], [2.0], [4.0]], "float32")
    y_pred = np.array([[1.5], [2.0], [3.0]], "float32")
    mine = metrics.R2Score(num_regressors=2)
    ref = keras.metrics.R2Score(num_regressors=2)
    mine.update_state(y_true, y_pred)
    ref.update_state(y_true, y_pred)
    with pytest.warns(UserWarning, match="Division by zero"):
        got = _np(mine.result())
    with pytest.warns(UserWarning, match="Division by zero"):
        want = np.asarray(ref.result())
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_fit_logs_the_new_metrics_as_keras(backend):
    import kerasx

    x = RNG.normal(size=(32, 5)).astype("float32")
    y = np.eye(C, dtype="float32")[RNG.integers(0, C, 32)]

    def model(lib):
        m = lib.Sequential([lib.Input((5,)), lib.layers.Dense(C, activation="softmax")])
        m.compile(lib.optimizers.SGD(0.1), "categorical_crossentropy",
                  metrics=[lib.metrics.F1Score(), lib.metrics.FBetaScore(beta=2.0,
                                                                         average="macro"),
                           lib.metrics.R2Score(), lib.metrics.OneHotMeanIoU(C),
                           lib.metrics.PrecisionAtRecall(0.5),
                           lib.metrics.PearsonCorrelation()])
        return m

    mine, ref = model(kerasx), model(keras)
    ref.set_weights(mine.get_weights())
    got = mine.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    want = ref.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(np.array(got[key], dtype=float),
                                   np.array(want[key], dtype=float), rtol=1e-5, atol=1e-6,
                                   err_msg=key)
    # A per-class result (F1Score, average=None) is logged as an array, as Keras.
    assert np.shape(got["f1_score"][0]) == (C,)
