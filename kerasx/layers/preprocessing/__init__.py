from kerasx.layers.preprocessing.category_encoding import CategoryEncoding
from kerasx.layers.preprocessing.discretization import Discretization
from kerasx.layers.preprocessing.hashed_crossing import HashedCrossing
from kerasx.layers.preprocessing.hashing import Hashing
from kerasx.layers.preprocessing.integer_lookup import IntegerLookup
from kerasx.layers.preprocessing.normalization import Normalization
from kerasx.layers.preprocessing.rescaling import Rescaling
from kerasx.layers.preprocessing.string_lookup import StringLookup
from kerasx.layers.preprocessing.text_vectorization import TextVectorization

__all__ = ["CategoryEncoding", "Discretization", "HashedCrossing", "Hashing", "IntegerLookup",
           "Normalization", "Rescaling", "StringLookup", "TextVectorization"]
