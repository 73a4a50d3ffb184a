"""Portable randomness (DESIGN.md rule 5), as keras.random.

Every random number kerasx draws (initial weights, shuffling, dropout masks,
noise) comes from NumPy's PCG64 generator on the host, then becomes a tensor,
so one seed gives bit-identical draws on every backend.
"""
from kerasx.random.seed_generator import (SeedGenerator, draw_generator,
                                          global_seed_generator, set_global_seed)
from kerasx.random.distributions import beta, binomial, categorical, gamma
from kerasx.random.sampling import (dropout, normal, randint, shuffle,
                                    truncated_normal, uniform)

__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
           "truncated_normal", "uniform", "draw_generator", "global_seed_generator",
           "set_global_seed"]
