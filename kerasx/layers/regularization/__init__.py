from kerasx.layers.regularization.dropout import Dropout
from kerasx.layers.regularization.gaussian_noise import GaussianNoise
from kerasx.layers.regularization.spatial_dropout import SpatialDropout2D

__all__ = ["Dropout", "GaussianNoise", "SpatialDropout2D"]
