"""kerasx: a Keras-compatible front end over pluggable backends."""
__version__ = "0.1.0"

from kerasx import backend  # noqa: E402  (selects the backend at import)
