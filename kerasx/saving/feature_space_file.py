"""FeatureSpace .keras files (keras.utils.FeatureSpace.save and
keras.models.load_model of such a file): Keras 3's layout, which is a
model's with the FeatureSpace config at the top and its preprocessors'
state under preprocessors/<layer>."""
import datetime
import io
import os

from kerasx.saving import assets, keras_file, weights_h5
from kerasx.saving.atomic_write import atomic_write
from kerasx.saving.errors import LoadingError


def save_feature_space(space, filepath):
    """Write the adapted FeatureSpace `space` to the .keras file `filepath`.

    Raises:
        ValueError: a path without the .keras extension, or adapt not
            called yet.
    """
    from kerasx import __version__
    from kerasx.saving.saving_api import KERAS_FORMAT_VERSION

    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError("Invalid filepath extension for saving. Please add the "
                         f"`.keras` extension. Received: filepath={filepath}")
    space._check_adapted()
    # Keras rebuilds each preprocessor from its build config before loading
    # the weights: only those with weights need a shape.
    build = {key: {"input_shape": [None, 1]} if p.weights else {}
             for key, p in space.preprocessors.items()}
    config = {"module": "keras.utils", "class_name": "FeatureSpace",
              "config": space.get_config(), "registered_name": None, "build_config": build}
    metadata = {"keras_version": KERAS_FORMAT_VERSION, "kerasx_version": __version__,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    weights = weights_h5.to_bytes(space, include_optimizer=False)
    with atomic_write(filepath, overwrite=True) as f:
        keras_file.write(f, config, metadata, weights)


def load_feature_space(archive, config):
    """The FeatureSpace a .keras archive holds (saved by Keras 3 or by
    `FeatureSpace.save`), with its preprocessors rebuilt from their build
    configs, their vocabularies read from the assets and their statistics
    from the weights; `kerasx.models.load_model` calls this for such files.

    Raises:
        LoadingError: a malformed config or weights file.
    """
    from kerasx.layers.preprocessing.feature_space import FeatureSpace

    try:
        space = FeatureSpace.from_config(config.get("config") or {})
        for key, build in (config.get("build_config") or {}).items():
            preprocessor = space.preprocessors[key]
            if not preprocessor.built and isinstance(build, dict) and build.get("input_shape"):
                preprocessor.build(tuple(build["input_shape"]))
    except Exception as exc:  # anything a malformed config makes a constructor raise
        raise LoadingError(f"The FeatureSpace could not be rebuilt from its config: "
                           f"{type(exc).__name__}: {exc}") from exc
    expected = weights_h5.variable_bytes(space, include_optimizer=False)
    data = archive.read(keras_file.WEIGHTS, expected * 2 + keras_file.WEIGHTS_OVERHEAD_BYTES)
    assets.load_assets(space, archive)
    with weights_h5.open_h5(io.BytesIO(data)) as h5file:
        weights_h5.assign(weights_h5.read_values(space, h5file, include_optimizer=False))
    space._mark_adapted()
    return space
