from kerasx.layers.activations.elu import ELU
from kerasx.layers.activations.leaky_relu import LeakyReLU
from kerasx.layers.activations.prelu import PReLU
from kerasx.layers.activations.relu import ReLU
from kerasx.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
