"""The pytest form of the training conformance suite (issue 4): the digits
case on every installed backend, float32 and float64, each run in its own
process, against each other and against Keras 3; and the localisation of a
deliberate fault. Small on purpose (a few hundred images, 3 epochs): the full
report is `python -m conformance.run_training`."""
import json
import os

import numpy as np
import pytest

from kerasx.backend import registry

from .training import report, suite, verdict

BACKENDS = [b for b in suite.BACKENDS
            if b in {p.name for p in registry.discover().values() if p.is_available()}]

SMALL = {"epochs": 3, "batch_size": 32, "seed": 1337, "data": "digits", "n_train": 256,
         "n_test": 200, "jobs": 2}


def _keras_backends():
    try:
        import importlib.util
        found = importlib.util.find_spec("keras") is not None
    except ImportError:
        found = False
    return ("tensorflow", "torch") if found else ()


@pytest.fixture(scope="module")
def digits_report(tmp_path_factory):
    if len(BACKENDS) < 2:
        pytest.skip("training conformance needs at least two installed backends")
    out = tmp_path_factory.mktemp("training")
    keras_backends = [b for b in _keras_backends() if b in BACKENDS]
    options = dict(SMALL, models=["cnn", "cnn_bn_dropout", "lstm"], backends=BACKENDS,
                   dtypes=["float32", "float64"], devices=["cpu"],
                   keras=bool(keras_backends), keras_backends=keras_backends,
                   localise=True, out_dir=str(out))
    result = suite.run_suite(options, log=lambda m: None)
    return result, out


def test_every_backend_trains_identically_on_digits(digits_report):
    result, _ = digits_report
    assert not result["failed_runs"], result["failed_runs"]
    assert result["passed"], report.table(result)
    kinds = {(c["kind"], c["dtype"]) for c in result["comparisons"] if c["enforced"]}
    assert {("backend", "float32"), ("backend", "float64")} <= kinds
    if "tensorflow" in BACKENDS:  # compiled runs (tf.function, XLA) against eager ones
        assert {("mode", "float32"), ("mode", "float64")} <= kinds
        modes = {c["b"] for c in result["comparisons"] if c["kind"] == "mode"}
        assert {"kerasx-tensorflow+graph/cpu", "kerasx-tensorflow+jit/cpu"} <= modes
    if "mxnet" in BACKENDS:  # hybridized runs (CachedOps) against eager ones
        modes = {c["b"] for c in result["comparisons"] if c["kind"] == "mode"}
        assert {"kerasx-mxnet+graph/cpu", "kerasx-mxnet+jit/cpu"} <= modes
    steps = -(-SMALL["n_train"] // SMALL["batch_size"]) * SMALL["epochs"]
    for c in result["comparisons"]:
        assert len(c["loss_rel_steps"]) == steps
        if c["kind"] == "backend" and c["dtype"] == "float64":
            assert c["loss_rel"] <= 1e-10 and c["weight_abs"] <= 1e-10


def test_the_report_is_written(digits_report, tmp_path):
    result, _ = digits_report
    png = report.figure(result, str(tmp_path / "report.png"))
    report.write_json(result, str(tmp_path / "report.json"))
    assert os.path.getsize(png) > 10_000
    with open(tmp_path / "report.json") as f:
        data = json.load(f)
    assert data["passed"] is True and data["rows"]
    text = report.table(result)
    assert "PASS" in text and "cnn_bn_dropout" in text


@pytest.mark.skipif(len(BACKENDS) < 2, reason="needs two backends")
def test_localisation_names_the_faulty_layer(tmp_path):
    """A fault injected into one backend's second convolution (its output
    scaled by 1 + 1e-6) is found: first step 0, layer conv2d_1, forward."""
    a, b = BACKENDS[:2]
    options = dict(SMALL, n_train=64, n_test=32, epochs=1)
    runs = {}
    for backend, fault in ((a, None), (b, {"layer": 2, "scale": 1 + 1e-6})):
        spec = suite.make_spec("kerasx", backend, "cpu", "float64", "cnn", options,
                               str(tmp_path), **({"fault": fault} if fault else {}))
        ok, _, err = suite.run_worker(spec)
        assert ok, err
        runs[suite.run_id("kerasx", backend, "cpu", "float64", "cnn")] = {"spec": spec}
    keys = list(runs)
    npz = [np.load(runs[k]["spec"]["out"] + ".npz") for k in keys]
    c = verdict.compare(npz[0], npz[1], "cnn", "float64")
    assert not c["passed"] and c["first_step"] == 0
    c.update(kind="backend", run_a=keys[0], run_b=keys[1], a=a, b=b, dtype="float64",
             model="cnn")
    loc = suite._localise(c, runs, {}, options, str(tmp_path))
    assert loc["where"] == "forward", loc
    assert loc["layer"].startswith("conv2d") and loc["layer"] != "conv2d", loc
    assert loc["rel_dev"] > 1e-10
    assert "conv2d" in report.describe_localisation(loc)


class _Npz(dict):
    """A run's .npz contents, as `_load` gives them."""

    @property
    def files(self):
        return list(self)


def _fake_run(loss, weight):
    return (_Npz(step_loss=np.asarray(loss, "float64"), w0=np.asarray([weight]),
                 pred=np.eye(3)), None)


@pytest.mark.parametrize("model, held", [("functional", "float32"), ("cnn", "float64")])
def test_gpu_runs_are_held_to_float64_bars_unless_a_reason_is_recorded(model, held):
    # A float64 GPU run 5e-10 away from its CPU run (what the functional
    # model's float32 learning-rate schedule gives on CUDA) passes only for
    # the model whose reason is recorded in DEVICE_FLOAT32_IN_FLOAT64.
    cpu = suite.run_id("kerasx", "torch", "cpu", "float64", model)
    gpu = suite.run_id("kerasx", "torch", "gpu", "float64", model)
    loaded = {cpu: _fake_run([1.0, 0.5], 0.25), gpu: _fake_run([1.0, 0.5 * (1 + 5e-10)], 0.25)}
    [pair] = suite._compare_group(model, "float64", {}, loaded, ["cpu", "gpu"], ["torch"])
    assert pair["kind"] == "device" and pair["held_to"] == held
    assert pair["passed"] is (held == "float32")
    assert ("note" in pair) is (held == "float32")
