"""IntegerLookup: integer ids to contiguous vocabulary indices (or back)."""
from kerasx.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Map integers to contiguous indices through a vocabulary, as
    keras.layers.IntegerLookup.

    The arguments max_tokens, num_oov_indices, vocabulary, idf_weights,
    invert, output_mode, pad_to_max_tokens and sparse are StringLookup's.

    Args:
        mask_token: an integer that maps to index 0 (None: no mask).
        oov_token: the value `invert` gives for OOV indices (default -1).
        vocabulary_dtype: "int64" (the only one Keras supports).
        oov_method: "floormod" (OOV value modulo num_oov_indices) or
            "farmhash" (FarmHash of its decimal string).
        salt: key of the OOV hash with oov_method="farmhash".
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If `max_tokens` is set for `IntegerLookup`, it must be "
                             f"greater than 1. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("The value of `num_oov_indices` argument for `IntegerLookup` "
                             f"must >= 0. Received: num_oov_indices={num_oov_indices}")
        if vocabulary_dtype != "int64":
            raise ValueError("Only `vocabulary_dtype='int64'` is supported at this time. "
                             f"Received: vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights,
                         invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method,
                         salt=salt, name=name, **kwargs)

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
