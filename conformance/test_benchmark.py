"""Smoke test of the speed benchmark: every implementation runs a few steps
and the table prints (no timing assertions: CI machines are noisy)."""
from . import benchmark


def test_benchmark_smoke(capsys):
    # torch.compile rows are left out: their compilation alone takes minutes here.
    impls = ["kerasx-torch:eager", "native-torch:eager", "kerasx-mxnet:eager",
             "kerasx-mxnet:graph", "kerasx-mxnet:compile", "native-mxnet",
             "kerasx-tensorflow:eager", "kerasx-tensorflow:graph", "kerasx-tensorflow:compile",
             "native-tensorflow"]
    impls = [i for i in impls if i in benchmark.available_impls()]
    code = benchmark.main(["--rounds", "1", "--steps", "2", "--warmup", "0",
                           "--workloads", "tiny_cnn", "--impls", *impls])
    out = capsys.readouterr().out
    assert code == 0, out
    for impl in impls:
        assert impl in out
    assert "(b) step ms" in out
    assert "x)" in out  # ratios to the native loops
