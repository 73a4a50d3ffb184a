from kerasx.layers.core.activation import Activation
from kerasx.layers.core.dense import Dense
from kerasx.layers.core.embedding import Embedding
from kerasx.layers.core.input_layer import Input, InputLayer
from kerasx.layers.core.lambda_layer import Lambda, SymbolicOp
from kerasx.layers.core.masking import Masking

__all__ = ["Activation", "Dense", "Embedding", "InputLayer", "Lambda", "Masking",
           "SymbolicOp"]
