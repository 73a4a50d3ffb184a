"""scikit-learn wrappers, as keras.wrappers: a compiled kerasx model (or a
function building one) as a scikit-learn classifier, regressor or
transformer, usable in pipelines, grid searches and `cross_val_score`."""
from kerasx.wrappers.sklearn_wrapper import (SKLearnClassifier, SKLearnRegressor,
                                             SKLearnTransformer)

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
