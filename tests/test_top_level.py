"""Top-level names of `keras` that kerasx exports: the real base classes
(what the submodules hold), `version`, `device` and `name_scope` (variable
paths as Keras builds them)."""
import numpy as np
import pytest

import kerasx
from kerasx.backend.errors import DeviceNotAvailableError


def test_base_classes_are_the_real_ones():
    assert kerasx.Initializer is kerasx.initializers.Initializer
    assert isinstance(kerasx.initializers.GlorotUniform(), kerasx.Initializer)
    assert isinstance(kerasx.losses.MeanSquaredError(), kerasx.Loss)
    assert isinstance(kerasx.metrics.Mean(), kerasx.Metric)
    assert isinstance(kerasx.optimizers.Adam(), kerasx.Optimizer)
    assert isinstance(kerasx.regularizers.L2(), kerasx.Regularizer)
    assert isinstance(kerasx.Input((3,)), kerasx.KerasTensor)
    spec = kerasx.InputSpec(ndim=2)
    assert spec is not None and kerasx.InputSpec is kerasx.layers.InputSpec
    assert kerasx.version() == kerasx.__version__
    assert kerasx.DTypePolicy is kerasx.dtype_policies.DTypePolicy


def test_name_scope_paths_match_keras(backend):
    import keras

    paths = []
    for lib in (keras, kerasx):
        with lib.name_scope("outer"):
            v = lib.Variable(np.float32(1.0), name="v")
            dense = lib.layers.Dense(2, name="dense")
            dense.build((None, 3))
            with lib.name_scope("inner"):
                w = lib.Variable(np.float32(1.0), name="w")
            with lib.name_scope("outer"):  # another caller (None): not deduplicated
                u = lib.Variable(np.float32(1.0), name="u")
            with lib.name_scope("p", override_parent="root/x"):
                o = lib.Variable(np.float32(1.0), name="o")
        after = lib.Variable(np.float32(1.0), name="after")
        paths.append([v.path, dense.kernel.path, w.path, u.path, o.path, after.path])
    assert paths[1] == paths[0] == ["outer/v", "outer/dense/kernel", "outer/inner/w",
                                    "outer/outer/u", "root/x/p/o", "after"]
    caller = object()
    with kerasx.name_scope("a", caller=caller):
        with kerasx.name_scope("a", caller=caller):  # same caller: deduplicated
            assert kerasx.Variable(np.float32(1.0), name="z").path == "a/z"
    with pytest.raises(ValueError, match="cannot contain"):
        kerasx.name_scope("a/b")


def test_device(backend):
    with kerasx.device("cpu"):
        x = kerasx.ops.ones((2,))
    assert float(kerasx.ops.convert_to_numpy(kerasx.ops.sum(x))) == 2.0
    with pytest.raises(ValueError, match="Invalid device name"):
        kerasx.device("tpu-ish")
    with pytest.raises(DeviceNotAvailableError):
        kerasx.device("gpu:7")
