"""The functional API against Keras 3 (TensorFlow backend) running the same
code: layer.input/output, feature extractors, shared layers, nested models,
multi-input/multi-output training with dict and list losses, clone_model,
to_json/model_from_json, keras.Input and the keras.backend names.

Models are built twice from one function of the Keras module; kerasx takes
Keras's weights (same order), so outputs and losses must agree within the
float32 bars.
"""
import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

RTOL, ATOL = 1e-5, 1e-6


def _kx():
    import kerasx
    return kerasx


def _both(build):
    """(kerasx model, Keras model) from `build(K)`, kerasx with Keras's weights."""
    ref = build(keras)
    mine = build(_kx())
    mine.set_weights(ref.get_weights())
    return mine, ref


def _numpy(value):
    import kerasx
    return [kerasx.ops.convert_to_numpy(v) for v in value] if isinstance(value, list) \
        else kerasx.ops.convert_to_numpy(value)


def _assert_outputs_close(mine, ref):
    mine = mine if isinstance(mine, list) else [mine]
    ref = ref if isinstance(ref, list) else [ref]
    assert len(mine) == len(ref)
    for a, b in zip(mine, ref):
        np.testing.assert_allclose(_numpy(a), np.asarray(b), rtol=RTOL, atol=ATOL)


def _convnet(K):
    return K.Sequential([K.Input((8, 8, 1)), K.layers.Conv2D(4, 3, activation="relu"),
                         K.layers.MaxPooling2D(), K.layers.Flatten(), K.layers.Dense(5)])


def _images(n=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 8, 8, 1)).astype("float32")


# -- layer.input / layer.output and feature extractors ------------------------------
def test_sequential_feature_extractor_from_every_layer(backend):
    mine, ref = _both(_convnet)
    extractors = []
    for K, model in ((_kx(), mine), (keras, ref)):
        extractors.append(K.Model(inputs=model.inputs,
                                  outputs=[layer.output for layer in model.layers]))
    fx, fref = extractors
    assert [t.shape for t in fx.outputs] == [tuple(t.shape) for t in fref.outputs]
    assert [type(l).__name__ for l in fx.layers] == [type(l).__name__ for l in fref.layers]
    x = _images()
    _assert_outputs_close(fx(x), fref(x))
    _assert_outputs_close(fx.predict(x, verbose=0), fref.predict(x, verbose=0))


def test_intermediate_layer_extractor_by_name_and_index(backend):
    mine, ref = _both(_convnet)
    outs = []
    for K, model in ((_kx(), mine), (keras, ref)):
        conv = model.get_layer(index=0)
        pool = model.get_layer(name=model.layers[1].name)
        assert conv.output.shape[1:] == (6, 6, 4) and pool.input is conv.output
        outs.append(K.Model(model.inputs, pool.output)(_images()))
    _assert_outputs_close(outs[0], outs[1])


def test_layer_input_output_first_call_and_errors():
    kx = _kx()
    for K in (kx, keras):
        inp = K.Input((4,), name="x")
        shared = K.layers.Dense(4)
        first = shared(inp)
        second = shared(first)
        assert shared.input is inp and shared.output is first  # the first call, as Keras 3
        assert second is not first
        with pytest.raises(AttributeError, match="never been called"):
            K.layers.Dense(2).output
        with pytest.raises(AttributeError, match="never been called"):
            K.layers.Dense(2).input
        model = K.Model(inp, second)
        assert model.input is inp and model.output is second
        assert model.input_shape == (None, 4) and model.output_shape == (None, 4)
        with pytest.raises(ValueError):
            model.get_layer(name="no_such_layer")


def test_shared_layer_called_several_times(backend):
    def build(K):
        a, b = K.Input((4,), name="a"), K.Input((4,), name="b")
        shared = K.layers.Dense(3, activation="tanh", name="shared")
        merged = K.layers.concatenate([shared(a), shared(b)])
        return K.Model([a, b], K.layers.Dense(1, name="head")(merged))

    mine, ref = _both(build)
    assert len(mine.weights) == len(ref.weights) == 4
    # Auto-generated names depend on what ran before; the named ones and the order agree.
    assert [l.name for l in mine.layers if l.name in ("a", "b", "shared", "head")] == \
        [l.name for l in ref.layers if l.name in ("a", "b", "shared", "head")]
    assert [type(l).__name__ for l in mine.layers] == [type(l).__name__ for l in ref.layers]
    rng = np.random.default_rng(1)
    xs = [rng.normal(size=(5, 4)).astype("float32") for _ in range(2)]
    _assert_outputs_close(mine(xs), ref(xs))


def test_nested_models_as_layers(backend):
    def build(K):
        inner_in = K.Input((6,))
        encoder = K.Model(inner_in, K.layers.Dense(3, activation="relu")(inner_in),
                          name="encoder")
        head = K.Sequential([K.Input((3,)), K.layers.Dense(2)], name="head")
        x = K.Input((6,))
        return K.Model(x, head(encoder(x)))

    mine, ref = _both(build)
    assert [type(l).__name__ for l in mine.layers] == [type(l).__name__ for l in ref.layers]
    x = np.random.default_rng(2).normal(size=(4, 6)).astype("float32")
    _assert_outputs_close(mine(x), ref(x))


# -- several tensor arguments: the endpoint layer pattern ----------------------------
def _endpoint_program(K):
    class Endpoint(K.layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = K.losses.BinaryCrossentropy(from_logits=True)
            self.accuracy_fn = K.metrics.BinaryAccuracy()

        def call(self, logits, targets=None, sample_weight=None):
            if targets is not None:
                self.add_loss(self.loss_fn(targets, logits, sample_weight))
                self.accuracy_fn.update_state(targets, logits, sample_weight)
            return K.ops.softmax(logits)

    inputs = K.Input((3,), name="inputs")
    targets = K.Input((10,), name="targets")
    logits = K.layers.Dense(10)(inputs)
    predictions = Endpoint(name="predictions")(logits, targets)
    return K.Model(inputs=[inputs, targets], outputs=predictions)


def test_endpoint_layer_with_several_tensor_arguments(backend):
    mine, ref = _both(_endpoint_program)
    rng = np.random.default_rng(3)
    data = {"inputs": rng.normal(size=(8, 3)).astype("float32"),
            "targets": (rng.random((8, 10)) > 0.5).astype("float32")}
    assert mine.outputs[0].shape == tuple(ref.outputs[0].shape) == (None, 10)
    histories = []
    for K, model in ((_kx(), mine), (keras, ref)):
        model.compile(optimizer=K.optimizers.SGD(0.1))
        histories.append(model.fit(data, epochs=3, batch_size=4, shuffle=False,
                                   verbose=0).history)
    assert sorted(histories[0]) == sorted(histories[1]) == ["binary_accuracy", "loss"]
    for key in histories[1]:
        np.testing.assert_allclose(histories[0][key], histories[1][key], rtol=RTOL,
                                   atol=ATOL, err_msg=key)


# -- multi-input / multi-output training ---------------------------------------------
def _two_heads(K):
    a = K.Input((3,), name="a")
    b = K.Input((2,), name="b")
    hidden = K.layers.Dense(4, activation="tanh", name="hidden")(
        K.layers.concatenate([a, b]))
    reg = K.layers.Dense(1, name="reg")(hidden)
    cls = K.layers.Dense(3, activation="softmax", name="cls")(hidden)
    return K.Model({"a": a, "b": b}, {"reg": reg, "cls": cls})


def _two_heads_data(n=12):
    rng = np.random.default_rng(4)
    x = {"a": rng.normal(size=(n, 3)).astype("float32"),
         "b": rng.normal(size=(n, 2)).astype("float32")}
    y = {"reg": rng.normal(size=(n, 1)).astype("float32"),
         "cls": rng.integers(0, 3, size=(n,))}
    return x, y


@pytest.mark.parametrize("style", ["dict", "list"])
def test_multi_input_multi_output_losses_and_metrics(backend, style):
    mine, ref = _both(_two_heads)
    x, y = _two_heads_data()
    results = []
    for K, model in ((_kx(), mine), (keras, ref)):
        if style == "dict":
            compile_args = dict(
                loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                loss_weights={"reg": 0.5, "cls": 2.0},
                metrics={"cls": ["accuracy"], "reg": ["mae"]})
            targets = y
        else:  # lists follow the order of model.outputs (dict outputs: sorted keys)
            compile_args = dict(loss=["sparse_categorical_crossentropy", "mse"],
                                loss_weights=[2.0, 0.5], metrics=[["accuracy"], ["mae"]])
            targets = [y["cls"], y["reg"]]
        model.compile(optimizer=K.optimizers.SGD(0.1), **compile_args)
        history = model.fit(x, targets, epochs=2, batch_size=4, shuffle=False,
                            verbose=0).history
        results.append((history, model.evaluate(x, targets, verbose=0, return_dict=True)))
    (history, evaluation), (ref_history, ref_evaluation) = results
    assert sorted(history) == sorted(ref_history)
    assert sorted(evaluation) == sorted(ref_evaluation)
    for key in ref_history:
        np.testing.assert_allclose(history[key], ref_history[key], rtol=RTOL, atol=ATOL,
                                   err_msg=key)
    for key in ref_evaluation:
        np.testing.assert_allclose(evaluation[key], ref_evaluation[key], rtol=RTOL,
                                   atol=ATOL, err_msg=key)


# -- subclasses built functionally --------------------------------------------------
def test_model_subclass_called_with_inputs_and_outputs():
    kx = _kx()
    for K in (kx, keras):
        class MyModel(K.Model):
            def describe(self):
                return f"{len(self.layers)} layers"

        inp = K.Input((4,))
        model = MyModel(inp, K.layers.Dense(2)(inp), name="mine")
        assert isinstance(model, MyModel) and type(model).__name__ == "MyModel"
        assert model.describe() == "2 layers" and model.name == "mine"
        assert model(np.ones((1, 4), "float32")).shape == (1, 2)
        again = MyModel(inputs=inp, outputs=model.output)
        assert type(again) is type(model)


# -- clone_model and JSON ---------------------------------------------------------------
def _branchy(K):
    x = K.Input((5,), name="x")
    shared = K.layers.Dense(5, activation="relu", name="shared")
    h = shared(shared(x))
    return K.Model(x, [K.layers.Dense(1, name="out_a")(h),
                       K.layers.Dense(2, name="out_b")(h)], name="branchy")


def test_clone_model_as_keras(backend):
    kx = _kx()
    mine, ref = _both(_branchy)
    renamed = []
    for K, model in ((kx, mine), (keras, ref)):
        def rename(layer, K=K):
            config = layer.get_config()
            config["name"] = "c_" + config["name"]
            return layer.__class__.from_config(config)

        clone = K.models.clone_model(model, clone_function=rename)
        assert clone.name == model.name and clone is not model
        assert all(a is not b for a, b in zip(clone.weights, model.weights))
        renamed.append([l.name for l in clone.layers])
        new_input = K.Input((5,), name="new_x")
        on_tensor = K.models.clone_model(model, input_tensors=new_input)
        assert on_tensor.inputs[0] is new_input
        assert [l.name for l in on_tensor.layers][1:] == [l.name for l in model.layers][1:]
        seq_clone = K.models.clone_model(_convnet(K))
        assert [type(l).__name__ for l in seq_clone.layers] == [
            "Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    assert renamed[0][1:] == renamed[1][1:] == ["c_shared", "c_out_a", "c_out_b"]
    clone = kx.models.clone_model(mine)
    clone.set_weights(mine.get_weights())
    x = np.random.default_rng(5).normal(size=(3, 5)).astype("float32")
    _assert_outputs_close(clone(x), ref(x))
    with pytest.raises(ValueError, match="input_tensors"):
        kx.models.clone_model(mine, input_tensors=[np.ones((1, 5))])


def test_to_json_and_model_from_json_both_ways(backend):
    kx = _kx()
    mine, ref = _both(_branchy)
    mine.compile(optimizer="sgd", loss=["mse", "mse"])
    text = mine.to_json()
    assert json.loads(text)["class_name"] == "Functional"
    x = np.random.default_rng(6).normal(size=(3, 5)).astype("float32")
    for loaded in (kx.models.model_from_json(text),
                   kx.models.model_from_json(ref.to_json())):
        assert [l.name for l in loaded.layers] == [l.name for l in ref.layers]
        loaded.set_weights(ref.get_weights())
        _assert_outputs_close(loaded(x), ref(x))
    assert kx.models.model_from_json(text).compiled
    # And Keras 3 reads kerasx's JSON.
    from_kerasx = keras.models.model_from_json(text)
    from_kerasx.set_weights(ref.get_weights())
    _assert_outputs_close(mine(x), from_kerasx(x))
    with pytest.raises(ValueError, match="JSON"):
        kx.models.model_from_json("{not json")


# -- keras.Input ---------------------------------------------------------------------
def test_input_arguments_as_keras():
    kx = _kx()
    for K in (kx, keras):
        t = K.Input(shape=(3, 2), batch_size=4, dtype="float64", name="features")
        assert tuple(t.shape) == (4, 3, 2) and t.dtype == "float64"
        assert t.name == "features" or t.name.startswith("features")
        assert K.backend.is_keras_tensor(t)
        assert not K.backend.is_keras_tensor(np.ones(2))
        plain = K.Input((7,), sparse=False)
        assert tuple(plain.shape) == (None, 7)
        assert K.Input(tensor=plain).shape == plain.shape
    with pytest.raises(ValueError, match="sparse"):
        kx.Input((3,), sparse=True)
    with pytest.raises(ValueError, match="tensor"):
        kx.Input(tensor=np.ones((2, 3)))


# -- keras.backend names ----------------------------------------------------------------
def test_keras_backend_names_match_keras():
    kx = _kx()
    for name in ("floatx", "epsilon", "image_data_format"):
        assert getattr(kx.backend, name)() == getattr(keras.backend, name)()
    assert kx.backend.backend() in ("tensorflow", "torch", "mxnet")
    for name in ("set_floatx", "set_epsilon", "set_image_data_format", "clear_session",
                 "is_keras_tensor", "standardize_dtype", "is_float_dtype", "is_int_dtype",
                 "result_type", "get_uid"):
        assert callable(getattr(kx.backend, name)), name
    assert kx.backend.is_float_dtype("float16") and kx.backend.is_int_dtype("uint8")
    assert kx.backend.result_type("int32", "float32") == keras.backend.result_type(
        "int32", "float32")
    kx.backend.set_image_data_format("channels_first")
    try:
        assert kx.backend.image_data_format() == "channels_first"
        assert kx.config.image_data_format() == "channels_first"
    finally:
        kx.backend.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="channels_last"):
        kx.backend.set_image_data_format("nhwc")
    kx.backend.set_epsilon(1e-5)
    try:
        assert kx.backend.epsilon() == 1e-5
    finally:
        kx.backend.set_epsilon(1e-7)


def test_clear_session_restarts_layer_names():
    kx = _kx()
    kx.backend.clear_session()
    first = [kx.layers.Dense(1).name, kx.layers.Dense(1).name]
    kx.backend.clear_session()
    assert [kx.layers.Dense(1).name, kx.layers.Dense(1).name] == first == ["dense", "dense_1"]


def test_functional_subclass_saves_loads_and_clones_as_its_class(tmp_path, backend):
    kx = _kx()
    x = np.ones((2, 3), "float32")
    for K in (kx, keras):
        class CustomModel(K.Model):
            def train_step(self, data):
                return super().train_step(data)

        inp = K.Input((3,))
        model = CustomModel(inp, K.layers.Dense(2)(inp))
        model.compile("sgd", "mse")
        path = str(tmp_path / f"{K.__name__}.keras")
        model.save(path)
        for copy in (K.models.load_model(path, custom_objects={"CustomModel": CustomModel}),
                     K.models.clone_model(model),
                     K.models.model_from_json(model.to_json(),
                                              custom_objects={"CustomModel": CustomModel})):
            assert isinstance(copy, CustomModel) and type(copy).__name__ == "CustomModel"
        loaded = K.models.load_model(path, custom_objects={"CustomModel": CustomModel})
        np.testing.assert_allclose(_numpy(loaded(x)) if K is kx else np.asarray(loaded(x)),
                                   _numpy(model(x)) if K is kx else np.asarray(model(x)),
                                   rtol=RTOL, atol=ATOL)


def test_sequential_built_with_add_gives_extractors_and_inputs_errors():
    kx = _kx()
    outs = []
    for K in (kx, keras):
        model = K.Sequential()
        model.add(K.Input((4,)))
        for units in (3, 2, 1):
            model.add(K.layers.Dense(units, kernel_initializer="ones"))
        extractor = K.Model(model.inputs, [layer.output for layer in model.layers])
        outs.append(extractor(np.full((2, 4), 0.5, "float32")))
        with pytest.raises(AttributeError, match="no defined inputs"):
            K.Sequential([K.layers.Dense(2)]).inputs
    _assert_outputs_close(outs[0], outs[1])
    built = kx.Sequential([kx.Input((3,)), kx.layers.Dense(2)])
    assert built.input is built.inputs[0] and built.output is built.outputs[0]


def test_layer_with_extra_call_arguments_in_a_graph(backend):
    """Non-tensor and keyword tensor arguments reach call() when the graph is
    built and when it runs, as in Keras 3."""
    outs = []
    for K in (_kx(), keras):
        class Scale(K.layers.Layer):
            def call(self, x, scale, offset=None):
                return x * scale if offset is None else x * scale + offset

        inp = K.Input((3,))
        model = K.Model(inp, [Scale()(inp, scale=2.0), Scale()(inp, scale=3.0, offset=inp)])
        assert [tuple(t.shape) for t in model.outputs] == [(None, 3), (None, 3)]
        outs.append(model(np.arange(6, dtype="float32").reshape(2, 3)))
    _assert_outputs_close(outs[0], outs[1])


def test_mix_and_match_custom_layer_keeps_a_known_batch(backend):
    """The functional-API guide's "mix and match": a custom layer with a
    Python loop inside a functional model with a fixed batch size."""
    shapes = []
    for K in (_kx(), keras):
        class CustomRNN(K.layers.Layer):
            def __init__(self):
                super().__init__()
                self.projection = K.layers.Dense(4, activation="tanh")
                self.classifier = K.layers.Dense(1)

            def call(self, inputs):
                state = K.ops.zeros((inputs.shape[0], 4))
                outputs = []
                for t in range(inputs.shape[1]):
                    state = self.projection(inputs[:, t, :]) + state
                    outputs.append(state)
                return self.classifier(K.ops.stack(outputs, axis=1))

        inputs = K.Input(batch_shape=(2, 6, 3))
        model = K.Model(inputs, CustomRNN()(K.layers.Conv1D(5, 3)(inputs)))
        shapes.append((tuple(model.output_shape), len(model.weights),
                       tuple(model(np.ones((2, 6, 3), "float32")).shape)))
    assert shapes[0] == shapes[1] == ((2, 4, 1), 6, (2, 4, 1))
