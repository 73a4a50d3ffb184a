"""AdaptiveAverage/MaxPooling1D/2D/3D against Keras 3 (TensorFlow backend):
outputs, gradients, output shapes, configs and argument errors."""
import numpy as np
import pytest

from tests.keras_reference import case_id, check_layer

pytest.importorskip("keras")

CF = dict(data_format="channels_first")

# Input lengths chosen so that Keras's own TensorFlow kernel works (it fails
# when its "big" window, ceil(n / m) + 1, exceeds the input length n).
CASES = [
    (f"Adaptive{mode}Pooling{rank}D", kwargs, shape)
    for mode in ("Average", "Max")
    for rank, kwargs, shape in (
        (1, dict(output_size=3), (2, 7, 3)),
        (1, dict(output_size=4, **CF), (2, 3, 8)),
        (1, dict(output_size=(5,)), (2, 3, 2)),
        (2, dict(output_size=(3, 4)), (2, 5, 6, 2)),
        (2, dict(output_size=2, **CF), (2, 3, 5, 4)),
        (3, dict(output_size=(2, 3, 2)), (1, 5, 4, 3, 2)),
        (3, dict(output_size=2, **CF), (1, 2, 4, 5, 3)),
    )
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape)


def test_same_output_for_any_input_size(backend):
    from kerasx import layers
    layer = layers.AdaptiveAveragePooling2D((3, 2))
    for shape in ((2, 7, 5, 3), (2, 9, 4, 3), (2, 3, 2, 3)):
        assert tuple(layer(np.ones(shape, "float32")).shape) == (2, 3, 2, 3)


@pytest.mark.parametrize("make, error, message", [
    (lambda L: L.AdaptiveMaxPooling1D((2, 3)), ValueError, "output_size"),
    (lambda L: L.AdaptiveMaxPooling2D("3"), TypeError, "output_size"),
    (lambda L: L.AdaptiveAveragePooling3D((2, 2)), ValueError, "output_size"),
    (lambda L: L.AdaptiveAveragePooling2D(0), ValueError, "output_size"),
    (lambda L: L.AdaptiveAveragePooling1D(2, data_format="NCW"), ValueError,
     "data_format"),
])
def test_bad_arguments(make, error, message):
    from kerasx import layers
    with pytest.raises(error, match=message):
        make(layers)
