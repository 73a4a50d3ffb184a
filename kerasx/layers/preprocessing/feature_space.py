"""FeatureSpace: one object that preprocesses a dict of structured-data
columns (numbers, integer and string categories, hashed values, crosses)
into model-ready features, as keras.utils.FeatureSpace (Keras keeps it in
layers/preprocessing/feature_space.py too)."""
import numpy as np

from kerasx.backend import get_ops, registry
from kerasx.backend.naming import auto_name
from kerasx.layers.core.identity import Identity
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.category_encoding import CategoryEncoding
from kerasx.layers.preprocessing.discretization import Discretization
from kerasx.layers.preprocessing.hashed_crossing import HashedCrossing
from kerasx.layers.preprocessing.hashing import Hashing
from kerasx.layers.preprocessing.integer_lookup import IntegerLookup
from kerasx.layers.preprocessing.base_image_layer import _framework_graph_tensor
from kerasx.layers.preprocessing.normalization import Normalization
from kerasx.layers.preprocessing.rescaling import Rescaling
from kerasx.layers.preprocessing.string_lookup import StringLookup

#: The module Keras names in the configs of its Feature and Cross objects.
_KERAS_MODULE = "keras.src.layers.preprocessing.feature_space"
FEATURE_TYPES = ("float", "float_normalized", "float_rescaled", "float_discretized",
                 "integer_categorical", "string_categorical", "integer_hashed",
                 "string_hashed")


def _serialize_layer(layer):
    from kerasx.layers import serialize
    return serialize(layer)


def _deserialize_layer(config):
    if config.get("class_name") == "TFDIdentity":  # Keras's identity of "float" features
        inner = config.get("config", {})
        return Identity(name=inner.get("name"), dtype="float32")
    from kerasx.layers import deserialize
    return deserialize(config)


def _wrap(obj):
    """Keras's serialized form of a Feature or Cross."""
    name = type(obj).__name__
    return {"module": _KERAS_MODULE, "class_name": name, "config": obj.get_config(),
            "registered_name": name}


class Cross:
    """A crossing of features hashed into `crossing_dim` bins (made by
    `FeatureSpace.cross`).

    Raises:
        ValueError: an output_mode other than "int" or "one_hot".
    """

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in {"int", "one_hot"}:
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'int', 'one_hot'}}. Received: output_mode={output_mode}")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        """The crossed feature's name: the feature names joined by "_X_"."""
        return "_X_".join(self.feature_names)

    def get_config(self):
        """The constructor's arguments."""
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        """A Cross from `get_config`'s dict."""
        return cls(**config)


class Feature:
    """A feature: its input dtype, its preprocessing layer and how its
    output is encoded ("int", "one_hot" or "float").

    Raises:
        ValueError: another output_mode.
    """

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             "{'int', 'one_hot', 'float'}. "
                             f"Received: output_mode={output_mode}")
        self.dtype = dtype
        self.preprocessor = _deserialize_layer(preprocessor) \
            if isinstance(preprocessor, dict) else preprocessor
        self.output_mode = output_mode

    def get_config(self):
        """dtype, the serialized preprocessor and output_mode."""
        return {"dtype": self.dtype, "preprocessor": _serialize_layer(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        """A Feature from `get_config`'s dict."""
        return cls(**config)


def _unwrap(value, cls):
    """A Feature or Cross from itself or its (Keras) serialized dict."""
    if isinstance(value, dict) and value.get("class_name") == cls.__name__:
        return cls.from_config(value["config"])
    return value


def _column(value):
    """A NumPy column (n, 1) (or (n, ...) kept) of a feature's values."""
    ops = get_ops()
    if ops.is_tensor(value):
        value = ops.to_numpy(value)
    elif hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()  # a tensor of another framework (tf.data)
    array = np.asarray(value)
    if array.dtype.kind == "S" or (array.dtype == object and array.size
                                   and isinstance(array.flat[0], bytes)):
        array = np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else v,
                             otypes=[object])(array).astype(str)
    elif array.dtype.kind == "f":
        array = array.astype("float32")
    return array


class FeatureSpace(Layer):
    """Preprocess a dict of feature columns, as keras.utils.FeatureSpace:
    each named feature gets a preprocessing layer (a type name, or a
    `Feature` from the class methods below), listed crosses are hashed
    together, and categorical outputs are one-hot (multi-hot) encoded; the
    results are concatenated in the order of the sorted feature names then
    the sorted cross names (output_mode "concat"), or returned as a dict.
    Call `adapt` on the data first when a preprocessor learns from it
    (normalization, discretization, lookups). Computes on the host with
    kerasx's preprocessing layers and returns backend tensors; inside a
    tf.data map (`dataset.map(lambda x, y: (feature_space(x), y))`) it
    returns TensorFlow tensors, on any backend, as Keras does.

    `get_inputs`/`get_encoded_features` build models on numeric features;
    kerasx has no symbolic string inputs, so with string features apply the
    FeatureSpace to the data instead. `save` writes a .keras file that
    Keras 3 loads, and `kerasx.models.load_model` loads Keras's (and
    kerasx's) FeatureSpace files.

    Args:
        features: {name: "float" | "float_normalized" | "float_rescaled" |
            "float_discretized" | "integer_categorical" |
            "string_categorical" | "integer_hashed" | "string_hashed" |
            Feature}.
        output_mode: "concat" (default) or "dict".
        crosses: feature name tuples (or `Cross` objects) to cross.
        crossing_dim: hash bins of a cross given as names (default 32).
        hashing_dim: hash bins of the "*_hashed" types (default 32).
        num_discretization_bins: bins of "float_discretized" (default 32).
        name: the layer's name.

    Raises:
        ValueError: no features, an unknown type, a cross of unknown
            features, or a bad output_mode.
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        """A `Cross` of `feature_names` hashed into `crossing_dim` bins."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        """A custom `Feature`."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        """Float values passed as they are."""
        name = name or auto_name("float")
        return Feature("float32", Identity(dtype="float32", name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        """Float values times `scale` plus `offset`."""
        name = name or auto_name("float_rescaled")
        return Feature("float32", Rescaling(scale=scale, offset=offset,
                                            name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name=None):
        """Float values normalised to the adapted mean and variance."""
        name = name or auto_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot",
                          name=None):
        """Float values binned (boundaries given or adapted to quantiles)."""
        name = name or auto_name("float_discretized")
        return Feature("float32", Discretization(num_bins=num_bins,
                                                 bin_boundaries=bin_boundaries,
                                                 name=f"{name}_preprocessor"), output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                            name=None):
        """Integer categories indexed by an adapted vocabulary."""
        name = name or auto_name("integer_categorical")
        return Feature("int32", IntegerLookup(name=f"{name}_preprocessor",
                                              max_tokens=max_tokens,
                                              num_oov_indices=num_oov_indices), output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                           name=None):
        """String categories indexed by an adapted vocabulary."""
        name = name or auto_name("string_categorical")
        return Feature("string", StringLookup(name=f"{name}_preprocessor",
                                              max_tokens=max_tokens,
                                              num_oov_indices=num_oov_indices), output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Strings hashed into `num_bins` bins."""
        name = name or auto_name("string_hashed")
        return Feature("string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Integers hashed into `num_bins` bins."""
        name = name or auto_name("integer_hashed")
        return Feature("int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None):
        super().__init__(name=name)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize_feature(key, value)
                         for key, value in features.items()}
        self.crosses = []
        for cross in crosses or ():
            cross = _unwrap(cross, Cross)
            if not isinstance(cross, Cross):
                if not crossing_dim:
                    raise ValueError("When specifying `crosses`, the argument `crossing_dim` "
                                     "(dimensionality of the crossing space) should be "
                                     "specified as well.")
                if any(key not in self.features for key in cross):
                    raise ValueError("All features referenced in the `crosses` argument "
                                     "should be present in the `features` dict. Received "
                                     f"unknown features: {cross}")
                cross = Cross(cross, crossing_dim=crossing_dim)
            self.crosses.append(cross)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        if output_mode not in {"dict", "concat"}:
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'dict', 'concat'}}. Received: output_mode={output_mode}")
        self.output_mode = output_mode
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {cross.name: HashedCrossing(cross.crossing_dim, name=cross.name)
                         for cross in self.crosses}
        self.one_hot_encoders = {}
        self._is_adapted = not self._adaptable()
        self._inputs = self._encoded = self._specs = None
        if self._is_adapted:
            self._mark_adapted()
        self.built = True

    def _standardize_feature(self, name, feature):
        feature = _unwrap(feature, Feature)
        if isinstance(feature, Feature):
            return feature
        if feature not in FEATURE_TYPES:
            raise ValueError(f"Invalid feature type: {feature}")
        if feature == "float_discretized":
            return self.float_discretized(name=name, num_bins=self.num_discretization_bins)
        if feature in ("integer_hashed", "string_hashed"):
            return getattr(self, feature)(self.hashing_dim, name=name)
        return getattr(self, feature)(name=name)

    def _adaptable(self):
        """Names of the features whose preprocessor still learns from data."""
        names = []
        for key, preprocessor in self.preprocessors.items():
            if isinstance(preprocessor, Normalization) and preprocessor.input_mean is not None:
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset):
        """Adapt the preprocessors to `dataset`: a dict of arrays or lists
        (one value per sample), or an iterable of such dicts (batches: a
        kerasx BatchedDataset, a tf.data.Dataset...).

        Raises:
            ValueError: anything else, or a missing feature.
        """
        if isinstance(dataset, dict):
            columns = {key: _column(value) for key, value in dataset.items()}
        elif hasattr(dataset, "__iter__") and not isinstance(dataset, (str, bytes)):
            parts = {}
            for batch in dataset:
                if not isinstance(batch, dict):
                    raise ValueError("`adapt()` takes a dict of arrays/lists or batches "
                                     f"that are such dicts; a batch is a {type(batch)}.")
                for key, value in batch.items():
                    column = _column(value)
                    parts.setdefault(key, []).append(column.reshape((-1,) + column.shape[1:])
                                                     if column.ndim else column[None])
            columns = {key: np.concatenate(value) for key, value in parts.items()}
        else:
            raise ValueError("`adapt()` can only be called on a tf.data.Dataset or a dict of "
                             f"arrays/lists. Received instead: {dataset} (of type "
                             f"{type(dataset)})")
        for key in self._adaptable():
            if key not in columns:
                raise ValueError(f"adapt(): the data has no feature {key!r}; it has "
                                 f"{sorted(columns)}.")
            column = columns[key]
            self.preprocessors[key].adapt(column[:, None] if column.ndim <= 1 else column)
        self._is_adapted = True
        self._specs = self._output_specs()  # raises as Keras's adapt for unencodable features

    def get_inputs(self):
        """{feature name: kerasx.Input of shape (1,) and the feature's dtype},
        the inputs of a model that holds the FeatureSpace's encoding.

        Raises:
            NotImplementedError: a string feature (kerasx has no symbolic
                string inputs: apply the FeatureSpace to the data instead).
        """
        if self._inputs is None:
            strings = sorted(k for k, f in self.features.items() if f.dtype == "string")
            if strings:
                raise NotImplementedError(
                    f"FeatureSpace.get_inputs(): the string features {strings} cannot be "
                    "symbolic inputs in kerasx (it has no string tensors). Apply the "
                    "FeatureSpace to the data (or in a tf.data map) and feed its outputs "
                    "to the model.")
            from kerasx.layers.core.input_layer import Input
            self._inputs = {key: Input(shape=(1,), dtype=f.dtype, name=key)
                            for key, f in self.features.items()}
        return self._inputs

    def get_encoded_features(self):
        """The encoding of `get_inputs()` as symbolic tensors (a tensor of
        (None, width) for "concat", else a dict), to build a model on.

        Raises:
            ValueError: adapt not called yet.
            NotImplementedError: string features (see `get_inputs`).
        """
        self._check_adapted()
        if self._encoded is None:
            merged = self._merge(self.get_inputs(), lambda x: str(x.dtype))
            if self.output_mode == "dict":
                self._encoded = merged
            else:
                from kerasx.layers.merging.concatenate import Concatenate
                self._encoded = Concatenate(axis=-1)([merged[n] for n in self._order()])
        return self._encoded

    def _mark_adapted(self):
        """Ready to encode (after adapt, or restored from a file): the output
        specs are found now, eagerly, so that a tf.data map finds them."""
        self._is_adapted = True
        try:
            self._specs = self._output_specs()
        except ValueError:
            pass  # a feature that cannot be encoded: the call raises it (as Keras)

    def _check_adapted(self):
        if not self._is_adapted:
            raise ValueError("You need to call `.adapt(dataset)` on the FeatureSpace before "
                             "you can start using it.")

    def _cardinality(self, name):
        preprocessor = self.preprocessors.get(name) or self.crossers.get(name)
        if isinstance(preprocessor, (IntegerLookup, StringLookup)):
            return preprocessor.vocabulary_size()
        if isinstance(preprocessor, CategoryEncoding):
            return preprocessor.num_tokens
        if isinstance(preprocessor, (Discretization, Hashing, HashedCrossing)):
            return preprocessor.num_bins
        raise ValueError(f"Feature '{name}' has `output_mode='one_hot'`. However it isn't "
                         "a standard feature and the dimensionality of its output space "
                         "is not known, thus it cannot be one-hot encoded. Try using "
                         "`output_mode='int'`.")

    def __call__(self, data):
        """The encoded features of `data` (a dict of per-feature values: a
        scalar per feature for one sample, or a column per feature): a
        (batch, width) float32 tensor ("concat"; (width,) for one sample)
        or a dict.

        Raises:
            ValueError: not a dict, adapt not called, or a feature that
                cannot be encoded as its output_mode asks.
        """
        self._check_adapted()
        if not isinstance(data, dict):
            raise ValueError("A FeatureSpace can only be called with a dict. "
                             f"Received: data={data} (of type {type(data)}")
        framework = next((f for f in map(_framework_graph_tensor, data.values()) if f), None)
        if framework is not None:
            return self._call_in_pipeline(registry.load(framework), data)
        return self._encode(data)

    def _call_in_pipeline(self, graph_ops, data):
        """A tf.data map: encode each batch on the host at run time (through
        the framework plugin's run_eagerly), with the output specs of
        `_output_specs`."""
        keys = sorted(data)
        if self._specs is None:
            self._specs = self._output_specs()
        names, dtypes, widths = self._specs
        ops = get_ops()
        shapes = [tuple(data[k].shape) for k in keys]
        single = all(len(shape) == 0 for shape in shapes)
        shapes = [width if single else shapes[0][:1] + width for width in widths]

        def run(xs):
            out = self._encode(dict(zip(keys, xs)))
            out = out if isinstance(out, dict) else {None: out}
            return [ops.to_numpy(out[n]).astype(d) for n, d in zip(names, dtypes)]

        outs = graph_ops.run_eagerly(run, [data[k] for k in keys], shapes, dtypes)
        return dict(zip(names, outs)) if self.output_mode == "dict" else outs[0]

    def _output_specs(self):
        """(output names, dtypes, shapes without the batch axis), from
        encoding one placeholder row of each feature's dtype (eagerly: done
        after adapt, before any tf.data map traces the FeatureSpace)."""
        placeholders = {key: np.array([""]) if f.dtype == "string" else np.zeros(1, f.dtype)
                        for key, f in self.features.items()}
        sample = self._encode(placeholders)
        samples = sample if isinstance(sample, dict) else {None: sample}
        names = sorted(samples) if isinstance(sample, dict) else [None]
        ops = get_ops()
        return (names, [ops.dtype(samples[n]) for n in names],
                [tuple(ops.shape(samples[n])[1:]) for n in names])

    def _encode(self, data):
        ops = get_ops()
        columns, single = {}, False
        for key, value in data.items():
            column = _column(value)
            if column.ndim == 0:
                column, single = column.reshape(1, 1), True
            elif column.ndim == 1:
                column = column[:, None]
            columns[key] = column
        merged = self._merge(columns, ops.dtype)
        if self.output_mode == "dict":
            if single:
                merged = {k: ops.squeeze(v, 0) if len(ops.shape(v)) == 2 and
                          ops.shape(v)[0] == 1 else v for k, v in merged.items()}
            return merged
        out = ops.concatenate([ops.cast(merged[n], "float32") for n in self._order()],
                              axis=-1)
        return ops.squeeze(out, 0) if single else out

    def _order(self):
        """Output order: the sorted feature names, then the sorted crosses."""
        return sorted(self.features) + sorted(self.crosses_by_name)

    def _merge(self, columns, dtype_of):
        """{output name: encoded feature} of the (n, 1) `columns` (arrays or
        symbolic inputs), each preprocessed, crossed and one-hot encoded.

        Raises:
            ValueError: a one-hot feature whose preprocessor gives no
                integers, or (output_mode "concat") a feature left unencoded.
        """
        outputs = {key: self.preprocessors[key](columns[key]) for key in self.features}
        outputs.update({cross.name: self.crossers[cross.name](
            [outputs[key] for key in cross.feature_names]) for cross in self.crosses})
        specs = {**self.features, **self.crosses_by_name}
        merged = {}
        for name in self._order():
            value = outputs[name]
            if specs[name].output_mode == "one_hot":
                dtype = dtype_of(value)
                if not dtype.startswith("int"):
                    raise ValueError(f"Feature '{name}' has `output_mode='one_hot'`. Thus its "
                                     "preprocessor should return an integer dtype. Instead "
                                     f"it returns a {dtype} dtype.")
                if name not in self.one_hot_encoders:
                    self.one_hot_encoders[name] = CategoryEncoding(
                        num_tokens=self._cardinality(name),
                        output_mode="multi_hot")
                value = self.one_hot_encoders[name](value)
            if self.output_mode == "concat" and not dtype_of(value).startswith("float"):
                raise ValueError(f"Cannot concatenate features because feature '{name}' has "
                                 f"not been encoded (it has dtype {dtype_of(value)}). "
                                 "Consider using `output_mode='dict'`.")
            merged[name] = value
        return merged

    def save(self, filepath):
        """Save the adapted FeatureSpace as a .keras file that Keras 3 loads
        with `keras.models.load_model` (the vocabularies travel in the
        lookup layers' configs, the normalization statistics as weights).

        Raises:
            ValueError: a path without the .keras extension, or adapt not
                called yet.
        """
        from kerasx.saving.feature_space_file import save_feature_space
        save_feature_space(self, filepath)

    def get_config(self):
        """Keras's config: features and crosses in Keras's serialized form."""
        return {"features": {key: _wrap(f) for key, f in self.features.items()},
                "output_mode": self.output_mode,
                "crosses": [_wrap(c) for c in self.crosses],
                "crossing_dim": self.crossing_dim, "hashing_dim": self.hashing_dim,
                "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config):
        """A FeatureSpace from `get_config`'s (or Keras's) config (not adapted)."""
        return cls(**config)

