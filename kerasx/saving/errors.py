"""kerasx's saving errors: every rejected file raises LoadingError."""


class SavingError(Exception):
    """Saving a model or its weights failed (nothing was written over the
    target: saves are atomic)."""


class LoadingError(SavingError, ValueError):
    """A file could not be loaded: it is malformed, truncated, names code or
    classes kerasx does not trust, or does not fit the model.

    It is a ValueError too, as Keras raises ValueError for such files.
    """
