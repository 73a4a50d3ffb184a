"""Weight initializers, as keras.initializers; draws come from the portable
generator in float64 and are cast, so every backend starts from the same
weights."""
from kerasx.initializers.constant import Constant, Identity, Ones, Zeros
from kerasx.initializers.random import (GlorotNormal, GlorotUniform, HeNormal, HeUniform,
                                        LecunNormal, LecunUniform, Orthogonal,
                                        RandomNormal, RandomUniform, TruncatedNormal,
                                        VarianceScaling)
from kerasx.initializers.base import Initializer
from kerasx.initializers.stft import STFT
from kerasx.saving.registry import make_getter

_ALL = [Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal,
        HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
        TruncatedNormal, VarianceScaling, STFT]

get, serialize, deserialize = make_getter(
    "initializer", Initializer, _ALL, call_class=True,
    # Keras's short aliases (Embedding's default is "uniform").
    functions={"uniform": RandomUniform, "normal": RandomNormal})

# Keras's function-style aliases.
zeros, ones, constant, identity = Zeros, Ones, Constant, Identity
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_uniform, he_normal = HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
random_normal, random_uniform = RandomNormal, RandomUniform
truncated_normal, orthogonal, variance_scaling = TruncatedNormal, Orthogonal, VarianceScaling
# Keras 3's longer class names of the same initializers.
IdentityInitializer, OrthogonalInitializer, STFTInitializer, stft = (Identity, Orthogonal,
                                                                     STFT, STFT)
