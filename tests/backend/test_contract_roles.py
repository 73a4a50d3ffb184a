"""Each contract operation declares its role once, on its decorator; kerasx.ops,
the MXNet tracer and docs/contract.md are generated from the declarations."""
import inspect
import pathlib
import types

import numpy as np
import pytest

import kerasx.ops
from kerasx.backend import Backend, contract_ops, contract_roles, get_ops, registry
from kerasx.backend import contract_doc
from kerasx.backend.contract import composite, primitive
from kerasx.ops import dispatch

keras = pytest.importorskip("keras")

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
INTERNAL = ["to_numpy", "variable", "variable_value", "assign", "assign_add", "assign_sub",
            "value_and_grad", "adam_update", "compile_function", "list_devices",
            "device_scope", "device", "dropout", "lstm", "gru", "exponential"]


def test_every_operation_declares_its_tensor_arguments():
    undeclared = [name for name in contract_ops() if contract_roles()[name].tensors is None]
    assert undeclared == [], (
        f"declare tensors=(...) on the decorator of {undeclared} (tensors=() if none)")


def test_declared_names_are_parameters():
    for name, role in contract_roles().items():
        params = list(inspect.signature(getattr(Backend, name)).parameters)[1:]
        assert set(role.tensors) | set(role.variables) <= set(params), name
        assert not set(role.tensors) & set(role.variables), name
        assert not role.promote or len(role.tensors) >= 2, name


def test_a_wrong_declaration_fails_where_it_is_written():
    with pytest.raises(TypeError, match=r"'scale' declares \['y'\] as tensor or variable "
                                        r"arguments, but its parameters are \['x', 'k'\]"):
        @primitive(tensors=("x", "y"))
        def scale(self, x, k):
            """x * k."""

    with pytest.raises(TypeError, match="promote=True with fewer than two"):
        @composite(tensors=("x",), promote=True)
        def twice(self, x):
            """x + x."""


def test_bare_and_called_decorators_declare_the_same_kind():
    @primitive
    def bare(self, x):
        """x."""

    @primitive(tensors="x", public=False)
    def called(self, x):
        """x."""

    assert bare.__kerasx_role__.kind == called.__kerasx_role__.kind == "primitive"
    assert bare.__kerasx_role__.tensors is None  # undeclared: refused by the test above
    assert called.__kerasx_role__.tensors == ("x",)
    assert called.__kerasx_role__.public is False
    with pytest.raises(NotImplementedError, match="'called' is not supported by the 'abstract'"):
        called(Backend(), 1)


def test_public_means_a_keras_ops_name():
    # An operation declared with namespace="image" is a name of keras.ops.image.
    def keras_names(namespace):
        return set(dir(getattr(keras.ops, namespace) if namespace else keras.ops))

    wrong = {name: role.public for name, role in contract_roles().items()
             if role.kind != "hook" and role.public != (name in keras_names(role.namespace))}
    assert wrong == {}, "public= must say whether keras.ops (or its namespace) has the name"


def test_kerasx_ops_exposes_only_keras_ops_names():
    keras_names = set(dir(keras.ops))
    exposed = {name for name, value in vars(kerasx.ops).items()
               if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert exposed == set(kerasx.ops.__all__)
    assert sorted(exposed - keras_names) == []
    assert [name for name in INTERNAL if hasattr(kerasx.ops, name)] == []
    # every public contract op is there
    assert set(dispatch.public_ops()) <= exposed


class _Sentinel:
    """A non-tensor argument: must reach the backend untouched."""


def _call_recorded(monkeypatch, name):
    """Call kerasx.ops.<name> with arrays for its declared tensor parameters
    (positionally, then by keyword) and sentinels elsewhere; return what
    the backend received each time."""
    ops = get_ops()
    received = []

    class Recorder:
        def __getattr__(self, attr):
            if attr == name:
                return lambda *args, **kwargs: received.append((args, kwargs))
            return getattr(ops, attr)

    monkeypatch.setattr(dispatch, "get_ops", Recorder)
    role = contract_roles()[name]
    params = list(inspect.signature(getattr(Backend, name)).parameters)[1:]
    values = {}
    for p in params:
        if p == "xs":
            values[p] = [np.ones((2,), "float32"), np.zeros((2,), "float32")]
        elif p in role.tensors:
            values[p] = np.arange(2, dtype="float32")
        else:
            values[p] = _Sentinel()
    fn = getattr(kerasx.ops, name)
    fn(*[values[p] for p in params])
    fn(**values)
    return params, values, role, received


# The generated ones: kerasx.ops.dispatch, .defaults, .nn_defaults and .loops
# (whose arguments are nested structures) write a few by hand.
GENERATED = [n for n in dispatch.public_ops()
             if n not in vars(dispatch) and n not in vars(kerasx.ops.defaults)
             and n not in vars(kerasx.ops.loops) and n not in vars(kerasx.ops.array_ops)
             and n not in vars(kerasx.ops.control) and n not in vars(kerasx.ops.nn_defaults)]


@pytest.mark.parametrize("name", GENERATED)
def test_dispatch_converts_exactly_the_declared_tensors(backend, monkeypatch, name):
    ops = get_ops()
    params, values, role, received = _call_recorded(monkeypatch, name)
    (args, _), (_, kwargs) = received
    for got in (dict(zip(params, args)), kwargs):
        for p in params:
            if p in role.tensors:
                items = got[p] if p == "xs" else [got[p]]
                assert all(ops.is_tensor(t) for t in items), (name, p)
            else:
                assert got[p] is values[p], f"{name} converted its argument {p!r}"


def test_promotion_follows_keras(backend):
    a, b = np.array([1, 2], "int32"), np.array([0.5, 0.25], "float64")
    for name in ("add", "multiply", "maximum", "less"):
        got = getattr(kerasx.ops, name)(a, b)
        want = getattr(keras.ops, name)(a, b)
        assert kerasx.ops.dtype(got) == keras.backend.standardize_dtype(want.dtype), name
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got),
                                      keras.ops.convert_to_numpy(want))


def test_mxnet_tracer_traces_what_the_roles_say():
    if not registry.discover()["mxnet"].is_available():
        pytest.skip("mxnet is not installed")
    from kerasx_mxnet import hybrid
    cls = type(registry.load("mxnet"))
    roles = contract_roles()
    traced = {n for n, f in vars(cls).items() if getattr(f, "__kerasx_traced__", False)}
    assert traced == {n for n in vars(cls) if n in roles and hybrid.traced(roles[n])}
    assert {"add", "_conv_kernel", "lstm", "dropout", "to_numpy"} <= traced
    # variables are taken by identity; functions and devices are no tensors
    assert not {"variable", "variable_value", "assign", "assign_add", "value_and_grad",
                "compile_function", "list_devices", "device_scope"} & traced


def test_contract_page_is_generated_from_the_declarations():
    page = (DOCS / "contract.md").read_text()
    assert page == contract_doc.render(), (
        "docs/contract.md is out of date: run "
        "`python -m kerasx.backend.contract_doc > docs/contract.md`")
    assert page.count("\n| `") == len(contract_roles())
