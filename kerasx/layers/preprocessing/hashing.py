"""Hashing: strings or integers to hashed bins (Keras's and TensorFlow's bins)."""
import numpy as np

from kerasx import config
from kerasx.layers.preprocessing.host_layer import (ENCODING_MODES, HostLayer, encode,
                                                    encoded_shape)
from kerasx.layers.preprocessing.string_hash import fingerprint64, siphash24


def hash_key_bytes(value):
    """The bytes TensorFlow hashes for a value: a string's UTF-8, an
    integer's decimal digits (tf.as_string), a float truncated to int64 first."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (float, np.floating)):
        value = int(np.int64(value))
    return str(int(value)).encode("ascii")


def hash_values(values, num_bins, salt=None):
    """Bins in [0, num_bins) of a NumPy array of str/ints: FarmHash
    Fingerprint64 (tf.strings.to_hash_bucket_fast), or SipHash-2-4 keyed by
    `salt` = [k0, k1] (tf.strings.to_hash_bucket_strong)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = values.astype("int64")
    uniques, inverse = np.unique(values.reshape(-1), return_inverse=True)
    if salt is None:
        bins = [fingerprint64(hash_key_bytes(v)) % num_bins for v in uniques.tolist()]
    else:
        k0, k1 = (int(k) & ((1 << 64) - 1) for k in salt)
        bins = [siphash24(k0, k1, hash_key_bytes(v)) % num_bins for v in uniques.tolist()]
    return np.asarray(bins, dtype="int64")[inverse].reshape(values.shape)


class Hashing(HostLayer):
    """Hash strings or integers into `num_bins` bins, as keras.layers.Hashing,
    with TensorFlow's hash functions reimplemented on the host (the same
    bins as Keras on every backend).

    Args:
        num_bins: the number of bins (including the mask bin, if any).
        mask_value: values equal to it go to bin 0, the others to
            [1, num_bins).
        salt: an int or a pair of ints: use the keyed SipHash
            (tf.strings.to_hash_bucket_strong) instead of FarmHash.
        output_mode: "int" (bins, int64), "one_hot", "multi_hot" or "count".
        sparse: must be False (kerasx has no sparse tensors).

    Inputs: NumPy arrays or lists of str/bytes/ints/floats, or eager
    tensors; floats are truncated to integers, integers hashed as their
    decimal strings (as Keras).
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or "
                             f"non-positive values. Received: num_bins={num_bins}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError("When `output_mode=\"int\"`, `dtype` should be an integer "
                             f"type, 'int32' or 'in64'. Received: dtype={self.dtype}")
        if output_mode not in ENCODING_MODES:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{ENCODING_MODES}. Received: output_mode={output_mode}")
        if sparse:
            raise ValueError("Hashing(sparse=True) is not supported by kerasx: it has no "
                             "sparse tensors. Use sparse=False.")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `Hashing` can only be a tuple of "
                                 f"size 2 integers, or a single integer. Received: "
                                 f"salt={salt}.")
        self.output_dtype = self.dtype

    def hash_to_bins(self, values):
        """The bins (int64 NumPy array) of a NumPy array of values."""
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        out = hash_values(values, bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        indices = self.hash_to_bins(inputs)
        return self.to_tensor(encode(indices, self.output_mode, self.num_bins, self.dtype))

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode,
                "sparse": self.sparse}
