"""kerasx.metrics against Keras 3 (TensorFlow backend) on every kerasx backend:
several batches of update_state with and without sample weights, result(),
reset_state(), the state variables, and get/serialize/deserialize."""
import functools

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from kerasx import metrics  # noqa: E402
from kerasx.backend import get_ops  # noqa: E402
from kerasx.variables import Variable  # noqa: E402

RTOL = 1e-5
ATOL = 1e-6
N, C, BATCHES = 16, 5, 3


@functools.lru_cache(maxsize=None)
def batches():
    """BATCHES batches of NumPy inputs of every kind, from one seed."""
    rng = np.random.default_rng(1234)
    out = []
    for _ in range(BATCHES):
        logits = rng.normal(size=(N, C)).astype("float32")
        probs = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype("float32")
        labels = rng.integers(0, C, N)
        out.append({
            "probs": probs, "logits": logits, "labels": labels.astype("int32"),
            "onehot": np.eye(C, dtype="float32")[labels],
            "bin_true": rng.integers(0, 2, (N, 1)).astype("float32"),
            "bin_pred": rng.random((N, 1)).astype("float32"),
            "bin_logits": rng.normal(size=(N, 1)).astype("float32") * 3,
            "multi_true": rng.integers(0, 2, (N, 3)).astype("float32"),
            "multi_pred": rng.random((N, 3)).astype("float32"),
            "reg_true": rng.normal(size=(N, 3)).astype("float32"),
            "reg_pred": rng.normal(size=(N, 3)).astype("float32"),
            "pos_true": rng.uniform(0.1, 3, (N, 3)).astype("float32"),
            "pos_pred": rng.uniform(0.1, 3, (N, 3)).astype("float32"),
            "values": rng.normal(size=(N,)).astype("float32"),
            "sample_weight": rng.random(N).astype("float32"),
        })
    return out


KINDS = {  # kind -> (y_true key, y_pred key)
    "categorical": ("onehot", "probs"), "categorical_logits": ("onehot", "logits"),
    "sparse": ("labels", "probs"), "sparse_logits": ("labels", "logits"),
    "binary": ("bin_true", "bin_pred"), "binary_logits": ("bin_true", "bin_logits"),
    "multi": ("multi_true", "multi_pred"), "regression": ("reg_true", "reg_pred"),
    "positive": ("pos_true", "pos_pred"),
}

CASES = [
    ("Accuracy", {}, "binary_rounded"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "multi"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("TopKCategoricalAccuracy", {}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "sparse"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.2, 0.5, 0.8]}, "multi"),
    ("Precision", {"top_k": 2}, "categorical"),
    ("Precision", {"class_id": 1}, "categorical"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "multi"),
    ("Recall", {"top_k": 1, "class_id": 2}, "categorical"),
    ("TruePositives", {}, "binary"),
    ("FalsePositives", {"thresholds": [0.3, 0.6]}, "binary"),
    ("TrueNegatives", {}, "multi"),
    ("FalseNegatives", {}, "binary"),
    ("AUC", {}, "binary"),
    ("AUC", {}, "multi"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"num_thresholds": 11, "summation_method": "minoring"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "binary"),
    ("AUC", {"thresholds": [0.1, 0.35, 0.8]}, "binary"),
    ("AUC", {"from_logits": True}, "binary_logits"),
    ("AUC", {"multi_label": True}, "multi"),
    ("AUC", {"multi_label": True, "num_labels": 3, "curve": "PR"}, "multi"),
    ("AUC", {"curve": "PRGAIN"}, "binary"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("LogCoshError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("KLDivergence", {}, "categorical"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "multi"),
    ("CategoricalHinge", {}, "categorical"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
     "categorical_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1},
     "sparse_logits"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2},
     "binary_logits"),
]
IDS = [f"{c[0]}-{c[2]}-{'-'.join(f'{k}={v}' for k, v in c[1].items())}".rstrip("-")
       for c in CASES]


def _inputs(batch, kind):
    if kind == "binary_rounded":
        return batch["bin_true"], np.round(batch["bin_pred"])
    true_key, pred_key = KINDS[kind]
    return batch[true_key], batch[pred_key]


def _np(x):
    return np.asarray(get_ops().to_numpy(x))


def _close(actual, expected, what, atol=ATOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=atol, err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_metric_matches_keras(backend, case):
    name, kwargs, kind = case
    for weighted in (False, True):
        mine = getattr(metrics, name)(**kwargs)
        ref = getattr(keras.metrics, name)(**kwargs)
        for batch in batches():
            y_true, y_pred = _inputs(batch, kind)
            sw = batch["sample_weight"] if weighted else None
            mine.update_state(y_true, y_pred, sample_weight=sw)
            ref.update_state(y_true, y_pred, sample_weight=sw)
            _close(_np(mine.result()), np.asarray(ref.result()),
                   f"{name} weighted={weighted}")
        # Same state variables as Keras: names, shapes and values.
        assert [v.name for v in mine.variables] == [v.name for v in ref.variables]
        for mv, rv in zip(mine.variables, ref.variables):
            assert mv.trainable is False
            # Keras derives fn and tn as totals minus tp and fp, which leaves
            # round-off (e.g. -2e-6 for 0) that kerasx's direct counts avoid.
            rv = np.asarray(rv)
            _close(mv.numpy(), rv, f"{name} state {mv.name}",
                   atol=max(ATOL, RTOL * float(np.abs(rv).max(initial=0.0))))
        mine.reset_state()
        ref.reset_state()
        for mv in mine.variables:
            assert not np.any(mv.numpy())
        _close(_np(mine.result()), np.asarray(ref.result()), f"{name} after reset")
        # And it accumulates again from zero; __call__ = update + result.
        y_true, y_pred = _inputs(batches()[0], kind)
        _close(_np(mine(y_true, y_pred)), np.asarray(ref(y_true, y_pred)),
               f"{name} after reset, __call__")


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_and_sum(backend, weighted):
    for name in ("Mean", "Sum"):
        mine, ref = getattr(metrics, name)(), getattr(keras.metrics, name)()
        for batch in batches():
            sw = batch["sample_weight"] if weighted else None
            mine.update_state(batch["values"], sample_weight=sw)
            ref.update_state(batch["values"], sample_weight=sw)
        # 2-D values with per-sample weights, and a Python scalar.
        mine.update_state(batch["reg_true"], sample_weight=batch["sample_weight"])
        ref.update_state(batch["reg_true"], sample_weight=batch["sample_weight"])
        mine.update_state(2.5)
        ref.update_state(2.5)
        _close(_np(mine.result()), np.asarray(ref.result()), name)
        mine.reset_state()
        assert float(_np(mine.result())) == 0.0


def test_mean_metric_wrapper_with_a_function(backend):
    def abs_diff(y_true, y_pred, scale=1.0):
        ops = get_ops()
        return ops.multiply(ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1),
                            scale)

    mine = metrics.MeanMetricWrapper(abs_diff, name="abs_diff", scale=3.0)
    ref = keras.metrics.MeanAbsoluteError()
    for batch in batches():
        mine.update_state(batch["reg_true"], batch["reg_pred"], batch["sample_weight"])
        ref.update_state(batch["reg_true"], batch["reg_pred"], batch["sample_weight"])
    _close(_np(mine.result()), 3.0 * np.asarray(ref.result()), "wrapper")
    assert mine.name == "abs_diff"


def test_custom_metric_subclass(backend):
    class CountPositives(metrics.Metric):
        def __init__(self, name="count_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_weight(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            ops = get_ops()
            pred = ops.convert_to_tensor(y_pred, "float32")
            self.count.assign_add(ops.sum(ops.cast(ops.greater(pred, 0.5), "float32")))

        def result(self):
            return self.count.value

    m = CountPositives()
    assert m(None, np.array([0.2, 0.7, 0.9], "float32")) is not None
    assert float(_np(m.result())) == 2.0
    assert len(m.variables) == 1 and isinstance(m.variables[0], Variable)
    assert m.variables[0].trainable is False
    m.reset_state()
    assert float(_np(m.result())) == 0.0


def test_result_is_a_native_tensor(backend):
    m = metrics.AUC()
    m.update_state(np.array([0, 1, 1, 0]), np.array([0.1, 0.8, 0.4, 0.3], "float32"))
    assert get_ops().is_tensor(m.result())
    assert abs(float(_np(m.result())) - 1.0) < 1e-6


def test_get_serialize_deserialize():
    assert metrics.get("accuracy") is metrics.accuracy
    assert metrics.get("acc") is metrics.accuracy
    for alias, cls in [("mse", metrics.MeanSquaredError),
                       ("mae", metrics.MeanAbsoluteError),
                       ("mape", metrics.MeanAbsolutePercentageError),
                       ("msle", metrics.MeanSquaredLogarithmicError),
                       ("AUC", metrics.AUC), ("auc", metrics.AUC),
                       ("binary_accuracy", metrics.BinaryAccuracy),
                       ("CategoricalCrossentropy", metrics.CategoricalCrossentropy),
                       ("root_mean_squared_error", metrics.RootMeanSquaredError)]:
        obj = metrics.get(alias)
        assert isinstance(obj, cls), alias
        # Keras gives the same kind of object.
        assert type(keras.metrics.get(alias)).__name__ == cls.__name__
    assert metrics.get(None) is None
    with pytest.raises(ValueError):
        metrics.get("no_such_metric")

    auc = metrics.AUC(num_thresholds=50, curve="PR", name="my_auc")
    config = metrics.serialize(auc)
    assert config["class_name"] == "AUC" and config["module"] == "keras.metrics"
    ref_config = keras.metrics.serialize(keras.metrics.AUC(num_thresholds=50,
                                                           curve="PR", name="my_auc"))
    assert config["config"] == ref_config["config"]
    back = metrics.deserialize(config)
    assert isinstance(back, metrics.AUC) and back.num_thresholds == 50 \
        and back.curve == "PR"
    precision = metrics.deserialize(keras.metrics.serialize(
        keras.metrics.Precision(thresholds=[0.3, 0.6], name="p")))
    assert precision.thresholds == [0.3, 0.6] and precision.name == "p"
    assert metrics.deserialize(metrics.serialize(metrics.binary_accuracy)) \
        is metrics.binary_accuracy
    top_k = metrics.deserialize(metrics.serialize(metrics.TopKCategoricalAccuracy(k=3)))
    assert top_k.k == 3
