"""The control family of the contract: conditionals and maps over tensors
(`keras.ops` cond, switch, map, vectorized_map, associative_scan).

The composites decide a condition on the host, which is exact eagerly; a
plugin whose compiled steps cannot read values back overrides `cond` and
`switch` with its framework's conditional (tf.cond, tf.switch_case). `map`
and `vectorized_map` are a `scan`, so native wherever `scan` is;
`associative_scan` calls `f` log2(n) times on whole slices (the parallel
prefix algorithm), so a compiled step holds a few calls of `f`, whatever n.
"""
import re

import numpy as np

from kerasx import tree
from kerasx.backend.op_roles import composite, primitive


class ControlContract:
    """Mixin of `Backend`: the control family (see the module's docstring)."""

    @primitive(tensors=())
    def custom_gradient(self, f):
        """`f` with its own gradient, as keras.ops.custom_gradient: `f(*args)`
        (tensors) returns `(output, grad_fn)`; the result `h(*args)` returns
        `output`, whose gradient with respect to `args` is what `grad_fn`
        returns (a tensor, or a tuple with one per argument) given the
        gradient `upstream` of the (single tensor) output. The frameworks call
        `grad_fn` as Keras's backends do: TensorFlow `grad_fn(upstream)`,
        the others `grad_fn(*args, upstream=upstream)`; write
        `grad_fn(*args, upstream=None)` to accept both. An MXNet compiled
        step holding it runs eagerly."""

    def _host_bool(self, pred):
        return bool(self.to_numpy(pred)) if self.is_tensor(pred) else bool(pred)

    @composite(tensors=("pred",))
    def cond(self, pred, true_fn, false_fn):
        """`true_fn()` if the scalar `pred` holds, else `false_fn()`. Both
        must return the same structure of tensors (shapes and dtypes) where
        a compiled step runs both."""
        return true_fn() if self._host_bool(pred) else false_fn()

    @composite(tensors=("index",))
    def switch(self, index, branches, *operands):
        """`branches[index](*operands)`, `index` clamped to the branches'
        range (as Keras)."""
        if not branches:
            raise ValueError("switch: `branches` must hold at least one function.")
        i = int(self.to_numpy(index)) if self.is_tensor(index) else int(index)
        return branches[min(max(i, 0), len(branches) - 1)](*operands)

    @composite(tensors=("xs",))
    def map(self, f, xs):
        """`f` applied to each slice of `xs` (a structure of tensors) along
        its leading axis; the results stacked along a new leading axis."""
        if not callable(f):
            raise TypeError(f"map: `f` should be a callable. Received: f={f!r}")

        def step(carry, x):
            return carry, f(x)

        return self.scan(step, self.zeros((), "int32"), xs)[1]

    @composite(tensors=("elements",))
    def vectorized_map(self, function, elements):
        """`function` applied to each slice of `elements` along the leading
        axis, results stacked: `map` (the frameworks' vectorisers trace
        `function` in ways whose numbers can differ)."""
        return self.map(function, elements)

    @composite(tensors=())
    def vectorize(self, pyfunc, *, excluded=None, signature=None):
        """`pyfunc` made to broadcast over its positional tensor arguments,
        as numpy.vectorize: it is called on their elements (or, with a
        `signature` such as "(n),(n)->()", on their core dimensions) and the
        results are stacked in the broadcast shape of the loop dimensions, a
        `map` over them. `excluded` names positions passed through as they
        are; keyword arguments are passed through too."""
        excluded = set(excluded or ())
        cores, out_cores = _parse_signature(signature) if signature else (None, None)

        def call(*args, **kwargs):
            looped = [i for i in range(len(args)) if i not in excluded]
            tensors = {i: args[i] if self.is_tensor(args[i]) else
                       self.convert_to_tensor(args[i]) for i in looped}
            if cores is not None and len(cores) != len(looped):
                raise ValueError(f"vectorize: the signature {signature!r} names "
                                 f"{len(cores)} inputs; received {len(looped)}.")
            core_ranks = {i: len(cores[j]) if cores else 0 for j, i in enumerate(looped)}
            loops = {i: self.shape(t)[:self.ndim(t) - core_ranks[i]] for i, t in tensors.items()}
            loop_shape = tuple(np.broadcast_shapes(*loops.values())) if loops else ()
            if not loop_shape:
                return pyfunc(*[tensors.get(i, a) for i, a in enumerate(args)], **kwargs)
            size = int(np.prod(loop_shape))
            flat = {}
            for i, t in tensors.items():
                core = self.shape(t)[self.ndim(t) - core_ranks[i]:]
                flat[i] = self.reshape(self.broadcast_to(t, loop_shape + core), (size,) + core)

            def one(slices):
                full = [slices[str(i)] if i in flat else a for i, a in enumerate(args)]
                return pyfunc(*full, **kwargs)

            out = self.map(one, {str(i): t for i, t in flat.items()})
            return tree.map_structure(
                lambda y: self.reshape(y, loop_shape + self.shape(y)[1:]), out)

        return call

    @composite(tensors=("elems",))
    def associative_scan(self, f, elems, reverse=False, axis=0):
        """Inclusive scan of the associative `f` along `axis` of `elems` (a
        structure of tensors of one length there): out[i] = f(out[i - 1],
        elems[i]) (reverse: out[i] = f(out[i + 1], elems[i])). `f` takes
        and returns structures like `elems`, batched along `axis`. Computed
        in log2(n) rounds (Hillis-Steele), so results may differ from a
        sequential scan by rounding."""
        leaves = tree.flatten(elems)
        if not leaves:
            raise ValueError("associative_scan: `elems` holds no tensor.")
        rank = self.ndim(leaves[0])
        axis %= rank
        n = self.shape(leaves[0])[axis]
        if any(self.shape(x)[axis] != n for x in leaves):
            raise ValueError("associative_scan: the leaves of `elems` must have the same "
                             f"length along axis {axis}.")

        def part(x, start, length):
            begin = [0] * self.ndim(x)
            extent = [-1] * self.ndim(x)
            begin[axis], extent[axis] = start, length
            return self.slice(x, begin, extent)

        if reverse:
            leaves = [self.flip(x, axis=axis) for x in leaves]
        step = 1
        while step < n:
            earlier = tree.pack_sequence_as(elems, [part(x, 0, n - step) for x in leaves])
            later = tree.pack_sequence_as(elems, [part(x, step, n - step) for x in leaves])
            combined = tree.flatten(f(earlier, later))
            leaves = [self.concatenate([part(x, 0, step), c], axis=axis)
                      for x, c in zip(leaves, combined)]
            step *= 2
        if reverse:
            leaves = [self.flip(x, axis=axis) for x in leaves]
        return tree.pack_sequence_as(elems, leaves)


def _parse_signature(signature):
    """([core dims of each input], [core dims of each output]) of a
    numpy.vectorize signature such as "(m,n),(n)->(m)"."""
    match = re.fullmatch(r"\s*(.*?)\s*->\s*(.*?)\s*", signature)
    if not match:
        raise ValueError(f"vectorize: not a signature: {signature!r} (e.g. '(n),(n)->()').")

    def groups(text):
        return [tuple(d.strip() for d in g.split(",") if d.strip())
                for g in re.findall(r"\(([^)]*)\)", text)]

    return groups(match.group(1)), groups(match.group(2))
