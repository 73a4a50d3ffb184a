"""Pooling layers, as keras.layers: windowed (Max/AveragePooling1D/2D/3D),
global (GlobalMax/GlobalAveragePooling1D/2D/3D), adaptive
(AdaptiveMax/AdaptiveAveragePooling1D/2D/3D), and Keras's alias names
(MaxPool2D is MaxPooling2D, ...)."""
from kerasx.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D
from kerasx.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D
from kerasx.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D
from kerasx.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D
from kerasx.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D
from kerasx.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D
from kerasx.layers.pooling.average_pooling1d import AveragePooling1D
from kerasx.layers.pooling.average_pooling2d import AveragePooling2D
from kerasx.layers.pooling.average_pooling3d import AveragePooling3D
from kerasx.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from kerasx.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from kerasx.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from kerasx.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from kerasx.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from kerasx.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from kerasx.layers.pooling.max_pooling1d import MaxPooling1D
from kerasx.layers.pooling.max_pooling2d import MaxPooling2D
from kerasx.layers.pooling.max_pooling3d import MaxPooling3D

# Keras's second names for the same classes.
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D

__all__ = ["AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D",
           "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D",
           "AdaptiveMaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
           "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
           "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
           "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
           "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D",
           "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D"]
