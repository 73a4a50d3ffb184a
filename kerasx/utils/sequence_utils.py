"""pad_sequences, as keras.utils.pad_sequences (also
keras.preprocessing.sequence.pad_sequences)."""
import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pad (or truncate) sequences of varying length to one length.

    Args:
        sequences: a list of sequences (lists or arrays; each element may
            itself be an array of a common shape).
        maxlen: the length of the result; default the longest sequence.
        dtype: dtype of the result (`object` for variable-length strings).
        padding: "pre" or "post": where the padding `value` goes.
        truncating: "pre" or "post": which end is dropped from sequences
            longer than `maxlen`.
        value: the padding value.

    Returns:
        A NumPy array of shape `(len(sequences), maxlen) + element_shape`.

    Raises:
        ValueError: if `sequences` is not a list of sequences, `maxlen` is
            negative, `padding`/`truncating` is not "pre" or "post", a
            string `value` is given with a non-string dtype, or the
            sequences' elements differ in shape.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be a list of sequences; received "
                         f"{type(sequences).__name__}.")
    for option, given in (("padding", padding), ("truncating", truncating)):
        if given not in ("pre", "post"):
            raise ValueError(f"`{option}` must be 'pre' or 'post'; received {given!r}.")
    lengths, element_shape = [], ()
    found_shape = False
    for i, seq in enumerate(sequences):
        if not hasattr(seq, "__len__"):
            raise ValueError(f"`sequences` must be a list of sequences; element {i} is "
                             f"{type(seq).__name__}: {seq!r}.")
        lengths.append(len(seq))
        if not found_shape and len(seq):
            element_shape = np.asarray(seq).shape[1:]
            found_shape = True
    if maxlen is None:
        maxlen = max(lengths, default=0)
    if maxlen < 0:
        raise ValueError(f"`maxlen` must be a non-negative integer; received {maxlen}.")
    is_string_dtype = np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and np.dtype(dtype) != object and not is_string_dtype:
        raise ValueError(f"`dtype` {dtype} cannot hold the string padding value {value!r}; "
                         "use dtype=object for variable-length strings.")
    out = np.full((len(sequences), maxlen) + element_shape, value, dtype=dtype)
    if maxlen == 0:
        return out
    for i, seq in enumerate(sequences):
        if not len(seq):
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != element_shape:
            raise ValueError(f"Sequence {i} has elements of shape {kept.shape[1:]}, "
                             f"unlike the first non-empty sequence's {element_shape}.")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out
