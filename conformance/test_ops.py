"""Pytest form of the op conformance suite: every case on every installed
backend, in each dtype and data format, plus contract coverage."""
import pytest

from kerasx.backend import contract_kernels, contract_ops, registry

from . import harness
from .op_cases import CASES
from .op_checks import ALL_DTYPES, CHECKS

BACKENDS = sorted(p.name for p in registry.discover().values() if p.is_available())


@pytest.fixture(scope="module", params=BACKENDS)
def ops(request):
    return registry.load(request.param)


def test_every_contract_op_has_a_case():
    # A native kernel is covered by its public operation's cases.
    covered = {c.op for c in CASES} | set(CHECKS)
    kernels = contract_kernels()
    assert sorted(set(contract_ops()) - covered - set(kernels)) == []
    assert sorted(set(kernels.values()) - covered) == []


def test_every_case_names_a_contract_op():
    assert sorted(({c.op for c in CASES} | set(CHECKS)) - set(contract_ops())) == []


VARIANTS = [(case, dtype, fmt) for case in CASES for dtype, fmt in harness.variants(case)]


@pytest.mark.parametrize(
    "case,dtype,data_format", VARIANTS,
    ids=[f"{c.id}-{d}-{f}" if c.spatial else f"{c.id}-{d}" for c, d, f in VARIANTS])
def test_op_case(ops, case, dtype, data_format):
    outcome = harness.run_case(ops, case, dtype, data_format)
    assert outcome.status == "pass", outcome.detail


@pytest.mark.parametrize("op", sorted(CHECKS))
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_op_check(ops, op, dtype):
    CHECKS[op](ops, dtype)
