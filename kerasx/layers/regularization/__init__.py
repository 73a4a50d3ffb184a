"""Regularization layers, as keras.layers: Dropout, SpatialDropout1D/2D/3D,
AlphaDropout, GaussianDropout, GaussianNoise, ActivityRegularization."""
from kerasx.layers.regularization.activity_regularization import ActivityRegularization
from kerasx.layers.regularization.alpha_dropout import AlphaDropout
from kerasx.layers.regularization.dropout import Dropout
from kerasx.layers.regularization.gaussian_dropout import GaussianDropout
from kerasx.layers.regularization.gaussian_noise import GaussianNoise
from kerasx.layers.regularization.spatial_dropout import (SpatialDropout1D,
                                                          SpatialDropout2D,
                                                          SpatialDropout3D)

__all__ = ["ActivityRegularization", "AlphaDropout", "Dropout", "GaussianDropout",
           "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]
