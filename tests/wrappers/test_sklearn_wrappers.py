"""The scikit-learn wrappers against Keras 3's: the same model function and
deterministic initial weights give the same predictions after fitting; the
estimators work in scikit-learn's own tools."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")
sklearn = pytest.importorskip("sklearn")
# Keras 3.15's classifier uses sklearn.pipeline without importing it.
import sklearn.pipeline  # noqa: E402,F401
import sklearn.preprocessing  # noqa: E402,F401

import kerasx  # noqa: E402


def _data(classes=3):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4)).astype("float32")
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int) if classes == 3 \
        else X @ np.array([1.0, -2.0, 0.5, 0.0], "float32")
    return X, y


def _builder(api, activation, loss):
    def build(X, y, hidden=5):
        units = y.shape[1] if y.ndim == 2 else 1
        init = api.initializers.Constant(0.1)
        model = api.Sequential([api.Input((X.shape[1],)),
                                api.layers.Dense(hidden, activation="tanh",
                                                 kernel_initializer=api.initializers.Orthogonal(seed=1)
                                                 if api is keras else init),
                                api.layers.Dense(units, activation=activation,
                                                 kernel_initializer=init)])
        model.compile(optimizer=api.optimizers.SGD(0.1), loss=loss)
        return model
    return build


def _same_start(build_ours, build_ref):
    """Model functions whose models start from the same weights: kerasx
    copies Keras's first model's initial weights."""
    cache = {}

    def ours(X, y, **kwargs):
        model = build_ours(X, y, **kwargs)
        model.set_weights(cache["weights"])
        return model

    def ref(X, y, **kwargs):
        model = build_ref(X, y, **kwargs)
        cache["weights"] = model.get_weights()
        return model

    return ours, ref


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_fit_predict_matches_keras(backend, kind):
    X, y = _data(3 if kind == "classifier" else 0)
    activation, loss = (("softmax", "categorical_crossentropy") if kind == "classifier"
                        else (None, "mse"))
    ours_fn, ref_fn = _same_start(_builder(kerasx, activation, loss),
                                  _builder(keras, activation, loss))
    cls = "SKLearnClassifier" if kind == "classifier" else "SKLearnRegressor"
    fit_kwargs = dict(epochs=3, batch_size=20, shuffle=False, verbose=0)
    ref = getattr(keras.wrappers, cls)(ref_fn, model_kwargs={"hidden": 6},
                                       fit_kwargs=fit_kwargs).fit(X, y)
    ours = getattr(kerasx.wrappers, cls)(ours_fn, model_kwargs={"hidden": 6},
                                         fit_kwargs=fit_kwargs).fit(X, y)
    if kind == "classifier":
        np.testing.assert_array_equal(ours.classes_, ref.classes_)
        np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
        assert ours.score(X, y) == pytest.approx(ref.score(X, y))
    else:
        np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-5, atol=1e-5)
        assert ours.predict(X).shape == (60,)
    assert ours.epoch_ == 3


def test_transformer_and_scikit_learn_tools(backend):
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _data()
    clf = kerasx.wrappers.SKLearnClassifier(
        _builder(kerasx, "softmax", "categorical_crossentropy"),
        fit_kwargs=dict(epochs=2, verbose=0))
    scores = cross_val_score(make_pipeline(StandardScaler(), clf), X, y, cv=2)
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))
    embed = kerasx.wrappers.SKLearnTransformer(
        _builder(kerasx, None, "mse"), model_kwargs={"hidden": 3},
        fit_kwargs=dict(epochs=1, verbose=0)).fit(X, X[:, 0])
    assert embed.transform(X).shape == (60, 1)
    np.testing.assert_allclose(embed.transform(X), embed.model_.predict(X, verbose=0))


def test_errors_are_keras_s():
    X, y = _data()
    uncompiled = kerasx.wrappers.SKLearnRegressor(
        lambda X, y: kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(1)]))
    with pytest.raises(RuntimeError, match="needs to be compiled"):
        uncompiled.fit(X, y.astype("float32"))
    clf = kerasx.wrappers.SKLearnClassifier(_builder(kerasx, "softmax",
                                                     "categorical_crossentropy"))
    with pytest.raises(ValueError, match="only one class"):
        clf.fit(X, np.zeros(60, int))
    with pytest.raises(ValueError, match="binary and multiclass"):
        clf.fit(X, X[:, 0])


def test_without_scikit_learn_kerasx_imports_and_the_error_says_what_to_install(python):
    code = (
        "import builtins\n"
        "real = builtins.__import__\n"
        "def hide(name, *a, **k):\n"
        "    if name.split('.')[0] == 'sklearn':\n"
        "        raise ImportError('hidden')\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = hide\n"
        "import kerasx\n"
        "try:\n"
        "    kerasx.wrappers.SKLearnRegressor(model=None)\n"
        "except ImportError as e:\n"
        "    print('ERROR', e)\n")
    result = python(code)
    assert result.returncode == 0, result.stderr
    assert "ERROR SKLearnRegressor requires `scikit-learn`" in result.stdout
    assert "pip install scikit-learn" in result.stdout
