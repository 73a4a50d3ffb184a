"""DESIGN.md rules 1 and 2: the front end imports no framework and never
branches on a backend name; every plugin implements the whole contract with
the contract's signatures."""
import ast
import inspect
import pathlib
import re

import pytest

from kerasx.backend import Backend, contract_hooks, contract_kernels, contract_ops, registry

FRONT_END = pathlib.Path(__file__).resolve().parents[1] / "kerasx"
FRAMEWORKS = {"tensorflow", "torch", "mxnet", "jax"}
BACKEND_NAMES = {"tensorflow", "tf", "torch", "pytorch", "mxnet", "mx"}


def _front_end_trees():
    for path in sorted(FRONT_END.rglob("*.py")):
        yield path, ast.parse(path.read_text(), str(path))


def test_front_end_imports_no_framework():
    offenders = []
    for path, tree in _front_end_trees():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                    "import_module", "__import__"):
                names = [a.value for a in node.args if isinstance(a, ast.Constant)]
            offenders += [f"{path}:{node.lineno} {n}" for n in names
                          if str(n).split(".")[0] in FRAMEWORKS]
    assert offenders == []


def test_front_end_never_compares_a_backend_name():
    offenders = []
    for path, tree in _front_end_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                for operand in [node.left, *node.comparators]:
                    for const in ast.walk(operand):
                        if isinstance(const, ast.Constant) and isinstance(
                                const.value, str) and const.value.lower() in BACKEND_NAMES:
                            offenders.append(f"{path}:{node.lineno} {const.value!r}")
            elif isinstance(node, ast.match_case):
                for const in ast.walk(node.pattern):
                    if isinstance(const, ast.Constant) and const.value in BACKEND_NAMES:
                        offenders.append(f"{path}:{node.lineno} {const.value!r}")
    assert offenders == []


def _documented_counts():
    """The numbers of primitives, composites and hooks docs/architecture.md states."""
    text = (FRONT_END.parent / "docs" / "architecture.md").read_text()
    counts = {}
    for tier in ("Primitives", "Composites", "Hooks"):
        found = re.findall(rf"\*\*{tier}\*\* \((\d+)\b", text)
        assert len(found) == 1, f"docs/architecture.md should state the {tier} count once"
        counts[tier.lower()] = int(found[0])
    return counts


def test_each_name_is_defined_in_one_contract_module():
    """The contract's families are mixins of Backend; a name (an operation or
    a private helper) defined in two of them would silently keep only the
    first, and the other family's callers would get the wrong function."""
    declared = {}
    for cls in Backend.__mro__[:-1]:
        for name in vars(cls):
            if not name.startswith("__"):
                declared.setdefault(name, []).append(cls.__name__)
    assert {n: owners for n, owners in declared.items() if len(owners) > 1} == {}


def test_contract_counts_are_the_documented_ones():
    assert _documented_counts() == {"primitives": len(contract_ops("primitive")),
                                    "composites": len(contract_ops("composite")),
                                    "hooks": len(contract_hooks())}


def test_contract_members_have_docstrings():
    for name in contract_ops() + contract_hooks():
        assert inspect.getdoc(getattr(Backend, name)), f"{name} has no docstring"


def test_hooks_are_not_operations():
    # Hooks present kerasx objects natively; they are not tensor operations,
    # so kerasx.ops and the op conformance leave them out.
    import kerasx.ops

    assert contract_hooks() == ["layer_base", "variable_base", "module_variables"]
    assert not set(contract_hooks()) & set(contract_ops())
    assert not [h for h in contract_hooks() if hasattr(kerasx.ops, h)]


PLUGINS = sorted(registry.discover())


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_implements_every_primitive_with_the_contract_signature(name):
    plugin = registry.discover()[name]
    if not plugin.is_available():
        pytest.skip(f"{name}'s framework is not installed")
    cls = type(registry.load(name))
    assert issubclass(cls, Backend)
    assert cls.name == name
    missing = [op for op in contract_ops("primitive") if getattr(cls, op) is getattr(Backend, op)]
    assert missing == [], f"{name} lacks primitives {missing}"
    mismatched = [
        f"{op}{inspect.signature(getattr(cls, op))} != {inspect.signature(getattr(Backend, op))}"
        for op in contract_ops() + contract_hooks()
        if inspect.signature(getattr(cls, op)) != inspect.signature(getattr(Backend, op))]
    assert mismatched == []


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_has_no_public_method_outside_the_contract(name):
    plugin = registry.discover()[name]
    if not plugin.is_available():
        pytest.skip(f"{name}'s framework is not installed")
    cls = type(registry.load(name))
    allowed = set(contract_ops()) | set(contract_hooks()) | {"name"}
    extra = [m for m in vars(cls) if not m.startswith("_") and m not in allowed]
    assert extra == [], f"{name} exposes operations the contract lacks: {extra}"


def test_kernels_are_internal_primitives_of_public_operations():
    import kerasx.ops

    kernels = contract_kernels()
    assert kernels == {"_conv_kernel": "conv", "_conv_transpose_kernel": "conv_transpose",
                       "_max_pool_kernel": "max_pool",
                       "_average_pool_kernel": "average_pool",
                       # contract_linalg.py
                       "_cholesky_kernel": "cholesky", "_det_kernel": "det",
                       "_eigh_kernel": "eigh", "_qr_kernel": "qr", "_solve_kernel": "solve",
                       "_svd_kernel": "svd"}
    assert set(kernels) <= set(contract_ops("primitive"))
    assert set(kernels.values()) <= set(contract_ops("composite"))
    assert not [k for k in kernels if hasattr(kerasx.ops, k)]


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_implements_kernels_not_their_public_operations(name):
    # The public operation checks and resolves the arguments once for every
    # backend (kerasx.backend.conv_spec); a plugin overriding it would skip that.
    plugin = registry.discover()[name]
    if not plugin.is_available():
        pytest.skip(f"{name}'s framework is not installed")
    cls = type(registry.load(name))
    overridden = [op for op in contract_kernels().values()
                  if getattr(cls, op) is not getattr(Backend, op)]
    assert overridden == []
