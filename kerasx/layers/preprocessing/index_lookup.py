"""IndexLookup: the vocabulary table behind StringLookup, IntegerLookup and
TextVectorization, kept on the host as a Python dict (Keras 3 keeps it in
a TensorFlow hash table)."""
import collections
import os

import numpy as np

from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.preprocessing.host_layer import (HostLayer, encode, encoded_shape,
                                                    listify, to_host)
from kerasx.layers.preprocessing.hashing import hash_values
from kerasx.backend.state import STATE

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
INT64_MAX = np.iinfo("int64").max


def _sort_key(token):
    # Keras sorts tokens of equal count by their bytes, in reverse.
    return token.encode("utf-8") if isinstance(token, str) else token


def iterate_batches(layer, data, steps):
    """The batches `adapt` reads from `data`: one array/tensor/list, or each
    element of another iterable (at most `steps`)."""
    ops = get_ops()
    if isinstance(data, (list, tuple, np.ndarray, str)) or ops.is_tensor(data) or \
            hasattr(data, "numpy"):
        array = to_host(data, getattr(layer, "encoding", "utf-8"))
        yield array[:, None] if array.ndim == 1 else array
        return
    if not hasattr(data, "__iter__"):
        raise TypeError(f"adapt() expects an array, a tensor, a list or an iterable of "
                        f"batches; received {type(data).__name__}.")
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        if isinstance(batch, tuple) and batch:
            batch = batch[0]
        yield to_host(batch, getattr(layer, "encoding", "utf-8"))


class IndexLookup(HostLayer):
    """Map tokens to indices through a vocabulary (see StringLookup for the
    arguments). Index layout: [mask] (when `mask_token` is set and
    output_mode is "int"), then `num_oov_indices` OOV indices, then the
    vocabulary. `adapt` orders the vocabulary by decreasing frequency,
    ties by decreasing token (Keras's order)."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", name=None,
                 salt=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If set, `max_tokens` must be greater than 1. "
                             f"Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError("If pad_to_max_tokens is True, must set `max_tokens`. "
                             f"Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"Invalid value for argument `oov_method`: {oov_method!r}. "
                             "Expected 'floormod' or 'farmhash'.")
        if salt is not None:
            if vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError("`salt` can only be used when `oov_method='farmhash'`. "
                                 f"Received: oov_method={oov_method}")
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `IndexLookup` can only be a tuple "
                                 f"of 2 integers, or a single integer. Received: salt={salt}.")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{OUTPUT_MODES}. Received: output_mode={output_mode}")
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. "
                             f"Received: output_mode={output_mode}")
        if sparse:
            raise ValueError(f"{type(self).__name__}(sparse=True) is not supported by "
                             "kerasx: it has no sparse tensors. Use sparse=False.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError("`idf_weights` should only be set if `output_mode` is "
                             f"`'tf_idf'`. Received: idf_weights={idf_weights} and "
                             f"output_mode={output_mode}")
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        if output_mode == "int":
            self.output_dtype = self.vocabulary_dtype if invert else "int64"
        else:
            self.output_dtype = config.floatx() if output_mode == "tf_idf" else "int64"
        self._tokens = []          # the vocabulary after the special indices
        self._index = {}           # token -> index
        self.idf_weights = None    # NumPy float array over all indices (tf_idf)
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None:
            raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output "
                             "mode, the `idf_weights` argument must also be provided.")
        if idf_weights is not None:
            self.idf_weights = np.asarray(idf_weights, dtype=config.floatx())
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        # A config from a Keras file of an adapted layer: its vocabulary is in
        # the archive's asset files (load_model reads them, see load_assets).
        self._vocabulary_in_assets = vocabulary is None and frozen_size is not None and \
            frozen_size > self._token_start_index()
        self.reset_state()

    # -- the vocabulary -------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _as_tokens(self, values):
        """Python tokens (str or int) of a vocabulary array or list."""
        values = to_host(values, getattr(self, "encoding", "utf-8"))
        if self.vocabulary_dtype == "string":
            return [str(v) for v in values.reshape(-1).tolist()]
        return [int(v) for v in values.reshape(-1).tolist()]

    def vocabulary_size(self):
        """The number of indices: special ones plus the vocabulary."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens in index order (the mask and OOV tokens first, unless
        `include_special_tokens` is False)."""
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    def _read_vocabulary_file(self, path):
        # Refused only while a model is loaded with safe_mode=True (as Keras).
        if STATE.safe_mode is True:
            raise ValueError("Requested the loading of a vocabulary file outside of the "
                             "model archive. This carries a potential risk of loading "
                             "arbitrary and sensitive files and thus it is disallowed by "
                             "default. If you trust the source of the artifact, pass "
                             f"`safe_mode=False`. Vocabulary file: '{path}'")
        if not os.path.exists(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return lines if self.vocabulary_dtype == "string" else [int(v) for v in lines]

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (a list, array, tensor or the path of a text
        file with one token per line) and, for "tf_idf", its idf weights.

        Raises:
            ValueError: an empty or repeated vocabulary, special tokens
                inside it, more than `max_tokens` entries, or idf weights
                that do not fit.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if output_mode is "
                             f"`'tf_idf'`. Received: output_mode={self.output_mode} and "
                             f"idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a "
                                 "vocabulary from file.")
            vocabulary = self._read_vocabulary_file(vocabulary)
        tokens = self._as_tokens(vocabulary)
        if not tokens:
            raise ValueError(f"Cannot set an empty vocabulary. Received: "
                             f"vocabulary={vocabulary}")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices
        found_special = tokens[:token_start] == special and token_start > 0
        if found_special or token_start == 0:
            body = tokens[token_start:] if found_special else tokens
        else:
            body = tokens
        repeated = [t for t, c in collections.Counter(body).items() if c > 1]
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. "
                             f"Please uniquify your dataset. The repeated terms are: "
                             f"{repeated}")
        if self.mask_token is not None and self.mask_token in body:
            raise ValueError("Found reserved mask token at unexpected location in "
                             "`vocabulary`. Note that passed `vocabulary` does not need to "
                             "include the OOV and mask tokens. Either remove all mask and "
                             "OOV tokens, or include them only at the start of the "
                             f"vocabulary in precisely this order: {special}. Received: "
                             f"mask_token={self.mask_token}")
        if self.oov_token is not None and self.invert and self.oov_token in body:
            raise ValueError("Found reserved OOV token at unexpected location in "
                             "`vocabulary`. Note that passed `vocabulary` does not need to "
                             "include the OOV and mask tokens. Either remove all mask and "
                             "OOV tokens, or include them only at the start of the "
                             f"vocabulary in precisely this order: {special}. Received: "
                             f"oov_token={self.oov_token}")
        if self.max_tokens is not None and token_start + len(body) > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab "
                             f"size. Received vocabulary size is {token_start + len(body)}; "
                             f"`max_tokens` is {self.max_tokens}.")
        self._set_tokens(body)
        if self.output_mode == "tf_idf":
            weights = np.asarray(listify(idf_weights), dtype="float64")
            if weights.ndim != 1:
                raise ValueError("TF-IDF data must be a 1-index array. Received: "
                                 f"idf_weights of shape {weights.shape}")
            if len(weights) != len(tokens):
                raise ValueError("`idf_weights` must be the same length as vocabulary. "
                                 f"len(idf_weights) is {len(weights)}; len(vocabulary) is "
                                 f"{len(tokens)}")
            front = 0 if found_special else token_start
            front_value = 0.0 if found_special else float(np.average(weights))
            back = self.max_tokens - front - len(weights) \
                if self.pad_to_max_tokens and self.max_tokens is not None else 0
            self.idf_weights = np.pad(weights, (front, back), "constant",
                                      constant_values=(front_value, 0.0)
                                      ).astype(config.floatx())
        self._record_vocabulary_size()

    def _set_tokens(self, tokens):
        start = self._token_start_index()
        self._tokens = list(tokens)
        self._index = {t: start + i for i, t in enumerate(self._tokens)}

    def _record_vocabulary_size(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens and \
                self._frozen_vocab_size is not None and \
                self.vocabulary_size() != self._frozen_vocab_size and self.built:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and "
                               "`pad_to_max_tokens=False`, the vocabulary size cannot be "
                               "changed after the layer is called. Old vocab size is "
                               f"{self._frozen_vocab_size}, new vocab size is "
                               f"{self.vocabulary_size()}")
        self._frozen_vocab_size = self.vocabulary_size()

    # -- adapt ----------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Build the vocabulary from `data` (an array, tensor, list, or an
        iterable of batches; at most `steps` batches): the most frequent
        tokens first, at most `max_tokens` indices in all."""
        self.reset_state()
        for batch in iterate_batches(self, data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        """Count the tokens of one batch (each row a document for tf_idf)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             "vocabulary via `vocabulary` argument or `set_vocabulary()` "
                             "method.")
        data = to_host(data, getattr(self, "encoding", "utf-8"))
        if data.ndim < 2:
            data = data.reshape(1, -1)
        tokens = self._as_tokens(data)
        self._token_counts.update(tokens)
        if self.output_mode == "tf_idf":
            for row in data.reshape(data.shape[0], -1):
                self._document_counts.update(set(self._as_tokens(row)))
            self._num_documents += data.shape[0]

    def finalize_state(self):
        """Turn the counts into the vocabulary (and idf weights)."""
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        counts = dict(self._token_counts)
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(special, None)
        ordered = sorted(counts, key=lambda t: (counts[t], _sort_key(t)), reverse=True)
        if self.max_tokens:
            ordered = ordered[:self.max_tokens - self._token_start_index()]
        self._set_tokens(ordered)
        if self.output_mode == "tf_idf":
            docs = np.asarray([self._document_counts[t] for t in ordered], dtype="float64")
            idf = np.log(1 + self._num_documents / (1 + docs)).astype(config.floatx())
            idf = np.pad(idf, (self._token_start_index(), 0),
                         constant_values=float(np.mean(idf)))
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - idf.size), constant_values=0.0)
            self.idf_weights = idf.astype(config.floatx())
        self.reset_state()
        self._frozen_vocab_size = self.vocabulary_size()

    def reset_state(self):
        """Forget the counts of `update_state`."""
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    # -- call -----------------------------------------------------------------
    def _lookup(self, values):
        """Indices (int64 NumPy) of a NumPy array of tokens."""
        tokens = self._as_tokens(values)
        default = -1 if self.num_oov_indices != 1 else self._oov_start_index()
        out = np.asarray([self._index.get(t, default) for t in tokens], dtype="int64")
        out = out.reshape(values.shape)
        if self.mask_token is not None:
            mask = np.asarray([t == self.mask_token for t in tokens]).reshape(values.shape)
            out = np.where(mask, 0 if self.output_mode == "int" else INT64_MAX, out)
        if self.num_oov_indices == 0:
            missing = out == -1
            if missing.any():
                raise ValueError("When `num_oov_indices=0` all inputs should be in "
                                 f"vocabulary, found OOV values "
                                 f"{np.asarray(values)[missing].tolist()}, consider setting "
                                 "`num_oov_indices=1`.")
        elif self.num_oov_indices > 1:
            missing = out == -1
            if missing.any():
                out[missing] = self._oov_bins(np.asarray(values)[missing]) + \
                    self._oov_start_index()
        return out

    def _oov_bins(self, values):
        if self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            return np.mod(values.astype("int64"), self.num_oov_indices)
        return hash_values(values, self.num_oov_indices, self.salt)

    def _invert(self, values):
        vocab = self.get_vocabulary()
        indices = np.asarray(values).astype("int64")
        flat = [vocab[i] if 0 <= i < len(vocab) else self.oov_token
                for i in indices.reshape(-1).tolist()]
        if self.mask_token is not None:
            flat = [self.mask_token if i == 0 else t
                    for i, t in zip(indices.reshape(-1).tolist(), flat)]
        if self.vocabulary_dtype == "string":
            return np.asarray(flat, dtype=str).reshape(indices.shape)
        return self.to_tensor(np.asarray(flat, dtype="int64").reshape(indices.shape),
                              "int64")

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def call(self, inputs):
        """Indices (int64 tensor) or encodings of `inputs`; with `invert`,
        tokens (a NumPy array of str for strings: kerasx has no string tensors)."""
        if self.output_mode != "int" and not self.pad_to_max_tokens and \
                self._frozen_vocab_size is None:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and "
                               "`pad_to_max_tokens=False`, you must set the layer's "
                               "vocabulary before calling it. Either pass a `vocabulary` "
                               "argument to the layer, or call `adapt` with some sample "
                               "data.")
        if self._vocabulary_in_assets and not self._tokens:
            raise ValueError(f"{type(self).__name__} '{self.name}' was saved with an adapted "
                             f"vocabulary of {self._frozen_vocab_size} entries, which Keras "
                             "stores in the .keras archive's asset files. "
                             "kerasx.saving.load_model reads them (but not the idf weights "
                             "of a 'tf_idf' layer); a layer made from the config alone has "
                             "none. Call set_vocabulary() with the vocabulary "
                             "(layer.get_vocabulary() in Keras), or save the model from "
                             "kerasx, which keeps the vocabulary in the config.")
        if self.invert:
            return self._invert(inputs)
        indices = self._lookup(inputs)
        if self.output_mode == "int":
            return self.to_tensor(indices, "int64")
        if self.output_mode == "tf_idf":
            counts = encode(indices, "count", self._depth(), "float64")
            return self.to_tensor((counts * self.idf_weights).astype(config.floatx()))
        return self.to_tensor(encode(indices, self.output_mode, self._depth(), "int64"))

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, "count" if self.output_mode == "tf_idf"
                             else self.output_mode, self._depth())

    # -- configuration and saving ----------------------------------------------
    def load_assets(self, dir_path):
        """Read an adapted vocabulary from `dir_path`/vocabulary.txt (the
        asset file Keras 3 writes in .keras archives). A "tf_idf" layer is
        left without it (its idf weights are not read): calling it raises."""
        if self.input_vocabulary is not None or self.output_mode == "tf_idf":
            return
        path = os.path.join(dir_path, "vocabulary.txt")
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if self.vocabulary_dtype != "string":
            lines = [int(line) for line in lines]
        if lines:
            self.set_vocabulary(lines)

    def config_vocabulary(self):
        """(vocabulary, idf_weights) for the config: the given ones, or, for
        an adapted layer, the learned ones (Keras writes those to asset files
        in the .keras archive, which kerasx does not write; Keras reads them
        from the config as well)."""
        vocabulary = listify(self.input_vocabulary)
        idf_weights = listify(self.input_idf_weights)
        if vocabulary is None and self._tokens:
            vocabulary = self.get_vocabulary()
            if self.output_mode == "tf_idf":
                idf_weights = self.idf_weights[:len(vocabulary)].tolist()
        return vocabulary, idf_weights

    def get_config(self):
        vocabulary, idf_weights = self.config_vocabulary()
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode,
                "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": idf_weights, "vocabulary": vocabulary,
                "vocabulary_size": self._frozen_vocab_size, "oov_method": self.oov_method,
                "salt": self.salt}
