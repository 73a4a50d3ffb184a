"""Seed handling: the global generator and SeedGenerator objects."""
import contextlib

import numpy as np

from kerasx.backend.state import STATE, setting


class SeedGenerator:
    """A stream of random draws with its own state, as keras.random.SeedGenerator.

    Args:
        seed: int seed, or None to derive one from the global generator (itself
            fixed by `kerasx.utils.set_random_seed`).

    The state can be saved and restored (`get_state` / `set_state`), so that a
    resumed run draws exactly what an uninterrupted one would have.
    """

    def __init__(self, seed=None, name=None):
        if seed is None:
            seed = int(global_seed_generator().generator.integers(0, 2**63 - 1))
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"`seed` must be a non-negative int or None; received {seed!r}.")
        self.seed = int(seed)
        self.name = name
        self._generator = np.random.Generator(np.random.PCG64(self.seed))

    @property
    def generator(self):
        """The NumPy Generator to draw from."""
        self._note_use()
        return self._generator

    def _note_use(self):
        # Inside states_restored, remember the state before the first use.
        restored = STATE.restored_generators
        if restored is not None and self not in restored:
            restored[self] = self._generator.bit_generator.state

    def get_state(self):
        return self._generator.bit_generator.state

    def set_state(self, state):
        self._note_use()
        self._generator.bit_generator.state = state

    def get_config(self):
        return {"seed": self.seed, "name": self.name}


@contextlib.contextmanager
def states_restored():
    """Every SeedGenerator (the global one included) that this thread draws
    from inside the block leaves it in the state it entered it: draws made
    inside are not consumed. Generators that other threads draw from
    meanwhile are left alone (a dry run in one thread must not rewind the
    dropout masks of a model training in another)."""
    restored = {}
    try:
        with setting(restored_generators=restored):
            yield
    finally:
        for generator, state in restored.items():
            generator._generator.bit_generator.state = state


_GLOBAL = None


def global_seed_generator():
    """The generator used when no seed is given."""
    global _GLOBAL
    if _GLOBAL is None:
        _GLOBAL = SeedGenerator(int(np.random.SeedSequence().entropy % (2**63)))
    return _GLOBAL


def set_global_seed(seed):
    """Reset the global generator to `seed`."""
    global _GLOBAL
    _GLOBAL = SeedGenerator(int(seed))


def draw_generator(seed):
    """The numpy Generator to draw from for a Keras-style `seed` argument.

    An int gives the same draws at every call (as Keras's stateless int
    seeds); a SeedGenerator advances its own state; None uses the global one.
    """
    if seed is None:
        return global_seed_generator().generator
    if isinstance(seed, SeedGenerator):
        return seed.generator
    if isinstance(seed, (int, np.integer)):
        return np.random.Generator(np.random.PCG64(int(seed)))
    raise ValueError(f"`seed` must be an int, a SeedGenerator or None; received {seed!r}.")
