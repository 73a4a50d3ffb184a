"""conv, conv_transpose, max_pool and average_pool against Keras 3's ops
(TensorFlow backend) for every supported rank (1-D, 2-D, 3-D), both paddings,
strides, dilation, groups and output_padding, on every kerasx backend and in
both data formats. Float32 bar: normwise relative error
max|got - want| / max|want| <= 1e-5."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

BAR = 1e-5


def _case_id(case):
    op, rank, kwargs = case[:3]
    return f"{op}-{rank}d-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


def _cases():
    cases = []
    sizes = {1: (9,), 2: (7, 6), 3: (5, 4, 6)}
    for rank in (1, 2, 3):
        for padding in ("valid", "same"):
            for strides in (1, 2):
                kw = dict(strides=strides, padding=padding)
                cases.append(("conv", rank, kw, sizes[rank], (3,) * rank + (4, 5)))
                cases.append(("conv_transpose", rank, kw, sizes[rank], (3,) * rank + (5, 4)))
                cases.append(("max_pool", rank, dict(pool_size=2, **kw), sizes[rank], None))
                cases.append(("average_pool", rank, dict(pool_size=3, **kw), sizes[rank],
                              None))
        # Even windows ("same" puts the odd pixel after), dilation, groups,
        # output_padding, asymmetric strides.
        cases += [
            ("conv", rank, dict(padding="same", dilation_rate=2), sizes[rank],
             (2,) * rank + (4, 6)),
            ("conv", rank, dict(padding="same", strides=2), sizes[rank],
             (2,) * rank + (2, 6)),  # groups = 2
            ("conv_transpose", rank, dict(padding="same", strides=2), sizes[rank],
             (2,) * rank + (3, 4)),
            ("conv_transpose", rank, dict(padding="valid", strides=3, output_padding=1),
             sizes[rank], (2,) * rank + (3, 4)),
            ("conv_transpose", rank, dict(padding="same", strides=2, output_padding=0),
             sizes[rank], (3,) * rank + (3, 4)),
            ("max_pool", rank, dict(pool_size=3, strides=(1, 2, 2)[:rank], padding="same"),
             sizes[rank], None),
            ("average_pool", rank, dict(pool_size=(2, 3, 2)[:rank], strides=1,
                                        padding="same"), sizes[rank], None),
        ]
    return cases


CASES = _cases()


def _keras(op, x, kernel, kwargs):
    fn = getattr(keras.ops, op)
    args = (x,) if kernel is None else (x, kernel)
    return np.asarray(keras.ops.convert_to_numpy(
        fn(*args, data_format="channels_last", **kwargs)))


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    import kerasx

    op, rank, kwargs, spatial, kernel_shape = case
    rng = np.random.default_rng(len(CASES) + CASES.index(case))
    x = rng.standard_normal((2,) + spatial + (4,)).astype("float32")
    kernel = None if kernel_shape is None else \
        rng.standard_normal(kernel_shape).astype("float32")
    want = _keras(op, x, kernel, kwargs)
    fn = getattr(kerasx.ops, op)
    deviations = {}
    for data_format in ("channels_last", "channels_first"):
        xs = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
        args = (xs,) if kernel is None else (xs, kernel)
        got = kerasx.ops.convert_to_numpy(fn(*args, data_format=data_format, **kwargs))
        if data_format == "channels_first":
            got = np.moveaxis(got, 1, -1)
        assert got.shape == want.shape, (data_format, got.shape, want.shape)
        deviations[data_format] = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
    assert max(deviations.values()) <= BAR, deviations
