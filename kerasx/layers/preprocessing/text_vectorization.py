"""TextVectorization: strings to token indices or bag-of-words vectors,
computed on the host with TensorFlow's text rules (ASCII lowercasing, the
same punctuation set, whitespace and character splits, n-grams)."""
import re

import numpy as np

from kerasx import config
from kerasx.layers.preprocessing.host_layer import HostLayer, encode, to_host
from kerasx.layers.preprocessing.index_lookup import iterate_batches
from kerasx.layers.preprocessing.string_lookup import StringLookup

# tf.strings.regex_replace's pattern in Keras: ASCII punctuation.
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
# tf.strings.split splits on ASCII whitespace only.
_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]+")
STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")


def _ascii_lower(text):
    # tf.strings.lower without an encoding changes A-Z only.
    return text.encode("utf-8").lower().decode("utf-8")


def _ngrams(tokens, widths):
    """tf.strings.ngrams(tokens, widths, separator=" "): all n-grams of the
    first width, then of the next, ..."""
    out = []
    for width in widths:
        out += [" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1)]
    return out


class TextVectorization(HostLayer):
    """Turn strings into sequences of token indices or into bag-of-words
    vectors, as keras.layers.TextVectorization.

    Args:
        max_tokens: the vocabulary's largest size (the mask "" and OOV
            "[UNK]" included).
        standardize: "lower_and_strip_punctuation" (default), "lower",
            "strip_punctuation", None, or a callable taking and returning a
            NumPy array of str.
        split: "whitespace" (default), "character", None, or a callable
            taking a str and returning its list of tokens.
        ngrams: None, an int n (1..n-grams) or a tuple of widths.
        output_mode: "int", "multi_hot", "count", "tf_idf" (or "one_hot").
        output_sequence_length: for "int", pad or cut every sequence to it
            (default: the longest in the batch).
        pad_to_max_tokens: encode to `max_tokens` bins.
        vocabulary, idf_weights: a given vocabulary (list or file path) and,
            for "tf_idf", its weights.
        sparse, ragged: must be False (kerasx has neither tensor type).
        encoding: the encoding of byte-string inputs.

    `adapt(data)` learns the vocabulary from strings (most frequent first).
    Inputs: NumPy arrays or lists of str of shape (batch,) or (batch, 1);
    outputs: int64 tensors (float32 for "tf_idf").
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        if sparse or ragged:
            raise ValueError("TextVectorization(sparse=True) and (ragged=True) are not "
                             "supported by kerasx: it has no sparse or ragged tensors.")
        if not (standardize is None or callable(standardize) or standardize in STANDARDIZE):
            raise ValueError(f"Invalid value for argument `standardize`: {standardize!r}. "
                             f"Expected one of {STANDARDIZE}, None or a callable.")
        if not (split is None or callable(split) or split in SPLIT):
            raise ValueError(f"Invalid value for argument `split`: {split!r}. Expected "
                             f"one of {SPLIT}, None or a callable.")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if not (ngrams is None or isinstance(ngrams, int) or (
                isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))):
            raise ValueError("`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if output_mode == "int" and not (output_sequence_length is None or isinstance(
                output_sequence_length, int)):
            raise ValueError("`output_sequence_length` must be either None or an integer "
                             "when `output_mode` is 'int'. Received: "
                             f"output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is "
                             f"not 'int'. Received output_sequence_length="
                             f"{output_sequence_length}.")
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = self.encoding = encoding
        self._has_input_vocabulary = has_input_vocabulary
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_input_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self.output_dtype = config.floatx() if output_mode == "tf_idf" else "int64"

    # -- text processing ------------------------------------------------------
    def _standardized(self, strings):
        if callable(self._standardize):
            return to_host(self._standardize(strings), self._encoding)
        out = strings
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            out = np.vectorize(_ascii_lower, otypes=[object])(out) if out.size else out
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            out = np.vectorize(lambda s: _PUNCTUATION.sub("", s), otypes=[object])(out) \
                if out.size else out
        return np.asarray(out).astype(str) if out.size else out.astype(str)

    def _tokens(self, text):
        if self._split == "whitespace":
            return [t for t in _WHITESPACE.split(text) if t]
        if self._split == "character":
            return list(text)
        return list(self._split(text))

    def _preprocess(self, inputs):
        """Lists of tokens, one per input string (or the strings as they are
        when split is None)."""
        strings = to_host(inputs, self._encoding)
        if strings.dtype.kind not in "UO":
            raise ValueError("TextVectorization expects strings; received an array of "
                             f"dtype {strings.dtype}.")
        strings = self._standardized(strings)
        if self._split is None:
            return strings
        if strings.ndim > 1:
            if strings.shape[-1] != 1:
                raise ValueError("When using `TextVectorization` to tokenize strings, the "
                                 "input rank must be 1 or the last shape dimension must be "
                                 f"1. Received: inputs.shape={strings.shape} with "
                                 f"rank={strings.ndim}")
            strings = strings[..., 0]
        rows = [self._tokens(s) for s in strings.reshape(-1).tolist()]
        if self._ngrams is not None:
            rows = [_ngrams(r, self._ngrams) for r in rows]
        return rows

    # -- vocabulary -----------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary from `data`: an array or list of strings, or
        an iterable of batches of them (at most `steps`)."""
        self.reset_state()
        for batch in iterate_batches(self, data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        """Count the tokens of one batch of strings."""
        processed = self._preprocess(data)
        if isinstance(processed, np.ndarray):
            self._lookup_layer.update_state(processed)
            return
        lookup = self._lookup_layer
        if lookup._has_input_vocabulary:
            lookup.update_state(np.asarray([], dtype=str))
        for row in processed:
            lookup._token_counts.update(row)
            if lookup.output_mode == "tf_idf":
                lookup._document_counts.update(set(row))
        if lookup.output_mode == "tf_idf":
            lookup._num_documents += len(processed)

    def finalize_state(self):
        """Turn the counts into the vocabulary."""
        self._lookup_layer.finalize_state()

    def reset_state(self):
        """Forget the counts of `update_state`."""
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens in index order ("" and "[UNK]" first unless excluded)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The number of indices, special ones included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and idf weights for "tf_idf")."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def load_assets(self, dir_path):
        """Read an adapted vocabulary from the asset file Keras 3 writes."""
        self._lookup_layer.load_assets(dir_path)

    # -- call -----------------------------------------------------------------
    def call(self, inputs):
        processed = self._preprocess(inputs)
        lookup = self._lookup_layer
        if isinstance(processed, np.ndarray):
            return lookup.call(processed)
        if self._output_mode == "int":
            length = self._output_sequence_length
            if length is None:
                length = max((len(r) for r in processed), default=0)
            out = np.zeros((len(processed), length), dtype="int64")
            for i, row in enumerate(processed):
                row = row[:length]
                if row:
                    out[i, :len(row)] = lookup._lookup(np.asarray(row, dtype=str))
            return self.to_tensor(out, "int64")
        width = max((len(r) for r in processed), default=0)
        tokens = np.full((len(processed), max(width, 1)), "", dtype=object)
        present = np.zeros(tokens.shape, dtype=bool)
        for i, row in enumerate(processed):
            tokens[i, :len(row)] = row
            present[i, :len(row)] = True
        indices = lookup._lookup(tokens.astype(str))
        indices = np.where(present, indices, -1)  # padding gets no bin
        depth = lookup._depth()
        if self._output_mode == "tf_idf":
            counts = encode(indices, "count", depth, "float64")
            return self.to_tensor((counts * lookup.idf_weights).astype(config.floatx()))
        return self.to_tensor(encode(indices, self._output_mode, depth, "int64"), "int64")

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = tuple(input_shape) + (1,)
        else:
            input_shape = tuple(input_shape) + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    # -- configuration --------------------------------------------------------
    def get_config(self):
        lookup = self._lookup_layer
        vocabulary, idf_weights = lookup.config_vocabulary()
        return {**super().get_config(), "max_tokens": lookup.max_tokens,
                "standardize": self._standardize, "split": self._split,
                "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": lookup.sparse,
                "ragged": self._ragged, "vocabulary": vocabulary,
                "idf_weights": idf_weights,
                "encoding": self._encoding, "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config):
        """A layer from `get_config`'s output."""
        from kerasx.saving.serialization import deserialize_keras_object
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
