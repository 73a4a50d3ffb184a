from kerasx.layers.regularization.dropout import Dropout

__all__ = ["Dropout"]
