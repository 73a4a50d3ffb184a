from kerasx.layers.core.activation import Activation
from kerasx.layers.core.dense import Dense
from kerasx.layers.core.einsum_dense import EinsumDense
from kerasx.layers.core.embedding import Embedding
from kerasx.layers.core.identity import Identity
from kerasx.layers.core.input_layer import Input, InputLayer
from kerasx.layers.core.lambda_layer import Lambda, SymbolicOp
from kerasx.layers.core.masking import Masking
from kerasx.layers.core.op_layer import OpLayer
from kerasx.layers.core.reversible_embedding import ReversibleEmbedding
from kerasx.layers.core.torch_module_wrapper import TorchModuleWrapper
from kerasx.layers.core.wrapper import Wrapper

__all__ = ["Activation", "Dense", "EinsumDense", "Embedding", "Identity", "InputLayer",
           "Lambda", "Masking", "OpLayer", "ReversibleEmbedding", "SymbolicOp",
           "TorchModuleWrapper", "Wrapper"]
