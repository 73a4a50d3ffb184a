"""Weights in the legacy Keras HDF5 layout (`.h5`): the files of Keras 2's
`save_weights`/`save`, in which Keras publishes its applications' weights.

The root (or, in a whole-model file, its `model_weights` group) lists
`layer_names`; each layer's group lists its `weight_names`, datasets in the
order trainable then non-trainable. Loading is by order (Keras's default:
the i-th layer with weights takes the i-th saved layer with weights) or, with
`by_name=True`, by layer name. As with `.weights.h5` files, every dataset is
checked against its variable (shape, dtype, plain dataset) before anything
is assigned, so a file that does not fit leaves the model unchanged.
"""
from kerasx.saving.errors import LoadingError
from kerasx.saving.weights_h5 import _child, _read_dataset


def _attribute(group, name):
    """A string-list attribute, Keras's way: chunked as name0, name1... when
    it was too large for one attribute."""
    if name in group.attrs:
        values = list(group.attrs[name])
    else:
        values, chunk = [], 0
        while f"{name}{chunk}" in group.attrs:
            values += list(group.attrs[f"{name}{chunk}"])
            chunk += 1
    return [v.decode("utf8") if hasattr(v, "decode") else str(v) for v in values]


def _layer_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _saved_layers(root):
    """[(layer name, group, weight names)] of the saved layers with weights."""
    import h5py

    saved = []
    for name in _attribute(root, "layer_names"):
        group = _child(root, name, h5py.Group, name)
        if group is None:
            raise LoadingError(f"Invalid weights file: layer {name!r} is listed but has "
                               "no group.")
        names = _attribute(group, "weight_names")
        if names:
            saved.append((name, group, names))
    return saved


def _read_layer(layer, saved_name, group, weight_names):
    import h5py

    variables = _layer_weights(layer)
    if len(weight_names) != len(variables):
        raise LoadingError(
            f"Weight count mismatch for layer {layer.name!r} ({saved_name!r} in the file): "
            f"the layer has {len(variables)} weights, the file {len(weight_names)}.")
    pairs = []
    for variable, weight_name in zip(variables, weight_names):
        parts = weight_name.split("/")
        parent = group
        for part in parts[:-1]:
            parent = _child(parent, part, h5py.Group, f"{saved_name}/{weight_name}")
            if parent is None:
                raise LoadingError(f"Invalid weights file: {saved_name}/{weight_name} "
                                   "is missing.")
        pairs.append((variable, _read_dataset(parent, parts[-1], variable,
                                              f"{saved_name}/{weight_name}")))
    return pairs


def read_values(model, h5file, by_name=False):
    """[(variable, array)] for the model's layers from an open legacy HDF5
    file. Nothing is assigned.

    Raises:
        LoadingError: the file is not in the legacy layout, its layers or
            weights do not match the model's (count, shape, dtype), or it
            holds anything but plain groups and datasets.
    """
    import h5py

    root = _child(h5file, "model_weights", h5py.Group, "model_weights") or h5file
    if not ("layer_names" in root.attrs or "layer_names0" in root.attrs):
        raise LoadingError("The file is not a Keras weights file: it has neither the "
                           "`.weights.h5` layout nor the legacy `.h5` one (`layer_names`).")
    try:
        saved = _saved_layers(root)
        layers = [layer for layer in model.layers if _layer_weights(layer)]
        pairs = []
        if by_name:
            by_layer = {layer.name: layer for layer in layers}
            for name, group, weight_names in saved:
                if name in by_layer:
                    pairs += _read_layer(by_layer[name], name, group, weight_names)
            return pairs
        if len(saved) != len(layers):
            raise LoadingError(f"Layer count mismatch when loading weights from file: the "
                               f"model has {len(layers)} layers with weights, the file "
                               f"{len(saved)}.")
        for layer, (name, group, weight_names) in zip(layers, saved):
            pairs += _read_layer(layer, name, group, weight_names)
    except LoadingError:
        raise
    except Exception as exc:  # a corrupt file: h5py raises many kinds of errors
        raise LoadingError(f"The weights file is corrupt or unreadable "
                           f"({type(exc).__name__}: {exc}).") from exc
    return pairs


def is_legacy(h5file):
    """Whether an open HDF5 file has the legacy layout."""
    root = h5file["model_weights"] if "model_weights" in h5file else h5file
    return "layer_names" in root.attrs or "layer_names0" in root.attrs

