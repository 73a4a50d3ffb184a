"""Smoke test of the speed benchmark: every implementation runs a few steps
and the table prints (no timing assertions: CI machines are noisy)."""
from conformance import benchmark


def test_benchmark_smoke(capsys):
    impls = ["kerasx-torch", "native-torch", "kerasx-mxnet", "native-mxnet",
             "kerasx-tensorflow", "native-tensorflow"]
    impls = [i for i in impls if i in benchmark.available_impls()]
    code = benchmark.main(["--rounds", "1", "--steps", "2", "--warmup", "0",
                           "--workloads", "tiny_cnn", "--impls", *impls])
    out = capsys.readouterr().out
    assert code == 0, out
    for impl in impls:
        assert impl in out
    assert "(b) step ms" in out
