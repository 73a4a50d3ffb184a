"""int8 quantization of Dense, EinsumDense and Embedding against Keras 3
(TensorFlow backend): the same float weights quantized by both give the
same int8 variables and scales, the same outputs, and training (Keras's
custom gradient: frozen int8 kernel, gradients through the dequantized
kernel) follows Keras's losses."""
import numpy as np
import pytest

import kerasx
from tests.layers.quantization import parity


def test_dense_variables_and_outputs(backend):
    ref, model = parity.twins(parity.dense_model, "int8")
    for ref_layer, layer in zip(ref.layers, model.layers):
        parity.assert_same_variables(ref_layer, layer)
        assert layer.quantization_mode == "int8"
        assert layer.dtype_policy.name == ref_layer.dtype_policy.name == "int8_from_float32"
    names = [v.path for v in model.layers[0].weights]
    assert [n.split("/")[-1] for n in names] == ["bias", "kernel", "kernel_scale"]
    x = parity.data((4, 6))
    parity.assert_close(model.predict(x, verbose=0), ref.predict(x, verbose=0), "output")


def test_dense_weight_only_config(backend):
    import keras
    ref, model = parity.twins(
        parity.dense_model, config=kerasx.quantizers.Int8QuantizationConfig(
            activation_quantizer=None),
        keras_config=keras.quantizers.Int8QuantizationConfig(activation_quantizer=None))
    x = parity.data((4, 6))
    assert model.layers[0].inputs_quantizer is None
    parity.assert_close(model(x), ref(x), "weight-only output")


def test_dense_gradients_follow_keras(backend):
    """The inputs' gradient goes through the dequantized kernel; the int8
    kernel and its scale get none; the bias trains."""
    import tensorflow as tf
    ref, model = parity.twins(parity.dense_model, "int8")
    x = parity.data((4, 6))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(ref(xt) ** 2)
    want_x, want_bias = tape.gradient(loss, [xt, ref.layers[0].bias])

    from kerasx.ops.gradients import value_and_grad
    ops = kerasx.ops
    inputs = kerasx.Variable(x)
    bias = model.layers[0].bias

    def f():
        return ops.sum(ops.square(model(inputs.value)))

    _, (got_x, got_bias) = value_and_grad(f, [inputs.native, bias.native])
    parity.assert_close(got_x, want_x, "input gradient", atol=1e-5)
    parity.assert_close(got_bias, want_bias, "bias gradient", atol=1e-5)
    assert all(not v.trainable for v in (model.layers[0].kernel, model.layers[0].kernel_scale))


def test_dense_training_tracks_keras(backend):
    ref, model = parity.twins(parity.dense_model, "int8")
    x, y = parity.data((8, 6)), parity.data((8, 3), seed=2)
    ref_losses, losses = parity.train_both(ref, model, x, y)
    parity.assert_close(losses, ref_losses, "losses", rtol=1e-5, atol=1e-5)
    assert losses[-1] < losses[0]
    for ref_layer, layer in zip(ref.layers, model.layers):
        parity.assert_same_variables(ref_layer, layer)


@pytest.mark.parametrize("equation,output_shape,bias_axes,input_shape", [
    ("abc,cde->abde", (2, 4, 3), "de", (2, 6)),
    ("ab,bc->ac", 4, "c", (6,)),
    ("abc,cd->abd", (2, 4), None, (2, 6)),
])
def test_einsum_dense(backend, equation, output_shape, bias_axes, input_shape):
    def build(lib):
        return lib.Sequential([lib.Input(input_shape),
                               lib.layers.EinsumDense(equation, output_shape=output_shape,
                                                      bias_axes=bias_axes, name="e")])

    ref, model = parity.twins(build, "int8")
    parity.assert_same_variables(ref.layers[0], model.layers[0])
    x = parity.data((3,) + input_shape)
    parity.assert_close(model(x), ref(x), "output")
    if bias_axes:
        y = parity.data((3,) + tuple(ref.output_shape[1:]), seed=3)
        ref_losses, losses = parity.train_both(ref, model, x, y, steps=2)
        parity.assert_close(losses, ref_losses, "losses", atol=1e-5)


def test_embedding(backend):
    ref, model = parity.twins(parity.embedding_model, "int8")
    parity.assert_same_variables(ref.layers[0], model.layers[0])
    ids = np.array([[1, 2, 9], [0, 5, 5]], "int32")
    parity.assert_close(model(ids), ref(ids), "output")
    assert [v.name for v in model.layers[0].weights] == ["embeddings", "embeddings_scale"]


def test_built_from_policy(backend):
    """A layer made with an int8 policy builds the quantized variables."""
    import keras
    layer = kerasx.layers.Dense(4, dtype="int8_from_float32")
    layer.build((None, 3))
    ref = keras.layers.Dense(4, dtype="int8_from_float32")
    ref.build((None, 3))
    assert [(v.name, tuple(v.shape), str(v.dtype), v.trainable) for v in layer.weights] == \
        [(v.name, tuple(v.shape), str(v.dtype), v.trainable) for v in ref.weights]
    assert layer.quantization_mode == "int8"
    with pytest.raises(ValueError, match="already quantized"):
        layer.quantize("int8")
