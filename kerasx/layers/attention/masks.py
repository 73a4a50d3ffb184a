"""The attention masks MultiHeadAttention and GroupedQueryAttention build
(Keras's rules): padding masks of query, value and key, causal and
sliding-window masks, combined with and into one (B, T, S) bool mask."""
from kerasx.backend import get_ops


def as_tensor(x):
    """`x` as a native tensor (arrays are converted)."""
    ops = get_ops()
    return x if ops.is_tensor(x) else ops.convert_to_tensor(x)


def to_bool(mask):
    """`mask` as a bool tensor (nonzero is True)."""
    ops = get_ops()
    mask = as_tensor(mask)
    return mask if ops.dtype(mask) == "bool" else ops.cast(mask, "bool")


def _positions(query, value):
    ops = get_ops()
    t = ops.shape(query)[1]
    s = t if value is None else ops.shape(value)[1]
    rows = ops.reshape(ops.arange(0, t, 1, "int32"), (1, t, 1))
    cols = ops.reshape(ops.arange(0, s, 1, "int32"), (1, 1, s))
    return rows, cols


def causal_mask(query, value=None):
    """(1, T, S) bool: query position i sees key positions j <= i."""
    rows, cols = _positions(query, value)
    return get_ops().greater_equal(rows, cols)


def sliding_window_mask(query, value, window):
    """(1, T, S) bool: |i - j| < window."""
    ops = get_ops()
    rows, cols = _positions(query, value)
    return ops.less(ops.abs(ops.subtract(rows, cols)), window)


def combined_mask(query, value, query_mask=None, value_mask=None, key_mask=None,
                  attention_mask=None, use_causal_mask=False, sliding_window=None):
    """The (B, T, S) bool mask: `attention_mask` and the query mask as
    (B, T, 1), the value and key masks as (B, 1, S), the causal and
    sliding-window (1, T, S) masks; None when there is none."""
    ops = get_ops()
    parts = [] if attention_mask is None else [to_bool(attention_mask)]
    if query_mask is not None:
        parts.append(ops.expand_dims(to_bool(query_mask), -1))
    for m in (value_mask, key_mask):
        if m is not None:
            parts.append(ops.expand_dims(to_bool(m), -2))
    if use_causal_mask:
        parts.append(causal_mask(query, value))
    if sliding_window is not None:
        parts.append(sliding_window_mask(query, value, sliding_window))
    if not parts:
        return None
    mask = parts[0]
    for part in parts[1:]:
        mask = ops.logical_and(mask, part)
    return mask


def expand_to(mask, rank, axis):
    """`mask` with axes inserted at `axis` until it has `rank` axes (the
    heads axis of the scores)."""
    ops = get_ops()
    for _ in range(rank - len(ops.shape(mask))):
        mask = ops.expand_dims(mask, axis)
    return mask
