"""`keras.applications.resnet50`: ResNet50 with its preprocessing."""
from kerasx.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
