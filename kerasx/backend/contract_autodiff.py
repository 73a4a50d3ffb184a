"""The autodiff family of the contract: forward-mode differentiation
(`keras.ops.jvp`).

The composite builds the Jacobian-vector product from reverse mode, one
backward pass per output element, because reverse mode is all the contract's
`value_and_grad` offers and MXNet cannot differentiate its own backward pass
(its second-order gradients come back as zeros or errors for tanh, dot,
softmax...). It is exact but costs as many passes as `fun` has output
elements; a plugin whose framework has forward mode (tf.autodiff, torch.func)
overrides it.
"""
from kerasx import tree
from kerasx.backend.op_roles import composite


class AutodiffContract:
    """Mixin of `Backend`: the autodiff family (see the module's docstring)."""

    def _jvp_arguments(self, primals, tangents):
        """(primals, flat primals, flat tangents cast to their dtypes), checked."""
        if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
            raise TypeError("jvp: `primals` and `tangents` must be tuples or lists, one "
                            f"entry per argument of `fun`. Received: primals={primals!r}, "
                            f"tangents={tangents!r}")
        primals = tuple(primals)
        flat_p = [self.convert_to_tensor(p) for p in tree.flatten(primals)]
        flat_t = tree.flatten(tuple(tangents))
        if len(flat_p) != len(flat_t):
            raise ValueError(f"jvp: `tangents` must have the structure of `primals`; got "
                             f"{len(flat_t)} tangent(s) for {len(flat_p)} primal(s).")
        cast = []
        for p, t in zip(flat_p, flat_t):
            t = self.convert_to_tensor(t, self.dtype(p))
            if tuple(self.shape(t)) != tuple(self.shape(p)):
                raise ValueError(f"jvp: each tangent must have its primal's shape; got "
                                 f"{tuple(self.shape(t))} for {tuple(self.shape(p))}.")
            cast.append(t)
        return primals, flat_p, cast

    @composite(tensors=())
    def jvp(self, fun, primals, tangents, has_aux=False):
        """The Jacobian-vector product of `fun` at `primals` along `tangents`
        (forward-mode differentiation), as keras.ops.jvp: returns
        `(fun(*primals), J @ tangents)` (the second with the structure of the
        first), and `aux` third when `has_aux` (then `fun` returns
        `(output, aux)`). Tangents are cast to their primals' dtypes.

        Raises:
            TypeError: `primals` or `tangents` is not a tuple or list.
            ValueError: their structures or shapes differ.
        """
        primals, flat_p, flat_t = self._jvp_arguments(primals, tangents)
        variables = [self.variable(p) for p in flat_p]

        def call():
            args = tree.pack_sequence_as(primals,
                                         [self.variable_value(v) for v in variables])
            result = fun(*args)
            return result if has_aux else (result, None)

        out, aux = call()
        flat_out = tree.flatten(out)
        tangents_out = []
        for k, o in enumerate(flat_out):
            o = self.convert_to_tensor(o)
            if "float" not in self.dtype(o):  # no derivative: zero tangents
                tangents_out.append(self.zeros_like(o))
                continue
            rows = []
            for i in range(int(self.size(o))):
                def element(k=k, i=i):
                    value = self.convert_to_tensor(tree.flatten(call()[0])[k])
                    return self.reshape(value, (-1,))[i]
                _, grads = self.value_and_grad(element, variables)
                total = self.zeros((), self.dtype(o))
                for g, t in zip(grads, flat_t):
                    total = self.add(total, self.sum(self.multiply(
                        self.cast(g, self.dtype(o)), self.cast(t, self.dtype(o)))))
                rows.append(total)
            tangents_out.append(self.reshape(self.stack(rows), self.shape(o))
                                if rows else self.zeros_like(o))
        tangents_out = tree.pack_sequence_as(out, tangents_out)
        return (out, tangents_out, aux) if has_aux else (out, tangents_out)
