"""StringLookup: strings to vocabulary indices (or back)."""
from kerasx.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Map strings to integer indices through a vocabulary, as
    keras.layers.StringLookup.

    Args:
        max_tokens: the largest vocabulary size (special indices included);
            None for no limit.
        num_oov_indices: how many indices out-of-vocabulary strings share
            (by FarmHash of the string when more than one, as Keras).
        mask_token: a string that maps to index 0 (None: no mask).
        oov_token: the token `invert` gives for OOV indices.
        vocabulary: a list/array of strings or a text file path (one per line).
        idf_weights: for output_mode "tf_idf" with a given vocabulary.
        invert: map indices back to strings (a NumPy array of str).
        output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
        pad_to_max_tokens: encode to `max_tokens` bins whatever the vocabulary.
        sparse: must be False (kerasx has no sparse tensors).
        encoding: the text encoding of byte-string inputs.
        salt: key of the OOV hash (SipHash, as tf.strings.to_hash_bucket_strong).

    `adapt(data)` learns the vocabulary (most frequent first). Inputs are
    NumPy arrays or lists of strings, computed on the host; outputs are
    int64 tensors (float for "tf_idf").
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 salt=None, **kwargs):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
