from kerasx.layers.merging.add import Add
from kerasx.layers.merging.average import Average
from kerasx.layers.merging.base_merge import Merge
from kerasx.layers.merging.concatenate import Concatenate
from kerasx.layers.merging.dot import Dot
from kerasx.layers.merging.maximum import Maximum
from kerasx.layers.merging.minimum import Minimum
from kerasx.layers.merging.multiply import Multiply
from kerasx.layers.merging.subtract import Subtract

# The functional forms (keras.layers.add, ...) live next to their classes:
# kerasx.layers.merging.add.add, etc. `__all__` lists classes only, because
# kerasx.layers registers every name in it as a layer class.
__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply",
           "Subtract"]
