from kerasx.layers.core.activation import Activation
from kerasx.layers.core.dense import Dense
from kerasx.layers.core.input_layer import Input, InputLayer
from kerasx.layers.core.lambda_layer import Lambda, SymbolicOp

__all__ = ["Activation", "Dense", "InputLayer", "Lambda", "SymbolicOp"]
