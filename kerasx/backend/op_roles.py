"""How a contract member declares its role: the decorators `primitive`,
`composite`, `kernel` and `hook`, and `OpRole`, what they record.

The contract (kerasx/backend/contract.py) and its family modules
(kerasx/backend/contract_<family>.py) declare their operations with these.
"""
import dataclasses
import functools
import inspect

from kerasx.backend.errors import UnsupportedOperationError


@dataclasses.dataclass(frozen=True)
class OpRole:
    """What the front end, the tracers and the documentation know of one
    contract member, declared once on its decorator (`fn.__kerasx_role__`).

    Attributes:
        kind: "primitive", "composite" or "hook".
        tensors: names of the parameters holding tensors the operation reads
            (a list parameter such as `xs` holds a list of them). `kerasx.ops`
            converts what Keras accepts there (arrays, scalars, lists,
            Variables) to native tensors, and tracers trace them. Parameters
            not named pass through untouched: Python values, functions, and
            what is only inspected, never read (the shape of `shape(x)`).
            None when the declaration omits it, which the architecture test
            refuses for an operation.
        promote: the tensor operands are cast to one dtype first
            (`kerasx.ops.dispatch.result_type`); the contract itself never
            promotes.
        public: a Keras 3 `keras.ops` function, hence one of `kerasx.ops`.
            False for backend-internal operations, which the front end
            reaches through `kerasx.backend.get_ops()`.
        variables: parameters taking native variables themselves, read or
            written in place by identity: never converted nor traced.
        namespace: the `keras.ops` submodule a public operation lives in
            when it is not at the top of `keras.ops` ("image" for
            `keras.ops.image.resize`); "" for the top level.
    """

    kind: str
    tensors: tuple = None
    promote: bool = False
    public: bool = True
    variables: tuple = ()
    namespace: str = ""


def _names(value):
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def _declare(kind, fn, declared, tensors, promote, public, variables, namespace=""):
    """Attach the role to `declared` (the function that goes in the class),
    after checking the names it gives against `fn`'s parameters."""
    role = OpRole(kind, _names(tensors), bool(promote), bool(public), _names(variables),
                  namespace)
    params = list(inspect.signature(fn).parameters)[1:]
    unknown = [n for n in (role.tensors or ()) + role.variables if n not in params]
    if unknown:
        raise TypeError(f"Contract op {fn.__name__!r} declares {unknown} as tensor or "
                        f"variable arguments, but its parameters are {params}.")
    if role.promote and len(role.tensors or ()) < 2:
        raise TypeError(f"Contract op {fn.__name__!r} declares promote=True with fewer "
                        "than two tensor arguments: there is nothing to promote.")
    declared.__kerasx_role__ = role
    return declared


def primitive(fn=None, *, tensors=None, promote=False, public=True, variables=(),
              namespace=""):
    """Declare a primitive: each plugin implements it natively. Usable bare
    (`@primitive`) or with the op's role (`@primitive(tensors=("x",))`; see
    OpRole for the arguments).

    The declared body is replaced by one that raises UnsupportedOperationError
    naming the op and the backend, so a plugin that lacks it fails clearly.

    Raises:
        TypeError: a name in `tensors` or `variables` is not a parameter.
    """
    def declare(fn):
        @functools.wraps(fn)
        def missing(self, *args, **kwargs):
            raise UnsupportedOperationError(fn.__name__, self.name)

        return _declare("primitive", fn, missing, tensors, promote, public, variables,
                        namespace)

    return declare if fn is None else declare(fn)


def composite(fn=None, *, tensors=None, promote=False, public=True, variables=(),
              namespace=""):
    """Declare a composite: written once here from primitives; overridable.
    Arguments as `primitive`."""
    def declare(fn):
        return _declare("composite", fn, fn, tensors, promote, public, variables, namespace)

    return declare if fn is None else declare(fn)


def kernel(op, *, tensors):
    """Declare the native kernel of the public operation `op`: a primitive
    (each plugin implements it natively) that `op` calls after checking and
    resolving its arguments once for every backend, so that a plugin never
    re-checks them. Kernels are internal: named `_<op>_kernel`, not in
    `kerasx.ops`; a plugin that lacks one fails naming `op`."""

    def declare(fn):
        @functools.wraps(fn)
        def missing(self, *args, **kwargs):
            raise UnsupportedOperationError(op, self.name)

        missing.__kerasx_kernel_of__ = op
        return _declare("primitive", fn, missing, tensors, False, False, ())

    return declare


def hook(fn):
    """Declare a hook: not an operation on tensors (so not in `kerasx.ops`
    nor in the op conformance), but how the plugin presents kerasx objects
    natively; the declared body is the default, overridable."""
    return _declare("hook", fn, fn, (), False, False, ())
