"""KerasFileEditor, as keras.saving.KerasFileEditor: inspect and edit the
weights of a `.keras` or `.weights.h5` file without building its model.

The file's weights become a nested dict (`weights_dict`) with Keras's
editor layout: every HDF5 group that holds a `vars` group stands for its
`vars` datasets ("layers/dense" -> {"0": kernel, "1": bias}), other groups
for their children, empty groups are left out. Edits change that dict;
`save` writes it back in Keras's weights layout (`<path>/vars/<name>`), so
that Keras 3 and kerasx load the edited file into a model of the new
architecture.

Reading treats the file as hostile (links, external and virtual datasets,
non-numeric data and oversized datasets are refused) and saving is atomic
(kerasx/saving/atomic_write.py): a failed save leaves the previous file.
"""
import io
import math
import os

import numpy as np

from kerasx.saving import keras_file
from kerasx.saving.atomic_write import write_bytes_atomic
from kerasx.saving.errors import LoadingError

#: As Keras: no single dataset may need more memory than this.
MAX_DATASET_BYTES = 1 << 32
#: The rank Keras refuses beyond.
MAX_RANK = 64
#: All datasets together (a small compressed file cannot make the editor
#: allocate without bound).
MAX_TOTAL_BYTES = 1 << 34


def _h5py():
    import h5py
    return h5py


class KerasFileEditor:
    """Inspect, edit and resave the weights of a Keras file.

    Useful to adapt a saved weights file to a model whose architecture
    changed: rename, delete or add objects (layers) and weights, compare
    the file with a model, then `save` a `.weights.h5` file that the new
    model loads with `load_weights`.

    Objects are named by their path in the file ("layers/dense_2") or, when
    the name is unique in the file, by their last element ("dense_2").

    Two deliberate differences from Keras 3.15's editor, whose counters add
    running totals twice: a name that occurs once is accepted wherever it is
    (Keras can call it ambiguous when other objects follow it), and
    `compare` reports each matching or mismatched weight once.

    Args:
        filepath: a `.keras` or `.weights.h5` file.

    Raises:
        ValueError: for another extension, or a file holding links, external
            or virtual datasets, non-numeric or oversized datasets.
        LoadingError: for a `.keras` archive that is not a valid one.

    Example:

    ```python
    editor = KerasFileEditor("my_model.weights.h5")
    editor.summary()
    editor.delete_object("layers/dense_2")
    editor.add_object("layers/einsum_dense", weights={"0": kernel, "1": bias})
    editor.save("edited_model.weights.h5")
    ```
    """

    def __init__(self, filepath):
        self.filepath = os.fspath(filepath)
        self.metadata = None
        self.config = None
        self.model = None
        if self.filepath.endswith(".keras"):
            with keras_file.KerasArchive(self.filepath) as archive:
                self.config = archive.read_json(keras_file.CONFIG,
                                                keras_file.MAX_CONFIG_BYTES)
                self.metadata = archive.read_json(keras_file.METADATA,
                                                  keras_file.MAX_METADATA_BYTES)
                # Stored members cannot exceed the archive; deflated ones are
                # capped well beyond any real compression ratio.
                data = archive.read(keras_file.WEIGHTS,
                                    max(archive.size * 64, MAX_DATASET_BYTES))
            source = io.BytesIO(data)
        elif self.filepath.endswith(".weights.h5"):
            source = self.filepath
        else:
            raise ValueError("Invalid filename: expected a `.keras` or `.weights.h5` "
                             f"extension. Received: filepath={self.filepath}")
        h5py = _h5py()
        try:
            h5file = h5py.File(source, "r")
        except OSError as exc:
            raise ValueError(f"{self.filepath} is not a readable HDF5 weights file: "
                             f"{exc}") from exc
        with h5file:
            self._total_bytes = 0
            self.object_metadata = {}
            self.weights_dict = self._extract(h5file, "")
        print(f"Keras model file '{self.filepath}'")
        if self.metadata is not None:
            print(f"Saved with Keras {self.metadata.get('keras_version')} - date: "
                  f"{self.metadata.get('date_saved')}")

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _extract(self, group, path):
        """The nested dict of one HDF5 group (Keras's editor layout)."""
        h5py = _h5py()
        attrs = {key: group.attrs[key] for key in group.attrs}
        if attrs:
            self.object_metadata[path] = attrs
        result = {}
        for key in group.keys():
            where = f"{path}/{key}"
            link = group.get(key, default=None, getclass=True, getlink=True)
            if link in (h5py.ExternalLink, h5py.SoftLink):
                raise ValueError(f"Not allowed: H5 file with {link.__name__} at {where}.")
            value = group[key]
            if isinstance(value, h5py.Group):
                if len(value) == 0:
                    continue
                if "vars" in value.keys():
                    vars_group = value["vars"]
                    if not isinstance(vars_group, h5py.Group):
                        raise ValueError(f"Not allowed: {where}/vars is not a group.")
                    if len(vars_group) == 0:
                        # As Keras's editor: an object is its own variables.
                        continue
                    result[key] = self._extract(vars_group, where)
                else:
                    result[key] = self._extract(value, where)
                continue
            if not isinstance(value, h5py.Dataset):
                continue
            result[key] = self._read_dataset(value, where)
        return result

    def _read_dataset(self, dataset, where):
        if dataset.external:
            raise ValueError(f"Not allowed: H5 file Dataset with external links at {where}.")
        if dataset.is_virtual:
            raise ValueError(f"Not allowed: H5 file with virtual Dataset at {where}.")
        if dataset.dtype.kind not in "biufc":
            raise ValueError(f"Not allowed: dataset {where} holds {dataset.dtype} data, "
                             "not numbers.")
        shape = dataset.shape
        if shape is None or len(shape) > MAX_RANK:
            raise ValueError(f"Malformed HDF5 dataset shape at {where}: rank exceeds "
                             "the safety limit.")
        size = math.prod(shape) * dataset.dtype.itemsize
        if size > MAX_DATASET_BYTES:
            raise ValueError(f"HDF5 dataset {where} too large to load safely ({size} bytes; "
                             f"limit is {MAX_DATASET_BYTES}).")
        self._total_bytes += size
        if self._total_bytes > MAX_TOTAL_BYTES:
            raise ValueError(f"The file's datasets need more than {MAX_TOTAL_BYTES} bytes; "
                             "refusing to load them.")
        return dataset[()]

    # ------------------------------------------------------------------
    # Inspection
    # ------------------------------------------------------------------
    def summary(self):
        """Print the weight structure of the opened file (objects and the
        shape and dtype of every weight)."""
        print("Weights structure")
        for line in self._structure_lines(self.weights_dict, "  ", "", True):
            print(line)

    def _structure_lines(self, tree, prefix, path, is_first):
        lines = []
        items = list(tree.items())
        for i, (key, value) in enumerate(items):
            here = f"{path}/{key}" if path else key
            last = i == len(items) - 1
            connector = "> " if is_first else ("└─ " if last else "├─ ")
            is_first = False
            if isinstance(value, dict):
                label = f"{prefix}{connector}{key}"
                name = self.object_metadata.get(f"/{here}", {}).get("name")
                if name is not None:
                    label += f" ('{name.decode() if isinstance(name, bytes) else name}')"
                lines.append(label)
                lines += self._structure_lines(value, prefix + ("    " if last else "│   "),
                                               here, False)
            else:
                lines.append(f"{prefix}{connector}{key}: shape={np.shape(value)}, "
                             f"dtype={np.asarray(value).dtype}")
        return lines

    def compare(self, reference_model):
        """Compare the opened file with a model: every weight the model would
        save must be in the file with the same shape, and the reverse.

        Args:
            reference_model: the model to compare with.

        Returns:
            {"status": "success" | "error", "error_count": int,
             "match_count": int}; the mismatches are printed.
        """
        print("Running comparison")
        spec = weight_spec(reference_model)
        checked = set()
        errors, matches = self._compare(self.weights_dict, spec, "", "saved file",
                                        "reference model", checked)
        reverse_errors, _ = self._compare(spec, self.weights_dict, "", "reference model",
                                          "saved file", checked)
        errors += reverse_errors
        print("─────────────────────")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference "
                  "model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                  "compatible with the reference model")
        return {"status": "success" if errors == 0 else "error",
                "error_count": errors, "match_count": matches}

    def _compare(self, target, reference, path, target_name, ref_name, checked):
        errors = matches = 0
        for key, ref_value in reference.items():
            here = f"{path}/{key}"
            if here in checked:
                continue
            if key not in target:
                errors += 1
                checked.add(here)
                if isinstance(ref_value, dict):
                    print(f"...Object {here} present in {ref_name}, missing from "
                          f"{target_name}")
                    print(f"    In {ref_name}, {here} contains the following keys: "
                          f"{list(ref_value)}")
                else:
                    print(f"...Weight {here} present in {ref_name}, missing from "
                          f"{target_name}")
            elif isinstance(ref_value, dict):
                if not isinstance(target[key], dict):
                    errors += 1
                    checked.add(here)
                    print(f"...{here} is an object in {ref_name} but a weight in "
                          f"{target_name}")
                    continue
                sub_errors, sub_matches = self._compare(target[key], ref_value, here,
                                                        target_name, ref_name, checked)
                errors += sub_errors
                matches += sub_matches
            elif isinstance(target[key], dict) or \
                    tuple(np.shape(target[key])) != tuple(np.shape(ref_value)):
                errors += 1
                checked.add(here)
                print(f"...Weight shape mismatch for {here}\n"
                      f"    In {ref_name}: shape={_shape_text(ref_value)}\n"
                      f"    In {target_name}: shape={_shape_text(target[key])}")
            else:
                matches += 1
        return errors, matches

    # ------------------------------------------------------------------
    # Editing
    # ------------------------------------------------------------------
    def _edit_object(self, edit_fn, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise ValueError("Argument `target_name` should be a leaf name, not a full path "
                             f"name. Received: target_name='{target_name}'")
        if "/" in source_name:
            elements = source_name.split("/")
            tree = self.weights_dict
            for element in elements[:-1]:
                if not isinstance(tree, dict) or element not in tree:
                    raise ValueError(f"Path '{source_name}' not found in model.")
                tree = tree[element]
            if not isinstance(tree, dict) or elements[-1] not in tree:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit_fn(tree, elements[-1], target_name)
            return
        holders = _holders(self.weights_dict, source_name)
        if len(holders) > 1:
            raise ValueError(f"Name '{source_name}' occurs more than once in the model; "
                             "try passing a complete path")
        if not holders:
            raise ValueError(f"Source name '{source_name}' does not appear in the model. "
                             "Use `editor.summary()` to list all objects.")
        edit_fn(holders[0], source_name, target_name)

    def rename_object(self, object_name, new_name):
        """Rename an object (e.g. a layer).

        Args:
            object_name: its name ("dense_2", when unique) or path
                ("layers/dense_2").
            new_name: its new name (a leaf name, not a path).
        """
        def rename(tree, source, target):
            tree[target] = tree.pop(source)

        self._edit_object(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Remove an object (e.g. a layer) and its weights.

        Args:
            object_name: its name ("dense_2", when unique) or path
                ("layers/dense_2").
        """
        def delete(tree, source, target=None):
            tree.pop(source)

        self._edit_object(delete, object_name)

    def add_object(self, object_path, weights):
        """Add an object (e.g. a layer) with its weights.

        Args:
            object_path: its full path ("layers/dense_2"); the parent path
                must exist.
            weights: a dict {weight name ("0", "1", ...): array}.
        """
        _check_weights(weights)
        elements = object_path.split("/")
        tree = self.weights_dict
        for element in elements[:-1]:
            if not isinstance(tree, dict) or element not in tree:
                raise ValueError(f"Path '{'/'.join(elements[:-1])}' not found in model.")
            tree = tree[element]
        tree[elements[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Remove one weight (e.g. "0") from an object.

        Args:
            object_name: the object's name or path.
            weight_name: the weight's name.
        """
        def delete(tree, source, target=None):
            if weight_name not in tree[source]:
                raise ValueError(f"Weight {weight_name} not found in object {object_name}. "
                                 f"Weights found: {list(tree[source].keys())}")
            tree[source].pop(weight_name)

        self._edit_object(delete, object_name)

    def add_weights(self, object_name, weights):
        """Add weights to an existing object (an existing name is replaced).

        Args:
            object_name: the object's name or path.
            weights: a dict {weight name: array}.
        """
        _check_weights(weights)

        def add(tree, source, target=None):
            tree[source].update(weights)

        self._edit_object(add, object_name)

    # ------------------------------------------------------------------
    # Saving
    # ------------------------------------------------------------------
    def save(self, filepath):
        """Write the edited weights to a `.weights.h5` file, atomically.

        Raises:
            ValueError: for another extension.
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("Invalid `filepath` argument: expected a `.weights.h5` "
                             f"extension. Received: filepath={filepath}")
        buffer = io.BytesIO()
        with _h5py().File(buffer, "w") as h5file:
            _write(h5file, self.weights_dict, "")
        write_bytes_atomic(filepath, buffer.getvalue())

    def resave_weights(self, filepath):
        """Same as `save`."""
        self.save(filepath)


def _shape_text(value):
    return "object" if isinstance(value, dict) else tuple(np.shape(value))


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError("Argument `weights` should be a dict where keys are weight names "
                         "(usually '0', '1', etc.) and values are NumPy arrays. "
                         f"Received: type(weights)={type(weights)}")


def _holders(tree, name):
    """The dicts (at any depth) that hold `name` as a key."""
    found = []
    for value in tree.values():
        if isinstance(value, dict):
            found += _holders(value, name)
    if name in tree:
        found.append(tree)
    return found


def _write(h5file, tree, path):
    """Keras's weights layout: sub-objects first, then this object's own
    weights in `<path>/vars` (only created when there are some)."""
    own = {}
    for name, value in tree.items():
        if isinstance(value, dict):
            if value:
                _write(h5file, value, f"{path}/{name}" if path else name)
        else:
            own[name] = value
    if own:
        group = h5file.create_group(f"{path}/vars" if path else "vars")
        for name, value in own.items():
            group[name] = _as_array(value)


def _as_array(value):
    if hasattr(value, "numpy"):
        value = value.numpy()
    else:
        from kerasx.backend import get_ops
        ops = get_ops()
        if ops.is_tensor(value):
            value = ops.to_numpy(value)
    return np.asarray(value)


def weight_spec(model):
    """{path element: {... {weight name: array shape}}} of what `model` saves,
    objects without weights left out (Keras's editor's reference layout)."""
    from kerasx.saving import weights_h5
    spec = {}
    for path, obj in weights_h5.saveables(model):
        variables = weights_h5.own_variables(obj)
        if not variables:
            continue
        tree = spec
        for element in path.split("/") if path else []:
            tree = tree.setdefault(element, {})
        for i, variable in enumerate(variables):
            tree[str(i)] = _Shape(tuple(variable.shape))
    return spec


class _Shape:
    """A weight's shape in a spec (np.shape reads it)."""

    def __init__(self, shape):
        self.shape = shape

    def __array__(self, dtype=None, copy=None):
        raise TypeError("A weight spec holds shapes, not values.")
