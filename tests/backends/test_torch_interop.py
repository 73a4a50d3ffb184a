"""PyTorch interop (issue 12 item 2): kerasx layers and models are
torch.nn.Modules whose parameters are the kerasx variables, trained by plain
torch loops and optimizers to the same numbers as Keras 3's torch backend
(run in a subprocess with KERAS_BACKEND=torch, from the same weights)."""
import json

import numpy as np
import pytest

from tests.conftest import run_python
from tests.interop_helpers import selected_backend

torch = pytest.importorskip("torch")

# Runs under Keras 3 (KERAS_BACKEND=torch, in a subprocess) and under kerasx:
# the same model, weights and data, trained by torch's own loop.
_PROGRAM = r'''
import json, sys
import numpy as np
import torch
KERAS = __KERAS__
d = np.load(sys.argv[1])
out = {}

def model():
    return KERAS.Sequential([KERAS.Input((4,)), KERAS.layers.Dense(8, activation="relu"),
                             KERAS.layers.Dense(2)])

m = model()
m.set_weights([d["w0"], d["w1"], d["w2"], d["w3"]])
names = list(dict(m.named_parameters()))
out["n_params"] = len(names)
out["shapes"] = sorted(tuple(p.shape) for p in m.parameters())
sd = m.state_dict()
out["state_dict_tensors"] = len({v.data_ptr() for v in sd.values()})
out["state_dict_scalars"] = sum(v.numel() for v in {v.data_ptr(): v for v in sd.values()}.values())
out["param_types"] = sorted({type(p).__name__ for p in m.parameters()})


class Outer(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.head = torch.nn.Linear(2, 1)


out["outer_params"] = len(list(Outer(m).parameters()))
x, y = torch.tensor(d["x"]), torch.tensor(d["y"])
for name, opt in (("sgd", torch.optim.SGD(m.parameters(), lr=0.1)),
                  ("adam", torch.optim.Adam(m.parameters(), lr=0.01))):
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(m(x), y)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    out[name + "_losses"] = losses
    out[name + "_weights"] = [w.tolist() for w in m.get_weights()]

# A torch module wrapped as a layer, trained by fit().
lin = torch.nn.Linear(4, 3)
with torch.no_grad():
    lin.weight.copy_(torch.tensor(d["lw"]))
    lin.bias.copy_(torch.tensor(d["lb"]))
w = KERAS.Sequential([KERAS.Input((4,)), KERAS.layers.TorchModuleWrapper(lin),
                      KERAS.layers.Dense(2)])
w(x[:1])  # builds the Dense layer after the wrapper
w.layers[-1].set_weights([d["w2"][:3], d["w3"]])
out["wrapper_weights_count"] = len(w.weights)
out["wrapper_trainable"] = len(w.trainable_weights)
w.compile(optimizer=KERAS.optimizers.SGD(0.1), loss="mse")
hist = w.fit(d["x"], d["y"], batch_size=8, epochs=2, shuffle=False, verbose=0)
out["wrapper_losses"] = hist.history["loss"]
out["wrapper_linear"] = [lin.weight.detach().numpy().tolist(), lin.bias.detach().numpy().tolist()]


# .to(float64) converts the parameters; the model then computes in float64.
d64 = model()
d64.set_weights([d["w0"], d["w1"], d["w2"], d["w3"]])
d64.to(torch.float64)
x64 = torch.tensor(d["x"], dtype=torch.float64)
out["to64_dtype"] = [str(d64(x64).dtype), str(d64(x).dtype)]
out["to64_values"] = d64(x64).detach().numpy().tolist()
out["to64_params"] = sorted({str(p.dtype) for p in d64.parameters()})


# A torch module set as an attribute of a custom layer is wrapped (Keras 3).
class Custom(KERAS.layers.Layer):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(4, 2)

    def call(self, x):
        return self.lin(x)


c = Custom()
out["attribute_wrapped"] = type(c.lin).__name__
out["attribute_weights"] = len(c.weights)
out["attribute_outer_params"] = len(list(Outer(c).parameters()))
print("RESULT" + json.dumps(out))
'''


def _inputs(path):
    rng = np.random.default_rng(0)
    arrays = {"w0": rng.normal(size=(4, 8)) * 0.5, "w1": rng.normal(size=8) * 0.1,
              "w2": rng.normal(size=(8, 2)) * 0.5, "w3": rng.normal(size=2) * 0.1,
              "x": rng.normal(size=(16, 4)), "y": rng.normal(size=(16, 2)),
              "lw": rng.normal(size=(3, 4)) * 0.5, "lb": rng.normal(size=3) * 0.1}
    np.savez(path, **{k: v.astype("float32") for k, v in arrays.items()})


def _run(keras_module, env, path):
    code = _PROGRAM.replace("__KERAS__", keras_module)
    code = f"import {keras_module}\n" + code
    result = run_python(f"import sys; sys.argv = ['x', {str(path)!r}]\n" + code, env)
    assert result.returncode == 0, result.stderr[-3000:]
    line = [s for s in result.stdout.splitlines() if s.startswith("RESULT")][-1]
    return json.loads(line[len("RESULT"):])


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = tmp_path_factory.mktemp("interop") / "inputs.npz"
    _inputs(path)
    keras3 = _run("keras", {"KERAS_BACKEND": "torch"}, path)
    kerasx = _run("kerasx", {"KERASX_BACKEND": "torch"}, path)
    return keras3, kerasx


def test_parameters_and_state_dict_as_keras3(results):
    keras3, kerasx = results
    for key in ("n_params", "shapes", "state_dict_tensors", "state_dict_scalars",
                "param_types", "outer_params", "wrapper_weights_count", "wrapper_trainable",
                "attribute_wrapped", "attribute_weights", "attribute_outer_params",
                "to64_dtype", "to64_params"):
        assert kerasx[key] == keras3[key], key
    assert kerasx["n_params"] == 4 and kerasx["outer_params"] == 6
    assert kerasx["param_types"] == ["Parameter"]
    assert kerasx["attribute_wrapped"] == "TorchModuleWrapper"
    assert kerasx["attribute_weights"] == 2 and kerasx["attribute_outer_params"] == 4


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_torch_loop_trains_as_keras3(results, name):
    keras3, kerasx = results
    np.testing.assert_allclose(kerasx[name + "_losses"], keras3[name + "_losses"],
                               rtol=1e-5, atol=1e-6)
    for a, b in zip(kerasx[name + "_weights"], keras3[name + "_weights"]):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=1e-5, atol=1e-6)
    assert kerasx[name + "_losses"][-1] < kerasx[name + "_losses"][0]


def test_to_float64_computes_as_keras3(results, tmp_path):
    # Same output dtypes and parameters as Keras 3; Keras keeps its layers'
    # float32 compute dtype (inputs of each layer rounded to float32, then
    # promoted by the float64 kernel), kerasx computes in float64 throughout:
    # equal to Keras within the float32 bars, to float64 NumPy within 1e-12.
    keras3, kerasx = results
    assert kerasx["to64_dtype"] == ["torch.float64", "torch.float64"]
    np.testing.assert_allclose(kerasx["to64_values"], keras3["to64_values"], rtol=1e-5,
                               atol=1e-6)
    _inputs(tmp_path / "ref.npz")
    d = {k: v.astype("float64") for k, v in np.load(tmp_path / "ref.npz").items()}
    expected = np.maximum(d["x"] @ d["w0"] + d["w1"], 0) @ d["w2"] + d["w3"]
    np.testing.assert_allclose(kerasx["to64_values"], expected, rtol=1e-12, atol=1e-14)


def test_torch_module_wrapper_fit_as_keras3(results):
    keras3, kerasx = results
    np.testing.assert_allclose(kerasx["wrapper_losses"], keras3["wrapper_losses"],
                               rtol=1e-5, atol=1e-6)
    for a, b in zip(kerasx["wrapper_linear"], keras3["wrapper_linear"]):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=1e-5, atol=1e-6)


@pytest.fixture
def torch_backend():
    with selected_backend("torch"):
        yield


def _model():
    import kerasx

    return kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(3),
                              kerasx.layers.BatchNormalization(), kerasx.layers.Dense(2)])


def test_parameters_are_the_variables(torch_backend):
    import kerasx

    m = _model()
    assert isinstance(m, torch.nn.Module) and isinstance(m.layers[0], torch.nn.Module)
    assert type(m).__name__ == "Sequential" and type(m).__qualname__ == "Sequential"
    assert kerasx.layers.serialize(m)["class_name"] == "Sequential"
    assert kerasx.layers.deserialize(kerasx.layers.serialize(m.layers[0])).units == 3
    params = list(m.parameters())
    assert [id(p) for p in params] == [id(v.value) for v in m.weights]
    names = [n for n, _ in m.named_parameters()]
    layer = m.layers[0].name
    assert names[:2] == [f"{layer}.kernel", f"{layer}.bias"]
    # Trainable variables require gradients; BatchNormalization's moving
    # statistics are parameters that do not (as in Keras 3's torch backend).
    assert [p.requires_grad for p in params] == [v.trainable for v in m.weights]
    assert [n for n, _ in m.named_modules()][0] == ""
    assert len(list(m.children())) == 3


def test_state_dict_round_trip_and_to(torch_backend):
    m, m2 = _model(), _model()
    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    m2.load_state_dict(dict(zip(m2.state_dict(), m.state_dict().values())))
    np.testing.assert_array_equal(m.predict(x, verbose=0), m2.predict(x, verbose=0))
    kernel = m.layers[0].kernel
    native = kernel.value
    assert m.to("cpu") is m and kernel.value is native  # in place, same identity
    with pytest.raises(RuntimeError, match="size mismatch"):
        m2.load_state_dict({k: torch.zeros(7) for k in m2.state_dict()})


def test_train_eval_flags(torch_backend):
    m = _model()
    assert m.training and m.layers[0].training
    m.eval()
    assert not m.training and not any(layer.training for layer in m.layers)
    m.train()
    assert m.training and all(layer.training for layer in m.layers)


def test_zero_grad_and_backward_reach_every_weight(torch_backend):
    m = _model()
    x = torch.ones(4, 4)
    m(x).sum().backward()
    trainable = [v for v in m.weights if v.trainable]
    assert all(v.value.grad is not None for v in trainable)
    m.zero_grad()
    assert all(v.value.grad is None for v in trainable)


def test_torch_module_wrapper_rejects_non_modules(torch_backend):
    import kerasx

    with pytest.raises(TypeError, match="torch.nn.Module"):
        kerasx.layers.TorchModuleWrapper(object())


def test_torch_module_wrapper_needs_torch_backend():
    import kerasx
    import kerasx.backend as kb

    previous = kb.backend()
    kb.set_backend("tensorflow")
    try:
        with pytest.raises(TypeError, match="needs the torch backend"):
            kerasx.layers.TorchModuleWrapper(torch.nn.Linear(2, 2))
    finally:
        kb.set_backend(previous)


def test_layer_attribute_access_stays_plain(torch_backend):
    # Attributes live in __dict__ (no nn.Module.__setattr__ routing); a
    # missing attribute is a plain AttributeError naming it.
    m = _model()
    layer = m.layers[0]
    assert "kernel" in vars(layer)
    with pytest.raises(AttributeError, match="no_such_thing"):
        layer.no_such_thing


def test_nn_module_state_is_made_on_first_use(torch_backend):
    # A layer's __dict__ holds only kerasx's attributes (the front end scans
    # them every step); torch's hook containers appear when torch uses them.
    m = _model()
    layer = m.layers[0]
    assert not [k for k in vars(layer) if k.endswith("_hooks") or k == "_buffers"]
    calls = []
    handle = layer.register_forward_pre_hook(lambda module, args: calls.append(1))
    assert "_forward_pre_hooks" in vars(layer) and len(layer._forward_pre_hooks) == 1
    assert "_forward_pre_hooks" not in vars(m.layers[1])  # per instance
    layer.forward(torch.ones(2, 4))  # forward() is kerasx's call
    handle.remove()
    assert len(layer._forward_pre_hooks) == 0
    layer.register_buffer("steps", torch.zeros(()))
    assert "steps" in dict(layer.named_buffers()) and "steps" in layer.state_dict()
    with pytest.raises(TypeError, match="add_weight"):
        layer.register_parameter("extra", torch.nn.Parameter(torch.zeros(2)))


def test_model_nested_in_a_module_is_trained_by_its_optimizer(torch_backend):
    import kerasx

    inner = kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(3)])

    class Outer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = inner
            self.head = torch.nn.Linear(3, 1)

        def forward(self, x):
            return self.head(self.inner(x))

    outer = Outer()
    names = [n for n, _ in outer.named_parameters()]
    layer = inner.layers[0].name
    assert names == [f"inner.{layer}.kernel", f"inner.{layer}.bias", "head.weight", "head.bias"]
    before = [w.copy() for w in inner.get_weights()]
    opt = torch.optim.SGD(outer.parameters(), lr=0.5)
    loss = outer(torch.ones(2, 4)).pow(2).mean()
    loss.backward()
    grads = [v.value.grad.numpy().copy() for v in inner.weights]
    opt.step()
    for b, a, g in zip(before, inner.get_weights(), grads):
        assert np.abs(g).sum() > 0
        np.testing.assert_allclose(a, b - 0.5 * g, rtol=1e-6, atol=1e-7)
    assert f"inner.{layer}.kernel" in outer.state_dict()
