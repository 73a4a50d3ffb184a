"""Activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax) against Keras 3
(TensorFlow backend)."""
import numpy as np
import pytest

from tests.layer_parity import (check_config, check_output_shape, compare,
                                inputs_off_kinks, report_at_teardown)

keras = pytest.importorskip("keras")


_report = report_at_teardown("activation layers")
_x = inputs_off_kinks


ACTIVATION_CASES = [
    ("ReLU", dict()),
    ("ReLU", dict(max_value=1.5)),
    ("ReLU", dict(negative_slope=0.1)),
    ("ReLU", dict(threshold=0.5)),
    ("ReLU", dict(max_value=1.5, negative_slope=0.2, threshold=0.5)),
    ("ReLU", dict(max_value=6.0)),
    ("LeakyReLU", dict()),
    ("LeakyReLU", dict(negative_slope=0.05)),
    ("ELU", dict()),
    ("ELU", dict(alpha=0.5)),
    ("Softmax", dict()),
    ("Softmax", dict(axis=1)),
    ("Softmax", dict(axis=[1, 2])),
    ("PReLU", dict()),
    ("PReLU", dict(shared_axes=[1, 2])),
    ("PReLU", dict(shared_axes=1, alpha_initializer="ones")),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATION_CASES,
                         ids=[f"{n}-{k}" for n, k in ACTIVATION_CASES])
def test_activation_layers_match_keras(backend, name, kwargs):
    from kerasx import layers

    shape = (2, 3, 4)
    layer, ref = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    compare(backend, layer, ref, _x(shape), trainings=(None,))
    check_output_shape(layer, ref, (None,) + shape[1:])
    # Keras's ELU drops alpha from its config; kerasx keeps it (a superset).
    clone = check_config(layer, ref, skip=()) if name != "ELU" else None
    if name == "ELU":
        config = layer.get_config()
        assert set(ref.get_config()) | {"alpha"} == set(config)
        assert type(layer).from_config(config).alpha == layer.alpha
    elif name == "PReLU":
        assert clone.shared_axes == layer.shared_axes


def test_leaky_relu_default_slope_is_keras_layer_default(backend):
    from kerasx import layers

    assert layers.LeakyReLU().negative_slope == 0.3 == \
        keras.layers.LeakyReLU().negative_slope


def test_softmax_mask_matches_keras(backend):
    from kerasx import layers

    x = _x((2, 3, 5))
    mask = np.array([[1, 1, 0, 0, 1], [1, 0, 1, 1, 1]], bool)[:, None, :]
    compare(backend, layers.Softmax(), keras.layers.Softmax(), x, trainings=(None,),
            call_kwargs={"mask": mask})


def test_activation_argument_errors(backend):
    from kerasx import layers

    with pytest.raises(ValueError, match="max_value=-1"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope=-0.1"):
        layers.ReLU(negative_slope=-0.1)
    with pytest.raises(ValueError, match="threshold=None"):
        layers.ReLU(threshold=None)
    with pytest.raises(ValueError, match="negative_slope=-1"):
        layers.LeakyReLU(negative_slope=-1)
    with pytest.raises(ValueError, match="shared_axes"):
        layers.PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match="out of range"):
        layers.PReLU(shared_axes=[3])(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="axis"):
        layers.Softmax(axis="x")
