"""model.save / load_model / save_weights / load_weights in Keras 3's formats.

A `.keras` file is a zip of metadata.json, config.json (the model's config
with its build and compile configs, in Keras 3's format) and
model.weights.h5 (kerasx/saving/weights_h5.py). Files written by Keras 3 load
in kerasx and the other way round.

Saving is atomic (kerasx/saving/atomic_write.py). Loading never runs code
from the file (kerasx/saving/safety.py) and rejects every malformed file
with LoadingError.
"""
import datetime
import io
import os
import warnings

from kerasx.saving import assets, keras_file, legacy_h5, load_guard, safety, weights_h5
from kerasx.saving.atomic_write import atomic_write
from kerasx.saving.errors import LoadingError, SavingError
from kerasx.saving.registry import effective_safe_mode, safe_mode_scope

#: The Keras release whose file format kerasx writes (metadata.json).
KERAS_FORMAT_VERSION = "3.15.1"


# -- configs --------------------------------------------------------------------------
def _serialize_structure(value, serialize):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {k: _serialize_structure(v, serialize) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_serialize_structure(v, serialize) for v in value]
    return serialize(value)


def _deserialize_structure(value, deserialize, custom_objects):
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, dict) and "class_name" in value:
        return deserialize(value, custom_objects)
    if isinstance(value, dict):
        return {k: _deserialize_structure(v, deserialize, custom_objects)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_deserialize_structure(v, deserialize, custom_objects) for v in value]
    raise ValueError(f"Cannot interpret {value!r} in a compile config.")


def get_compile_config(model):
    """The compile() arguments in Keras 3's format, or None if not compiled."""
    from kerasx import losses, metrics, optimizers

    args = getattr(model, "_compile_args", None)
    if not getattr(model, "compiled", False) or args is None:
        return None
    return {
        "optimizer": optimizers.serialize(model.optimizer),
        "loss": _serialize_structure(args["loss"], losses.serialize),
        "loss_weights": args["loss_weights"],
        "metrics": _serialize_structure(args["metrics"], metrics.serialize),
        "weighted_metrics": _serialize_structure(args["weighted_metrics"],
                                                 metrics.serialize),
        "run_eagerly": bool(args["run_eagerly"]),
        "steps_per_execution": args["steps_per_execution"],
        "jit_compile": args["jit_compile"] if isinstance(args["jit_compile"], bool)
        else False,
    }


def compile_from_config(model, config, custom_objects=None):
    """compile() the model from `get_compile_config` output (or Keras's). The
    optimizer is built when saved slots are loaded (weights_h5.read_values)."""
    from kerasx import losses, metrics, optimizers
    from kerasx.trainers.trainer import Trainer

    if not isinstance(config, dict):
        raise ValueError(f"Invalid compile config {config!r}.")
    if type(model).compile is not Trainer.compile:
        # As Keras 3: a custom compile() may take other arguments; the model
        # is left uncompiled rather than compiled wrongly.
        warnings.warn("`compile()` was not called as part of model loading because the "
                      "model's `compile()` method is custom. All subclassed Models that "
                      "have `compile()` overridden should also override "
                      "`get_compile_config()` and `compile_from_config(config)`. "
                      "Alternatively, you can call `compile()` manually after loading.",
                      stacklevel=3)
        return
    optimizer = config.get("optimizer", "rmsprop")
    if isinstance(optimizer, dict):
        optimizer = optimizers.deserialize(optimizer, custom_objects)
    model.compile(
        optimizer=optimizer,
        loss=_deserialize_structure(config.get("loss"), losses.deserialize, custom_objects),
        loss_weights=config.get("loss_weights"),
        metrics=_deserialize_structure(config.get("metrics"), metrics.deserialize,
                                       custom_objects),
        weighted_metrics=_deserialize_structure(config.get("weighted_metrics"),
                                                metrics.deserialize, custom_objects),
        run_eagerly=bool(config.get("run_eagerly", False)),
        steps_per_execution=config.get("steps_per_execution", 1) or 1)


def _build_config(model):
    from kerasx.models.functional import Functional

    if isinstance(model, Functional) or not model.built:
        return None
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        return None
    if shape is None or not isinstance(shape, tuple):
        return None
    return {"input_shape": list(shape)}


def model_config(model):
    from kerasx import layers

    config = layers.serialize(model)
    build = _build_config(model)
    if build is not None:
        config["build_config"] = build
    compile_config = get_compile_config(model)
    if compile_config is not None:
        config["compile_config"] = compile_config
    return config


# -- save ------------------------------------------------------------------------------
def _check_overwrite(path, overwrite):
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False; not overwriting it.")


def save_model(model, filepath, overwrite=True, zipped=True, include_optimizer=True,
               **kwargs):
    """Save `model` as a .keras file, atomically.

    Raises:
        ValueError: for a path not ending in ".keras", or `zipped=False`.
        SavingError: when the model cannot be serialized.
    """
    filepath = os.fspath(filepath)
    if not zipped:
        raise ValueError("kerasx saves .keras archives only (zipped=True).")
    if not filepath.endswith(".keras"):
        raise ValueError("Invalid filepath extension for saving. Please add the `.keras` "
                         "extension (kerasx writes Keras 3's .keras format; the legacy "
                         f"HDF5 model format is not supported). Received: "
                         f"filepath={filepath}")
    _check_overwrite(filepath, overwrite)
    try:
        config = model_config(model)
        weights = weights_h5.to_bytes(model, include_optimizer=include_optimizer)
    except (SavingError, ValueError, TypeError, NotImplementedError) as exc:
        raise SavingError(f"Could not save model {model.name!r}: {exc}") from exc
    from kerasx import __version__

    metadata = {"keras_version": KERAS_FORMAT_VERSION, "kerasx_version": __version__,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    with atomic_write(filepath, overwrite=overwrite) as f:
        keras_file.write(f, config, metadata, weights)


def save_weights(model, filepath, overwrite=True, extra=None):
    """Save the weights (and optimizer state) to a .weights.h5 file, atomically."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError("The filename must end in `.weights.h5`. "
                         f"Received: filepath={filepath}")
    if not model.built:
        raise ValueError("You are saving a model that has not yet been built. Try "
                         "building the model first by calling it on some data or by "
                         "using `build()`.")
    _check_overwrite(filepath, overwrite)
    data = weights_h5.to_bytes(model, extra=extra)
    with atomic_write(filepath, overwrite=overwrite) as f:
        f.write(data)


# -- load ------------------------------------------------------------------------------
def _model_from_config(config, custom_objects, compile, safe_mode, weight_bytes):
    from kerasx import layers
    from kerasx.models.model import Model

    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str) \
            or not isinstance(config.get("config", {}), dict):
        raise LoadingError("config.json does not describe a model (expected an object "
                           "with class_name and config).")
    safe_mode = effective_safe_mode(safe_mode)
    safety.check_config(config, custom_objects, safe_mode)
    try:
        with safe_mode_scope(safe_mode):
            with load_guard.allocation_limits(weight_bytes):
                model = layers.deserialize(config, custom_objects)
                if not isinstance(model, Model):
                    raise LoadingError(f"config.json describes a {type(model).__name__}, "
                                       "not a model.")
                build = config.get("build_config")
                if not model.built and isinstance(build, dict) and build.get("input_shape"):
                    model.build(tuple(build["input_shape"]))
            # Optimizer slots are bounded by the model's weights, checked above.
            compile_config = config.get("compile_config")
            if compile and compile_config:
                if type(model).compile_from_config is not Model.compile_from_config:
                    from kerasx.saving.serialization import CustomObjectScope
                    with CustomObjectScope(custom_objects):  # a subclass's own (Keras)
                        model.compile_from_config(compile_config)
                else:
                    compile_from_config(model, compile_config, custom_objects)
    except LoadingError:
        raise
    except Exception as exc:  # anything a hostile config makes a constructor raise
        raise LoadingError(f"The model could not be rebuilt from its config: "
                           f"{type(exc).__name__}: {exc}") from exc
    return model


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved by `model.save` (kerasx or Keras 3).

    Args:
        filepath: path of a .keras file.
        custom_objects: {name: class or function} for the user's own objects.
        compile: compile the model as it was saved (with its optimizer state).
        safe_mode: refuse Python bytecode (Lambda functions) in the file;
            pass False only for files you trust.

    Raises:
        LoadingError: for a malformed, truncated or untrusted file.
        ValueError: for a path without the .keras extension.
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError("Invalid filename: expected a `.keras` extension. "
                         f"Received: filepath={filepath}")
    with keras_file.KerasArchive(filepath) as archive:
        if archive.has(keras_file.METADATA):
            metadata = archive.read_json(keras_file.METADATA, keras_file.MAX_METADATA_BYTES)
            if not isinstance(metadata, dict):
                raise LoadingError("metadata.json is not a JSON object.")
        config = archive.read_json(keras_file.CONFIG, keras_file.MAX_CONFIG_BYTES)
        if not archive.has(keras_file.WEIGHTS):
            raise LoadingError(f"{filepath} is not a complete .keras file: member "
                               f"{keras_file.WEIGHTS!r} is missing.")
        if isinstance(config, dict) and config.get("class_name") == "FeatureSpace":
            # keras.utils.FeatureSpace files (not a model; Keras loads them here too).
            safety.check_config(config, custom_objects, effective_safe_mode(safe_mode))
            from kerasx.saving.feature_space_file import load_feature_space
            return load_feature_space(archive, config)
        declared = archive.members[keras_file.WEIGHTS].file_size
        model = _model_from_config(config, custom_objects, compile, safe_mode, declared)
        expected = weights_h5.variable_bytes(model)
        data = archive.read(keras_file.WEIGHTS,
                            expected * 2 + keras_file.WEIGHTS_OVERHEAD_BYTES)
        assets.load_assets(model, archive)
    with weights_h5.open_h5(io.BytesIO(data)) as h5file:
        weights_h5.assign(weights_h5.read_values(model, h5file))
    return model


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Load weights saved by `save_weights` (or the weights of a .keras file,
    or a legacy Keras `.h5` weights file such as Keras's published
    applications weights: by layer order, or by layer name with
    `by_name=True`).

    All weights are read and checked before any is assigned: a bad file
    leaves the model unchanged.

    Raises:
        LoadingError: for a malformed file or one that does not fit the model.
    """
    filepath = os.fspath(filepath)
    if skip_mismatch:
        raise ValueError("kerasx does not support skip_mismatch=True yet.")
    if not model.built:
        raise ValueError("You are loading weights into a model that has not yet been "
                         "built. Try building the model first by calling it on some data "
                         "or by using `build()`.")
    if filepath.endswith(".keras"):
        with keras_file.KerasArchive(filepath) as archive:
            data = archive.read(keras_file.WEIGHTS, weights_h5.variable_bytes(model) * 2
                                + keras_file.WEIGHTS_OVERHEAD_BYTES)
        source = io.BytesIO(data)
    elif filepath.endswith(".h5") or filepath.endswith(".hdf5"):
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"No such file: {filepath}")
        source = filepath
    else:
        raise ValueError("File format not supported: filepath="
                         f"{filepath}. kerasx loads `.weights.h5`, `.keras` and legacy "
                         "`.h5` weight files.")
    by_name = kwargs.pop("by_name", False)
    if kwargs:
        raise TypeError(f"load_weights() got unexpected arguments: {sorted(kwargs)}.")
    with weights_h5.open_h5(source) as h5file:
        if not filepath.endswith(".weights.h5") and legacy_h5.is_legacy(h5file):
            # Keras 2's layout, in which Keras publishes its applications' weights.
            pairs = legacy_h5.read_values(model, h5file, by_name=by_name)
        else:
            pairs = weights_h5.read_values(model, h5file)
        weights_h5.assign(pairs)
