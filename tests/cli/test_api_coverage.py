"""`kerasx api-coverage`: the counts per module, the exclusions and the exit
status, checked against Keras 3's own names."""
import types

import pytest

keras = pytest.importorskip("keras")

from kerasx.cli import api_coverage  # noqa: E402


def test_counts_split_keras_names_into_present_missing_and_excluded(monkeypatch):
    fake_keras = types.SimpleNamespace(Dense=1, JaxLayer=2, Conv9D=3, _private=4)
    fake_ours = types.SimpleNamespace(Dense=1, Extra=5)
    monkeypatch.setattr(api_coverage, "_import",
                        lambda root, module: fake_keras if root == "keras" else fake_ours)
    row = api_coverage.module_coverage("layers")
    assert row.keras == ["Conv9D", "Dense", "JaxLayer"]
    assert row.present == ["Dense"]
    assert row.missing == ["Conv9D"]
    assert list(row.excluded) == ["JaxLayer"]
    assert row.percent == pytest.approx(50.0)        # 1 of the 2 not excluded
    assert row.raw_percent == pytest.approx(100 / 3)  # 1 of all 3


def test_real_module_matches_a_direct_count():
    import kerasx.layers

    row = api_coverage.module_coverage("layers")
    names = [n for n in dir(keras.layers) if not n.startswith("_")]
    have = [n for n in names if hasattr(kerasx.layers, n)]
    assert row.keras == sorted(names)
    assert row.present == sorted(have)
    assert sorted(row.missing + row.present + list(row.excluded)) == sorted(names)
    assert all(api_coverage.EXCLUDED[f"layers.{n}"] for n in row.excluded)


def test_report_prints_the_table_and_exits_on_the_target(capsys, monkeypatch):
    assert api_coverage.main(["--module", "constraints", "--module", "top"]) == 0
    out = capsys.readouterr().out
    assert "| `constraints` | 12 | 12 | 100.0%" in out
    assert "| `(top level)` |" in out
    low = api_coverage.ModuleCoverage("layers", ["A", "B", "C"], ["A"], ["B", "C"], {}, True)
    monkeypatch.setattr(api_coverage, "coverage", lambda modules=None: [low])
    assert api_coverage.main(["--min", "90"]) == 1
    assert "Below target: layers" in capsys.readouterr().err
    assert api_coverage.main(["--min", "30"]) == 0  # 33.3% meets a 30% bar


def test_excluded_names_are_keras_names():
    """Every exclusion names a real Keras name (a stale one is an error)."""
    import importlib

    for path in api_coverage.EXCLUDED:
        module, _, name = path.rpartition(".")
        owner = importlib.import_module(f"keras.{module}" if module else "keras")
        assert hasattr(owner, name), path
