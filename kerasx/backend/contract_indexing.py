"""The indexing family of the contract: scatters, slice updates, segment
reductions, counting and binning (`keras.ops` scatter, scatter_update,
slice_update, segment_sum, in_top_k, bincount, histogram, ...).

All are composites. A scatter or a segment reduction is a one-hot matrix
(update -> position) applied with `matmul` (sums) or with `where` and a
reduction (max, min, prod): exact, differentiable, the same on every backend,
and traceable in a compiled step. It costs O(updates x positions): a plugin
may override one with its framework's scatter kernel where that gives the
same numbers.
"""
import numpy as np

from kerasx.backend.op_roles import composite


def _lowest(dtype):
    return float(np.finfo(dtype).min) if dtype.startswith("float") else int(np.iinfo(dtype).min)


def _highest(dtype):
    return float(np.finfo(dtype).max) if dtype.startswith("float") else int(np.iinfo(dtype).max)


class IndexingContract:
    """Mixin of `Backend`: the indexing family (see the module's docstring)."""

    # ------------------------------------------------------------------
    # Helpers (not operations)
    # ------------------------------------------------------------------
    def _positions(self, indices, shape, op):
        """(flat positions (N,) int32, number of positions P, slice shape)
        of index rows `indices` (..., k) into a tensor of `shape`."""
        ishape = self.shape(indices)
        if not ishape or ishape[-1] > len(shape):
            raise ValueError(f"{op}: `indices` must have shape (..., k) with k <= "
                             f"{len(shape)} (the rank of the target); received {ishape}.")
        k = ishape[-1]
        rows = self.reshape(self.cast(indices, "int32"), (-1, k))
        strides = np.cumprod((1,) + tuple(shape[1:k])[::-1])[::-1].astype(np.int32)
        flat = self.sum(self.multiply(rows, self.convert_to_tensor(strides)), axis=1)
        return flat, int(np.prod(shape[:k], dtype=np.int64)), tuple(shape[k:])

    def _matches(self, ids, count):
        """Bool (N, count): row i is true at column ids[i] (nowhere when
        ids[i] is out of range)."""
        return self.equal(self.expand_dims(ids, 1), self.arange(0, count, 1, "int32"))

    def _segment_reduce(self, data, onehot, kind):
        """Reduce the N rows of `data` (N, ...) into the S segments of the
        bool `onehot` (N, S): "sum", "max", "min" or "prod"; an empty
        segment gives 0, the dtype's lowest, highest, or 1."""
        rest = self.shape(data)[1:]
        dtype = self.dtype(data)
        if kind == "sum":
            work = data if dtype != "bool" else self.cast(data, "int32")
            flat = self.reshape(work, (self.shape(data)[0], -1))
            summed = self.matmul(self.transpose(self.cast(onehot, self.dtype(work))), flat)
            return self.reshape(summed, (self.shape(onehot)[1],) + rest)
        fill = {"max": _lowest, "min": _highest}.get(kind, lambda d: 1)(dtype)
        mask = self.reshape(onehot, self.shape(onehot) + (1,) * len(rest))
        spread = self.where(mask, self.expand_dims(data, 1), self.full((), fill, dtype))
        reduce = {"max": self.max, "min": self.min, "prod": self.prod}[kind]
        return reduce(spread, axis=0)

    def _scattered(self, indices, values, shape, op):
        """(the bool one-hot (N, P) matrix of update -> position, `values`
        as rows (N, *slice shape), the slice shape)."""
        flat, count, tail = self._positions(indices, shape, op)
        onehot = self._matches(flat, count)
        rows = self.reshape(values, (self.shape(flat)[0],) + tail)
        return onehot, rows, tail

    # ------------------------------------------------------------------
    # Scatters and slice updates
    # ------------------------------------------------------------------
    @composite(tensors=("indices", "values"))
    def scatter(self, indices, values, shape):
        """A zero tensor of `shape` with `values` added at `indices`: index
        rows (..., k), k <= len(shape), each naming an element (k ==
        len(shape)) or a slice; `values` (..., *shape[k:]). Values at a
        repeated index add up."""
        shape = tuple(int(d) for d in shape)
        onehot, rows, tail = self._scattered(indices, values, shape, "scatter")
        return self.reshape(self._segment_reduce(rows, onehot, "sum"), shape)

    @composite(tensors=("inputs", "indices", "updates"))
    def scatter_update(self, inputs, indices, updates, reduction=None):
        """`inputs` with the elements (or slices) at index rows `indices`
        (..., k) replaced by `updates` (reduction None; at a repeated index
        the last update wins) or combined with them ("add", "max", "min",
        "mul")."""
        if reduction not in (None, "add", "max", "min", "mul"):
            raise ValueError(f"scatter_update: unsupported reduction {reduction!r}; use "
                             "None, 'add', 'max', 'min' or 'mul'.")
        shape = self.shape(inputs)
        updates = self.cast(updates, self.dtype(inputs))
        onehot, rows, tail = self._scattered(indices, updates, shape, "scatter_update")
        n, count = self.shape(onehot)
        if reduction is None and n > 1:
            # Keep the last update of each position: drop an update when a
            # later one writes the same position.
            later = self.convert_to_tensor(np.triu(np.ones((n, n), bool), 1))
            same = self.matmul(self.cast(onehot, "float32"),
                               self.transpose(self.cast(onehot, "float32")))
            shadowed = self.any(self.logical_and(self.greater(same, 0.5), later), axis=1)
            onehot = self.logical_and(onehot, self.expand_dims(
                self.logical_not(shadowed), 1))
        kind = {None: "sum", "add": "sum", "max": "max", "min": "min", "mul": "prod"}
        combined = self._segment_reduce(rows, onehot, kind[reduction])
        grid = (count,) + tail
        written = self.reshape(self.any(onehot, axis=0), (count,) + (1,) * len(tail))
        current = self.reshape(inputs, grid)
        if reduction is None:
            out = self.where(written, combined, current)
        elif reduction == "add":
            out = self.add(current, combined)
        elif reduction == "mul":
            out = self.multiply(current, combined)
        else:
            pick = self.maximum if reduction == "max" else self.minimum
            out = self.where(written, pick(current, combined), current)
        return self.reshape(out, shape)

    @composite(tensors=("inputs", "updates"))
    def slice_update(self, inputs, start_indices, updates):
        """`inputs` with the block starting at `start_indices` (ints, or a
        tensor read on the host) replaced by `updates`."""
        if self.is_tensor(start_indices):
            start_indices = self.to_numpy(start_indices)
        start = [int(s) for s in np.asarray(start_indices).reshape(-1)]
        shape, ushape = self.shape(inputs), self.shape(updates)
        if len(start) != len(shape) or len(ushape) != len(shape) or any(
                s < 0 or s + u > n for s, u, n in zip(start, ushape, shape)):
            raise ValueError(f"slice_update: updates of shape {ushape} at {tuple(start)} do "
                             f"not fit in inputs of shape {shape}.")
        pads = [(s, n - s - u) for s, u, n in zip(start, ushape, shape)]
        updates = self.cast(updates, self.dtype(inputs))
        work = updates if self.dtype(updates) != "bool" else self.cast(updates, "int32")
        placed = self.pad(work, pads)
        if self.dtype(updates) == "bool":
            placed = self.cast(placed, "bool")
        inside = self.greater(self.pad(self.ones(ushape, "float32"), pads), 0.5)
        return self.where(inside, placed, inputs)

    @composite(tensors=("x",))
    def unstack(self, x, num=None, axis=0):
        """The slices of `x` along `axis`, as a list (`num`, if given, must
        be the axis's length)."""
        shape = self.shape(x)
        axis %= len(shape)
        if num is not None and num != shape[axis]:
            raise ValueError(f"unstack: num={num} differs from the axis's length "
                             f"{shape[axis]}.")
        if shape[axis] == 0:
            return []
        return [self.squeeze(p, axis) for p in self.split(x, shape[axis], axis=axis)]

    # ------------------------------------------------------------------
    # Segment reductions
    # ------------------------------------------------------------------
    def _segments(self, data, segment_ids, num_segments, kind):
        if num_segments is None:
            # The output's length depends on the ids: read on the host.
            ids = self.to_numpy(segment_ids)
            num_segments = int(ids.max()) + 1 if ids.size else 0
        onehot = self._matches(self.cast(segment_ids, "int32"), int(num_segments))
        return self._segment_reduce(data, onehot, kind)

    @composite(tensors=("data", "segment_ids"))
    def segment_sum(self, data, segment_ids, num_segments=None, sorted=False):
        """Sums of the rows of `data` sharing a segment id (int, 1-D, one
        per row): (num_segments, ...), an empty segment 0. num_segments
        None: max(segment_ids) + 1, read on the host. Ids outside
        [0, num_segments) are dropped. `sorted` is a hint only."""
        return self._segments(data, segment_ids, num_segments, "sum")

    @composite(tensors=("data", "segment_ids"))
    def segment_max(self, data, segment_ids, num_segments=None, sorted=False):
        """Maxima per segment, as `segment_sum`; an empty segment gives the
        dtype's lowest value (as TensorFlow)."""
        return self._segments(data, segment_ids, num_segments, "max")

    @composite(tensors=("data", "segment_ids"))
    def segment_min(self, data, segment_ids, num_segments=None, sorted=False):
        """Minima per segment; an empty segment gives the dtype's highest value."""
        return self._segments(data, segment_ids, num_segments, "min")

    @composite(tensors=("data", "segment_ids"))
    def segment_prod(self, data, segment_ids, num_segments=None, sorted=False):
        """Products per segment; an empty segment gives 1."""
        return self._segments(data, segment_ids, num_segments, "prod")

    # ------------------------------------------------------------------
    # Ranks, frames, counts and bins
    # ------------------------------------------------------------------
    @composite(tensors=("targets", "predictions"))
    def in_top_k(self, targets, predictions, k):
        """Bool per row: whether the target class's prediction is among the
        `k` largest of `predictions` (batch, classes); classes tied with it
        count in its favour, a non-finite prediction is never in."""
        picked = self.take_along_axis(
            predictions, self.expand_dims(self.cast(targets, "int32"), -1), axis=-1)
        above = self.sum(self.cast(self.greater(predictions, picked), "int32"), axis=-1)
        finite = self.less(self.abs(self.squeeze(picked, -1)), float("inf"))
        return self.logical_and(self.less(above, k), finite)

    @composite(tensors=("x",))
    def extract_sequences(self, x, sequence_length, sequence_stride):
        """Frames of `sequence_length` along the last axis, every
        `sequence_stride`: (..., num_frames, sequence_length)."""
        n = self.shape(x)[-1]
        frames = 1 + (n - sequence_length) // sequence_stride
        if sequence_length <= 0 or sequence_stride <= 0 or frames < 1:
            raise ValueError(f"extract_sequences: cannot take frames of {sequence_length} "
                             f"every {sequence_stride} from a last axis of {n}.")
        index = (np.arange(frames)[:, None] * sequence_stride
                 + np.arange(sequence_length)[None, :])
        return self.take(x, self._host_index(index), axis=self.ndim(x) - 1)

    @composite(tensors=("indices",))
    def unravel_index(self, indices, shape):
        """The coordinates in a tensor of `shape` of flat `indices`: a
        tuple of tensors of indices' shape and dtype, one per axis."""
        dtype = self.dtype(indices)
        rest = self.cast(indices, "float64")  # exact below 2 ** 53
        coords = []
        for dim in reversed(tuple(shape)):
            quotient = self.floor(self.divide(rest, float(dim)))
            coords.append(self.cast(self.subtract(rest, self.multiply(quotient, float(dim))),
                                    dtype))
            rest = quotient
        return tuple(reversed(coords))

    @composite(tensors=("x", "weights"))
    def bincount(self, x, weights=None, minlength=0, sparse=False):
        """Counts of each non-negative int in `x` (1-D, or 2-D counted per
        row), or sums of `weights` per value: length max(max(x) + 1,
        minlength), read on the host. int32 counts, else the weights' dtype.

        Raises:
            ValueError: `sparse=True` (kerasx has no sparse tensors).
        """
        if sparse:
            raise ValueError("bincount: sparse=True is not supported (kerasx has no "
                             "sparse tensors).")
        values = self.to_numpy(x)
        length = max(int(minlength), int(values.max()) + 1 if values.size else 0)
        onehot = self.one_hot(self.cast(x, "int32"), length,
                              dtype="int32" if weights is None else self.dtype(weights))
        if weights is not None:
            onehot = self.multiply(onehot, self.expand_dims(weights, -1))
        return self.sum(onehot, axis=-2)

    @composite(tensors=("x",))
    def histogram(self, x, bins=10, range=None):
        """(counts, bin_edges) of the 1-D `x` in `bins` equal bins over
        `range` (default: x's min and max); the last bin includes its right
        edge, values outside the range are not counted. Both in x's dtype."""
        dtype = self.dtype(x)
        if range is None:
            low, high = self.min(x), self.max(x)
        else:
            low, high = (self.convert_to_tensor(float(v), dtype) for v in range)
        steps = self.convert_to_tensor(np.arange(bins + 1) / bins, dtype)
        edges = self.add(low, self.multiply(self.subtract(high, low), steps))
        inner = self.slice(edges, (1,), (bins - 1,))
        below = self.less_equal(inner, self.expand_dims(x, -1))
        index = self.sum(self.cast(below, "int32"), axis=-1)
        inside = self.logical_and(self.greater_equal(x, low), self.less_equal(x, high))
        counts = self.sum(self.where(self.expand_dims(inside, -1),
                                     self.one_hot(index, bins, dtype),
                                     self.zeros((1, bins), dtype)), axis=0)
        return counts, edges

    @composite(tensors=("x",))
    def get_item(self, x, key):
        """`x[key]` with NumPy's basic indexing (ints, slices with any step,
        None, Ellipsis), at most one integer array (list, array or int
        tensor; its dimensions take that axis's place), or a bool mask of
        x's shape (the selected elements, flattened; their number depends
        on the values).

        Raises:
            IndexError: an index out of range, too many indices, or more
                than one array index.
        """
        key = key if isinstance(key, tuple) else (key,)
        rank = self.ndim(x)
        if len(key) == 1 and self._is_mask(key[0]):
            mask = key[0] if self.is_tensor(key[0]) else self.convert_to_tensor(
                np.asarray(key[0]))
            if self.shape(mask) != self.shape(x):
                raise IndexError(f"get_item: a bool mask must have x's shape "
                                 f"{self.shape(x)}; received {self.shape(mask)}.")
            strides = np.cumprod((1,) + self.shape(x)[:0:-1])[::-1].astype(np.int32)
            flat = 0
            for i, where in enumerate(self.nonzero(mask)):
                flat = self.add(flat, self.multiply(where, int(strides[i])))
            return self.take(self.reshape(x, (-1,)), flat, axis=0)
        used = sum(1 for k in key if k is not None and k is not Ellipsis)
        if used > rank:
            raise IndexError(f"get_item: too many indices ({used}) for a tensor of rank "
                             f"{rank}.")
        if any(k is Ellipsis for k in key):
            at = next(i for i, k in enumerate(key) if k is Ellipsis)
            key = key[:at] + (slice(None),) * (rank - used) + key[at + 1:]
        else:
            key = key + (slice(None),) * (rank - used)
        if sum(1 for k in key if self._is_array_index(k)) > 1:
            raise IndexError("get_item: at most one array index is supported.")
        axis, squeeze = 0, []
        for k in key:
            if k is None:
                x = self.expand_dims(x, axis)
                axis += 1
            elif isinstance(k, slice):
                n = self.shape(x)[axis]
                start, stop, step = k.indices(n)
                if step == 1:
                    begin, extent = [0] * self.ndim(x), [-1] * self.ndim(x)
                    begin[axis], extent[axis] = start, max(stop - start, 0)
                    x = self.slice(x, begin, extent)
                else:
                    x = self._host_gather(x, np.arange(start, stop, step), axis)
                axis += 1
            elif self._is_array_index(k):
                if self.is_tensor(k):
                    index = k
                else:
                    n, host = self.shape(x)[axis], np.asarray(k)
                    if host.size and (host.min() < -n or host.max() >= n):
                        raise IndexError(f"get_item: an index of {k!r} is out of range for "
                                         f"an axis of length {n}.")
                    index = self._host_index(host % max(n, 1))
                x = self.take(x, index, axis=axis)
                axis += self.ndim(index)
            else:
                n = self.shape(x)[axis]
                i = int(k)
                if not -n <= i < n:
                    raise IndexError(f"get_item: index {i} is out of range for an axis of "
                                     f"length {n}.")
                begin, extent = [0] * self.ndim(x), [-1] * self.ndim(x)
                begin[axis], extent[axis] = i % n, 1
                x = self.slice(x, begin, extent)
                squeeze.append(axis)
                axis += 1
        return self.squeeze(x, tuple(squeeze)) if squeeze else x

    def _is_array_index(self, k):
        if self.is_tensor(k):
            return self.ndim(k) > 0 or self.dtype(k) != "bool"
        return isinstance(k, (list, np.ndarray))

    def _is_mask(self, k):
        if self.is_tensor(k):
            return self.dtype(k) == "bool"
        return isinstance(k, (list, np.ndarray)) and np.asarray(k).dtype == bool

    @composite(tensors=("x",))
    def unique(self, x, sorted=True, return_index=False, return_inverse=False,
               return_counts=False, axis=None, size=None, fill_value=None):
        """The distinct values of the flattened `x`, ascending (`sorted`) or
        in order of first occurrence; optionally (int32) the index of each
        one's first occurrence, the inverse map (x's shape) and the counts.
        A single tensor, or a tuple in that order when one of return_* is
        set. `size` fixes the length (truncating, or padding values with
        `fill_value` (default 0), indices with 1 and counts with 0, as
        Keras): the shapes then do not depend on the values. Without it the
        number of distinct values is read on the host.

        Raises:
            ValueError: `axis` is not None (unique slices are not supported).
        """
        if axis is not None:
            raise ValueError("unique: only axis=None (the flattened input) is supported.")
        flat = self.reshape(x, (-1,))
        n = self.shape(flat)[0]
        order = self.argsort(flat)
        ordered = self.take(flat, order)
        if n:
            fresh = self.concatenate([self.ones((1,), "bool"), self.not_equal(
                self.slice(ordered, (1,), (n - 1,)), self.slice(ordered, (0,), (n - 1,)))], 0)
        else:
            fresh = self.zeros((0,), "bool")
        group = self.subtract(self.cumsum(self.cast(fresh, "int32")), 1)
        found = int(self.to_numpy(self.sum(self.cast(fresh, "int32")))) if size is None \
            else None
        count = found if size is None else int(size)
        onehot = self._matches(group, count)
        kept = self.where(fresh, ordered, self.zeros_like(ordered))
        values = self._segment_reduce(kept, onehot, "sum")
        if self.dtype(x) == "bool":
            values = self.cast(values, "bool")
        first = self._segment_reduce(order, onehot, "min")
        counts = self._segment_reduce(self.ones((n,), "int32"), onehot, "sum")
        inverse = self.scatter(self.expand_dims(order, -1), group, (n,))
        if not sorted:
            # Rank the groups by first occurrence (empty ones hold int32's
            # largest value, so they stay last).
            rank = self.argsort(first)
            values, first, counts = (self.take(t, rank) for t in (values, first, counts))
            position = self.scatter(self.expand_dims(rank, -1),
                                    self.arange(0, count, 1, "int32"), (count,))
            inverse = self.take(position, inverse)
        if size is not None:
            filled = self.less(self.arange(0, count, 1, "int32"),
                               self.sum(self.cast(fresh, "int32")))
            pad = 0 if fill_value is None else fill_value
            values = self.where(filled, values, self.full((count,), pad, self.dtype(values)))
            first = self.where(filled, first, self.ones((count,), "int32"))
        results = [values]
        if return_index:
            results.append(first)
        if return_inverse:
            results.append(self.reshape(inverse, self.shape(x)))
        if return_counts:
            results.append(counts)
        return tuple(results) if len(results) > 1 else values

    @composite(tensors=("x",))
    def argpartition(self, x, kth, axis=-1):
        """int32 indices that partition `x` along `axis` (None: flattened):
        the element at position `kth` is the one a sort would put there,
        smaller or equal ones before it, the others after. Here a stable
        argsort, which is one such partition."""
        return self.argsort(x, axis=axis)
