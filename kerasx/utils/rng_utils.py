"""set_random_seed, as keras.utils.set_random_seed."""
import random

import numpy as np


def set_random_seed(seed):
    """Seed every source of randomness kerasx uses: Python's `random`,
    NumPy's global generator, and kerasx's portable generator
    (`kerasx.random.set_global_seed`), which draws the initial weights,
    shuffling and dropout masks identically on every backend.

    Raises:
        ValueError: when `seed` is not an int.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError("Expected `seed` argument to be an integer. "
                         f"Received: seed={seed} (of type {type(seed)})")
    from kerasx.random import set_global_seed

    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    set_global_seed(seed)
