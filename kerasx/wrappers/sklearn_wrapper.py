"""The scikit-learn estimators around kerasx models (keras.wrappers)."""
import copy

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the classes still import; constructing one says what to install
    sklearn = None

    class BaseEstimator:
        """Stands in for sklearn.base.BaseEstimator (scikit-learn missing)."""

    class ClassifierMixin:
        """Stands in for sklearn.base.ClassifierMixin."""

    class RegressorMixin:
        """Stands in for sklearn.base.RegressorMixin."""

    class TransformerMixin:
        """Stands in for sklearn.base.TransformerMixin."""


def _require_sklearn(name):
    if sklearn is None:
        raise ImportError(f"{name} requires `scikit-learn` to be installed. Run `pip install "
                          "scikit-learn` to install it.")


def _validate_data(estimator, *args, **kwargs):
    """sklearn's input validation (a function from 1.6, a method before)."""
    try:
        from sklearn.utils.validation import validate_data
    except ImportError:
        return estimator._validate_data(*args, **kwargs)
    return validate_data(estimator, *args, **kwargs)


def _target_type(y):
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(y)
    if kind == "unknown":
        raise ValueError(f"Unknown label type: {y!r}")
    return kind


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Makes 1-D targets 2-D (for encoders that need 2-D) and back."""

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        return np.squeeze(y, axis=1) if self.ndim_ == 1 and y.ndim == 2 else y


class SKLBase(BaseEstimator):
    """A kerasx model as a scikit-learn estimator.

    Args:
        model: a compiled kerasx Model (cloned, so every fit starts afresh),
            or a function `model(X, y, **model_kwargs)` returning a compiled
            model built for that data.
        warm_start: kept for scikit-learn's API (as Keras's wrappers, each
            `fit` builds a new model).
        model_kwargs: keyword arguments for `model` when it is a function.
        fit_kwargs: keyword arguments for `Model.fit` (epochs, batch_size...).

    Raises:
        ImportError: scikit-learn is not installed.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        _require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):
        return {"non_deterministic": True}

    def __sklearn_clone__(self):
        model = self.model if callable(self.model) else copy.deepcopy(self.model)
        return type(self)(model=model, warm_start=self.warm_start,
                          model_kwargs=self.model_kwargs)

    @property
    def epoch_(self):
        """The number of epochs of the last fit."""
        return len(self.history_.epoch) if hasattr(self, "history_") else 0

    def _get_model(self, X, y):
        from kerasx.models import Model, clone_model

        if isinstance(self.model, Model):
            return clone_model(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Build the model and train it on (X, y); keyword arguments go to
        `Model.fit` (after `fit_kwargs`).

        Raises:
            RuntimeError: the model is not compiled with a loss and an
                optimizer.
            ValueError: targets scikit-learn cannot classify.
        """
        X, y = _validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        if not getattr(model, "compiled", False) or not getattr(model, "loss", None) \
                or not getattr(model, "optimizer", None):
            raise RuntimeError("Given model needs to be compiled, and have a loss and an "
                               "optimizer.")
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X):
        """The model's predictions for X, as targets of the fitted kind."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X, verbose=0))

    def _process_target(self, y, reset=False):
        _target_type(y)
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A kerasx classifier for scikit-learn: targets are one-hot encoded for
    the model (`classes_` holds the labels), predictions decoded back to
    labels. See SKLBase for the arguments.

    Raises:
        ImportError: scikit-learn is not installed.
    """

    def decision_function(self, X):
        """The model's raw outputs for X."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        return self.model_.predict(_validate_data(self, X, reset=False), verbose=0)

    def _process_target(self, y, reset=False):
        import sklearn.pipeline
        import sklearn.preprocessing

        kind = _target_type(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError(f"Only binary and multiclass target types are supported. "
                             f"Target type: {kind}")
        if reset:
            self._target_encoder = sklearn.pipeline.make_pipeline(
                TargetReshaper(), sklearn.preprocessing.OneHotEncoder(sparse_output=False)
            ).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def _more_tags(self):
        return {"poor_score": True}


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A kerasx regressor for scikit-learn (targets passed as they are,
    1-D targets predicted 1-D). See SKLBase for the arguments.

    Raises:
        ImportError: scikit-learn is not installed.
    """

    def _more_tags(self):
        return {"poor_score": True}


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A kerasx model as a scikit-learn transformer: `transform(X)` is the
    model's output (e.g. an embedding). See SKLBase for the arguments.

    Raises:
        ImportError: scikit-learn is not installed.
    """

    def transform(self, X):
        """The model's outputs for X."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        return self.model_.predict(_validate_data(self, X, reset=False), verbose=0)

    def _more_tags(self):
        return {"preserves_dtype": []}
