"""The array family of the contract: sorting, cumulative sums, and NumPy's
array manipulation (`keras.ops` flip, roll, tril, diagonal, split, ...).

Sorting, cumulative sums and products, `searchsorted` and `nonzero` are
primitives (each plugin calls its framework's kernel). Everything else is a
composite of existing primitives, exact where the mathematics is: the moves
(flip, roll, repeat, diagonal, ...) are `take`s with index tensors worked out
on the host from the static shapes, so every backend moves the same elements
and gradients flow through the gathers.
"""
import numpy as np

from kerasx.backend.op_roles import composite, primitive


def _axis_index(axis, rank, op):
    """`axis` as a non-negative int, or ValueError naming `op`."""
    if not -rank <= axis < rank:
        raise ValueError(f"{op}: axis {axis} is out of bounds for a tensor of rank {rank}.")
    return axis % rank


class ArrayContract:
    """Mixin of `Backend`: the array family (see the module's docstring)."""

    # ------------------------------------------------------------------
    # Primitives: sorting, scans, search
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def sort(self, x, axis=-1):
        """`x` sorted ascending along the int `axis` (None: the flattened
        `x`). The gradient follows each element to its sorted place."""

    @primitive(tensors=("x",))
    def argsort(self, x, axis=-1):
        """int32 indices that sort `x` ascending along `axis` (None: the
        flattened `x`); stable: among equal values the lower index first.
        A 0-d `x` gives [0]."""

    @primitive(tensors=("x",))
    def cumsum(self, x, axis=None, dtype=None):
        """Cumulative sum along the int `axis` (None: the flattened `x`),
        after casting to `dtype` when given; bool sums as int32."""

    @primitive(tensors=("x",))
    def cumprod(self, x, axis=None, dtype=None):
        """Cumulative product, as `cumsum`. Differentiable also where `x`
        has zeros."""

    @primitive(tensors=("sorted_sequence", "values"), promote=True)
    def searchsorted(self, sorted_sequence, values, side="left"):
        """int32 indices where `values` would be inserted into the 1-D
        ascending `sorted_sequence` to keep it sorted: the first such place
        ("left") or the last ("right").

        Raises:
            ValueError: `sorted_sequence` is not 1-D, or a bad `side`.
        """

    @primitive(tensors=("x",))
    def nonzero(self, x):
        """Tuple of int32 index vectors, one per axis, of the non-zero
        elements of `x` in row-major order. Its size depends on the values:
        a compiled step that needs static shapes cannot hold it."""

    @primitive(tensors=("x",))
    def view(self, x, dtype=None):
        """The bytes of `x` read as `dtype` (None: x's own), as numpy's
        ndarray.view: a different item size scales the last axis, which
        must then divide evenly. Not differentiable.

        Raises:
            ValueError: the last axis cannot be re-read in `dtype`.
        """

    # nancumsum / nancumprod replace NaNs with StatsContract._nan_to.

    @composite(tensors=("x",))
    def nancumsum(self, x, axis=None, dtype=None):
        """`cumsum` with NaNs counted as zero."""
        return self.cumsum(self._nan_to(x, 0.0), axis=axis, dtype=dtype)

    @composite(tensors=("x",))
    def nancumprod(self, x, axis=None, dtype=None):
        """`cumprod` with NaNs counted as one."""
        return self.cumprod(self._nan_to(x, 1.0), axis=axis, dtype=dtype)

    # Shared by the plugins' kernels (not operations).
    def _view_shape(self, x, dtype):
        """(canonical target dtype, the result's shape) for `view`."""
        from kerasx.backend.dtypes import standardize_dtype

        dtype = self.dtype(x) if dtype is None else standardize_dtype(dtype)
        shape = self.shape(x)
        old, new = np.dtype(self.dtype(x)).itemsize, np.dtype(dtype).itemsize
        if old == new:
            return dtype, shape
        if not shape or (shape[-1] * old) % new:
            raise ValueError(f"view: a last axis of {shape[-1] if shape else 0} "
                             f"{self.dtype(x)} elements cannot be read as {dtype}.")
        return dtype, shape[:-1] + (shape[-1] * old // new,)

    def _along(self, x, axis, op):
        """(x, axis) with axis None resolved to the flattened `x` and axis 0,
        and a negative axis made non-negative."""
        if axis is None:
            return self.reshape(x, (-1,)), 0
        return x, _axis_index(axis, max(len(self.shape(x)), 1), op)

    def _cumprod_by_doubling(self, x, axis):
        """Inclusive cumulative product along the non-negative `axis` in
        log2(n) steps of `multiply` (Hillis-Steele): for plugins whose
        framework has no cumprod, or whose cumprod gradient divides by the
        input (NaN at zeros); this one differentiates exactly."""
        shape = self.shape(x)
        n, rank, step = shape[axis], len(shape), 1
        while step < n:
            start = [0] * rank
            extent = list(shape)
            extent[axis] = n - step
            ones = self.ones(shape[:axis] + (step,) + shape[axis + 1:], self.dtype(x))
            shifted = self.concatenate([ones, self.slice(x, start, extent)], axis=axis)
            x = self.multiply(x, shifted)
            step *= 2
        return x

    @staticmethod
    def _check_searchsorted(shape, side):
        if len(shape) != 1:
            raise ValueError("searchsorted: `sorted_sequence` must be 1-D (use "
                             "keras.ops.vectorized_map for N-D sequences); received "
                             f"shape {tuple(shape)}.")
        if side not in ("left", "right"):
            raise ValueError(f"searchsorted: `side` must be 'left' or 'right'; received "
                             f"{side!r}.")

    # ------------------------------------------------------------------
    # Helpers for the composites (not operations)
    # ------------------------------------------------------------------
    def _host_index(self, values):
        """A host int array as an int32 index tensor."""
        return self.convert_to_tensor(np.asarray(values, dtype=np.int32))

    def _host_gather(self, x, host_indices, axis):
        """take(x, host_indices, axis) with indices fixed on the host."""
        return self.take(x, self._host_index(host_indices), axis=axis)

    def _axes_of(self, axis, rank, op):
        if axis is None:
            return tuple(range(rank))
        if isinstance(axis, int):
            axis = (axis,)
        return tuple(_axis_index(a, rank, op) for a in axis)

    # ------------------------------------------------------------------
    # Moves: flips, rolls, rotations, repeats, transposes
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def flip(self, x, axis=None):
        """`x` with the order of elements reversed along `axis` (an int, a
        tuple, or None for every axis)."""
        shape = self.shape(x)
        for a in self._axes_of(axis, len(shape), "flip"):
            x = self._host_gather(x, np.arange(shape[a] - 1, -1, -1), a)
        return x

    @composite(tensors=("x",))
    def fliplr(self, x):
        """`x` reversed along axis 1 (rank >= 2)."""
        if self.ndim(x) < 2:
            raise ValueError("fliplr: the input must be at least 2-D; received shape "
                             f"{self.shape(x)}.")
        return self.flip(x, axis=1)

    @composite(tensors=("x",))
    def flipud(self, x):
        """`x` reversed along axis 0 (rank >= 1)."""
        if self.ndim(x) < 1:
            raise ValueError("flipud: the input must be at least 1-D.")
        return self.flip(x, axis=0)

    @composite(tensors=("x",))
    def roll(self, x, shift, axis=None):
        """Elements shifted by `shift` (int, or a tuple matching a tuple
        `axis`) along `axis`, wrapping around; axis None rolls the flattened
        `x` and restores its shape."""
        shape = self.shape(x)
        if axis is None:
            flat = self.roll(self.reshape(x, (-1,)), int(np.sum(shift)), 0)
            return self.reshape(flat, shape)
        axes = self._axes_of(axis, len(shape), "roll")
        shifts = (shift,) * len(axes) if isinstance(shift, int) else tuple(shift)
        if len(shifts) != len(axes):
            raise ValueError(f"roll: {len(shifts)} shifts for {len(axes)} axes.")
        total = {}
        for a, s in zip(axes, shifts):
            total[a] = total.get(a, 0) + int(s)
        for a, s in total.items():
            n = shape[a]
            if n and s % n:
                x = self._host_gather(x, (np.arange(n) - s) % n, a)
        return x

    @composite(tensors=("array",))
    def rot90(self, array, k=1, axes=(0, 1)):
        """`array` rotated by 90 degrees `k` times in the plane of `axes`,
        from the first axis towards the second (as numpy.rot90)."""
        rank = self.ndim(array)
        if len(axes) != 2:
            raise ValueError(f"rot90: `axes` must name 2 axes; received {axes!r}.")
        a0, a1 = (_axis_index(a, rank, "rot90") for a in axes)
        if a0 == a1:
            raise ValueError(f"rot90: the two axes must differ; received {axes!r}.")
        k %= 4
        if k == 0:
            return self.copy(array)
        if k == 2:
            return self.flip(array, axis=(a0, a1))
        perm = list(range(rank))
        perm[a0], perm[a1] = perm[a1], perm[a0]
        if k == 1:
            return self.transpose(self.flip(array, axis=a1), perm)
        return self.flip(self.transpose(array, perm), axis=a1)

    @composite(tensors=("x",))
    def repeat(self, x, repeats, axis=None):
        """Each element repeated `repeats` times along `axis` (None: the
        flattened `x`); `repeats` an int or one count per element. Counts
        given as a tensor are read on the host (the output's shape depends
        on them)."""
        if axis is None:
            x, axis = self.reshape(x, (-1,)), 0
        axis = _axis_index(axis, self.ndim(x), "repeat")
        if self.is_tensor(repeats):
            repeats = self.to_numpy(repeats)
        n = self.shape(x)[axis]
        counts = np.asarray(repeats).astype(np.int64)
        if counts.ndim > 1 or counts.ndim == 1 and counts.size not in (1, n) \
                or (counts < 0).any():
            raise ValueError(f"repeat: `repeats` must be a non-negative int or {n} "
                             f"non-negative counts; received {repeats!r}.")
        return self._host_gather(x, np.repeat(np.arange(n), counts), axis)

    @composite(tensors=("x",))
    def swapaxes(self, x, axis1, axis2):
        """`x` with axes `axis1` and `axis2` exchanged."""
        rank = self.ndim(x)
        perm = list(range(rank))
        a, b = _axis_index(axis1, rank, "swapaxes"), _axis_index(axis2, rank, "swapaxes")
        perm[a], perm[b] = perm[b], perm[a]
        return self.transpose(x, perm)

    @composite(tensors=("x",))
    def moveaxis(self, x, source, destination):
        """`x` with the axes `source` (int or tuple) moved to `destination`;
        the others keep their order."""
        rank = self.ndim(x)
        source = self._axes_of(source, rank, "moveaxis")
        destination = self._axes_of(destination, rank, "moveaxis")
        if len(source) != len(destination):
            raise ValueError("moveaxis: `source` and `destination` must have the same "
                             f"number of axes; received {source} and {destination}.")
        order = [a for a in range(rank) if a not in source]
        for dest, src in sorted(zip(destination, source)):
            order.insert(dest, src)
        return self.transpose(x, order)

    @composite(tensors=("x",))
    def ravel(self, x):
        """`x` flattened to 1-D in row-major order."""
        return self.reshape(x, (-1,))

    @composite(tensors=("x",))
    def copy(self, x):
        """A new tensor with the values of `x` (never a view of it)."""
        shape = self.shape(x)
        # concatenate always writes a new buffer on every framework.
        return self.reshape(self.concatenate([self.reshape(x, (-1,))], axis=0), shape)

    @composite(tensors=("x",))
    def array(self, x, dtype=None):
        """`x` as a tensor, cast to `dtype` when given."""
        return x if dtype is None else self.cast(x, dtype)

    @composite(tensors=("x",))
    def size(self, x):
        """The number of elements of `x`, as an int32 0-d tensor."""
        return self.convert_to_tensor(int(np.prod(self.shape(x), dtype=np.int64)), "int32")

    # ------------------------------------------------------------------
    # Triangles and diagonals
    # ------------------------------------------------------------------
    def _triangle(self, x, k, lower):
        shape = self.shape(x)
        if len(shape) < 2:
            raise ValueError(f"{'tril' if lower else 'triu'}: the input must be at least "
                             f"2-D; received shape {shape}.")
        keep = np.tri(shape[-2], shape[-1], k, dtype=bool)
        if not lower:
            keep = ~np.tri(shape[-2], shape[-1], k - 1, dtype=bool)
        return self.where(self.convert_to_tensor(keep), x, self.zeros_like(x))

    @composite(tensors=("x",))
    def tril(self, x, k=0):
        """`x` with the elements above the `k`-th diagonal of its last two
        axes set to zero."""
        return self._triangle(x, k, True)

    @composite(tensors=("x",))
    def triu(self, x, k=0):
        """`x` with the elements below the `k`-th diagonal of its last two
        axes set to zero."""
        return self._triangle(x, k, False)

    @composite(tensors=("x",))
    def diagonal(self, x, offset=0, axis1=0, axis2=1):
        """The `offset`-th diagonal of the planes of `axis1` and `axis2`,
        as a new last axis (the other axes keep their order)."""
        rank = self.ndim(x)
        if rank < 2:
            raise ValueError(f"diagonal: the input must be at least 2-D; received shape "
                             f"{self.shape(x)}.")
        a1, a2 = _axis_index(axis1, rank, "diagonal"), _axis_index(axis2, rank, "diagonal")
        if a1 == a2:
            raise ValueError("diagonal: axis1 and axis2 must differ.")
        x = self.transpose(x, [a for a in range(rank) if a not in (a1, a2)] + [a1, a2])
        shape = self.shape(x)
        n1, n2 = shape[-2:]
        rows = np.arange(max(0, -offset), min(n1, n2 - offset))
        flat = self.reshape(x, shape[:-2] + (n1 * n2,))
        return self._host_gather(flat, rows * n2 + rows + offset, len(shape) - 2)

    @composite(tensors=("x",))
    def diag(self, x, k=0):
        """1-D `x`: a 2-D tensor with `x` on its `k`-th diagonal, zeros
        elsewhere. 2-D `x`: its `k`-th diagonal."""
        rank = self.ndim(x)
        if rank == 2:
            return self.diagonal(x, offset=k)
        if rank != 1:
            raise ValueError(f"diag: the input must be 1-D or 2-D; received shape "
                             f"{self.shape(x)}.")
        n = self.shape(x)[0]
        m = n + abs(k)
        rows, cols = np.indices((m, m))
        # Each cell of the k-th diagonal reads its element of `x` (by row
        # above the main diagonal, by column below); the others read a zero.
        source = cols if k < 0 else rows
        index = np.where(cols - rows == k, source, n)
        padded = self.concatenate([x, self.zeros((1,), self.dtype(x))], axis=0)
        return self._host_gather(padded, index, 0)

    @composite(tensors=("x",))
    def diagflat(self, x, k=0):
        """The flattened `x` on the `k`-th diagonal of a 2-D tensor."""
        return self.diag(self.reshape(x, (-1,)), k)

    @composite(tensors=("x",))
    def trace(self, x, offset=0, axis1=0, axis2=1):
        """Sum of the `offset`-th diagonal of the planes of `axis1` and
        `axis2`; bool sums as int32."""
        if self.dtype(x) == "bool":
            x = self.cast(x, "int32")
        return self.sum(self.diagonal(x, offset, axis1, axis2), axis=-1)

    # ------------------------------------------------------------------
    # Differences, joins and splits
    # ------------------------------------------------------------------
    @composite(tensors=("a",))
    def diff(self, a, n=1, axis=-1):
        """The `n`-th discrete difference along `axis`: out[i] = a[i + 1] -
        a[i], applied `n` times."""
        rank = self.ndim(a)
        axis = _axis_index(axis, rank, "diff")
        for _ in range(n):
            length = self.shape(a)[axis]
            if length == 0:
                break
            start = [0] * rank
            extent = [-1] * rank
            extent[axis] = length - 1
            head = self.slice(a, start, extent)
            start[axis] = 1
            tail = self.slice(a, start, extent)
            a = self.not_equal(tail, head) if self.dtype(a) == "bool" \
                else self.subtract(tail, head)
        return a

    @composite(tensors=("x1", "x2"), promote=True)
    def append(self, x1, x2, axis=None):
        """`x2` joined after `x1` along `axis` (None: both flattened)."""
        if axis is None:
            return self.concatenate([self.reshape(x1, (-1,)), self.reshape(x2, (-1,))], 0)
        return self.concatenate([x1, x2], axis=axis)

    def _at_least(self, x, rank):
        shape = self.shape(x)
        if len(shape) >= rank:
            return x
        if rank == 2:
            return self.reshape(x, (1,) * (2 - len(shape)) + shape)
        return self.reshape(x, {0: (1, 1, 1), 1: (1,) + shape + (1,),
                                2: shape + (1,)}[len(shape)])

    @composite(tensors=("xs",))
    def hstack(self, xs):
        """Tensors joined horizontally: along axis 0 when 1-D, else axis 1."""
        xs = [self.reshape(x, (1,)) if self.ndim(x) == 0 else x for x in xs]
        return self.concatenate(xs, axis=0 if self.ndim(xs[0]) == 1 else 1)

    @composite(tensors=("xs",))
    def vstack(self, xs):
        """Tensors joined vertically (axis 0), 1-D ones as rows."""
        return self.concatenate([self._at_least(x, 2) for x in xs], axis=0)

    @composite(tensors=("xs",))
    def dstack(self, xs):
        """Tensors joined depth-wise (axis 2) after making each at least
        3-D as numpy.atleast_3d."""
        return self.concatenate([self._at_least(x, 3) for x in xs], axis=2)

    @composite(tensors=("x",))
    def array_split(self, x, indices_or_sections, axis=0):
        """As `split`, but an int number of sections need not divide the
        axis: the first (length % sections) parts get one element more."""
        if not isinstance(indices_or_sections, (int, np.integer)):
            return self.split(x, list(indices_or_sections), axis=axis)
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"array_split: the number of sections must be positive; "
                             f"received {sections}.")
        length = self.shape(x)[axis]
        sizes = [length // sections + (i < length % sections) for i in range(sections)]
        return self.split(x, list(np.cumsum(sizes)[:-1]), axis=axis)

    def _split_on(self, x, indices_or_sections, axis, op, rank):
        if self.ndim(x) < rank:
            raise ValueError(f"{op}: the input must be at least {rank}-D; received shape "
                             f"{self.shape(x)}.")
        return self.split(x, indices_or_sections, axis=axis)

    @composite(tensors=("x",))
    def hsplit(self, x, indices_or_sections):
        """`split` along axis 1 (axis 0 for 1-D `x`)."""
        return self._split_on(x, indices_or_sections, 1 if self.ndim(x) > 1 else 0,
                              "hsplit", 1)

    @composite(tensors=("x",))
    def vsplit(self, x, indices_or_sections):
        """`split` along axis 0 of an at least 2-D `x`."""
        return self._split_on(x, indices_or_sections, 0, "vsplit", 2)

    @composite(tensors=("x",))
    def dsplit(self, x, indices_or_sections):
        """`split` along axis 2 of an at least 3-D `x`."""
        return self._split_on(x, indices_or_sections, 2, "dsplit", 3)

    @composite(tensors=("x",))
    def count_nonzero(self, x, axis=None):
        """Number (int32) of non-zero elements over `axis`."""
        return self.sum(self.cast(self.not_equal(x, 0), "int32"), axis=axis)

    # ------------------------------------------------------------------
    # Grids, bins and membership
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def meshgrid(self, *x, indexing="xy"):
        """Coordinate grids from 1-D tensors: a list of tensors of shape
        (len(x[1]), len(x[0]), ...) with "xy" indexing, (len(x[0]),
        len(x[1]), ...) with "ij"."""
        if indexing not in ("xy", "ij"):
            raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij'; received "
                             f"{indexing!r}.")
        sizes = [int(np.prod(self.shape(v), dtype=np.int64)) for v in x]
        shape = list(sizes)
        if indexing == "xy" and len(x) > 1:
            shape[0], shape[1] = shape[1], shape[0]
        grids = []
        for i, v in enumerate(x):
            place = i if indexing == "ij" or len(x) < 2 or i > 1 else 1 - i
            view = [1] * len(x)
            view[place] = -1
            grids.append(self.broadcast_to(self.reshape(v, tuple(view)), tuple(shape)))
        return grids

    @composite(tensors=("x",))
    def digitize(self, x, bins):
        """int32 index of the bin of each element: i such that
        bins[i - 1] <= x < bins[i], for increasing `bins` (a list of numbers
        or a 1-D tensor)."""
        if self.is_tensor(bins):
            bins = self.to_numpy(bins)
        edges = np.asarray(bins, dtype=np.float64).reshape(-1)
        if edges.size > 1 and (np.diff(edges) < 0).any():
            raise ValueError("digitize: `bins` must be increasing.")
        values = x if self.dtype(x) == "float64" else self.cast(x, "float64")
        below = self.less_equal(self.convert_to_tensor(edges), self.expand_dims(values, -1))
        return self.sum(self.cast(below, "int32"), axis=-1)

    @composite(tensors=("x1", "x2"), promote=True)
    def isin(self, x1, x2, assume_unique=False, invert=False):
        """Bool tensor of `x1`'s shape: whether each element of `x1` occurs
        in `x2` (negated with `invert`)."""
        flat = self.reshape(x2, (-1,))
        if self.shape(flat)[0] == 0:
            found = self.zeros(self.shape(x1), "bool")
        else:
            found = self.any(self.equal(self.expand_dims(x1, -1), flat), axis=-1)
        return self.logical_not(found) if invert else found

    @composite(tensors=("condlist", "choicelist", "default"))
    def select(self, condlist, choicelist, default=0):
        """Elements from the choice of the first true condition, else
        `default` (numpy.select)."""
        if len(condlist) != len(choicelist) or not condlist:
            raise ValueError("select: `condlist` and `choicelist` must be non-empty lists "
                             f"of the same length; received {len(condlist)} and "
                             f"{len(choicelist)}.")
        shape = np.broadcast_shapes(*[self.shape(c) for c in list(condlist) + list(choicelist)])
        dtype = self.dtype(choicelist[0])
        if self.is_tensor(default):
            out = self.broadcast_to(self.cast(default, dtype), shape)
        else:
            out = self.full(shape, default, dtype)
        for cond, choice in zip(reversed(condlist), reversed(choicelist)):
            out = self.where(cond, choice, out)
        return out
