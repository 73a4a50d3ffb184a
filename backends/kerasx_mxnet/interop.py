"""MXNet interop: kerasx variables are `mx.np.ndarray`s, layers offer
Gluon's `collect_params()` for a `gluon.Trainer`.

MXNet's operators raise on an operand that is not an ndarray (they never
return NotImplemented), so a variable usable wherever MXNet takes a tensor
(`x @ v`, `np.matmul(x, v)`, `np.sum(v)`) must be an ndarray. `VariableArray`
(the base the front end gives every Variable under this backend) is one
whose handle is a *shallow copy* of the native variable's: MXNet's C++ NDArray
copy, which shares the storage and the autograd entry, so reads, in-place
writes and gradients are the native variable's. Re-attaching a gradient
buffer (`value_and_grad` does each step) gives the native array a new
autograd entry; `refresh` re-copies the handles of its views.

`GluonLayer` (the base of every layer) adds Gluon's `collect_params()`: a
dict of `gluon.Parameter`s whose data and gradient are the variables' native
arrays, so `gluon.Trainer(model.collect_params(), "sgd", ...)` updates the
model's weights in place after `autograd.record()` / `backward()`.
"""
import ctypes
import weakref

import mxnet as mx
from mxnet import gluon
from mxnet.base import NDArrayHandle, _LIB, check_call

# Called with no argument before MXNet reads a view's handle; the hybrid
# tracer installs one that raises during a trace (see VariableArray.handle).
_handle_read_check = None


def check_handle_reads(check):
    """Install `check()`, run before MXNet reads a VariableArray's handle."""
    global _handle_read_check
    _handle_read_check = check


def _views(native):
    """The VariableArray views of a native array (a WeakSet kept on it)."""
    views = native.__dict__.get("_kerasx_views")
    if views is None:
        views = native.__dict__["_kerasx_views"] = weakref.WeakSet()
    return views


class VariableArray(mx.np.ndarray):
    """ndarray side of a kerasx Variable (see the module docstring)."""

    # A Variable keeps plain-object semantics for ==, hashing and truth
    # (an ndarray compares element-wise and refuses bool()).
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __bool__(self):
        return True

    @property
    def handle(self):
        # Every MXNet function reads its operands' handles. During a trace,
        # a function called directly on a variable (`mx.np.sum(self.w)` in a
        # user's layer) would compute a constant that the compiled step then
        # reuses with stale weights; the check stops the trace instead.
        if _handle_read_check is not None:
            _handle_read_check()
        return self.__dict__.get("_handle")

    @handle.setter
    def handle(self, value):
        self.__dict__["_handle"] = value

    def __del__(self):
        handle = self.__dict__.get("_handle")
        if handle is not None:
            check_call(_LIB.MXNDArrayFree(handle))

    def __init__(self):
        self.handle = None  # set with the native array (below)
        self.writable = True

    @property
    def _native(self):
        return self.__dict__["_native_array"]

    @_native.setter
    def _native(self, native):
        old = self.__dict__.get("_native_array")
        if old is not None:
            _views(old).discard(self)
        self.__dict__["_native_array"] = native
        _views(native).add(self)
        self._share(native)

    # Pickling and deepcopy keep the kerasx fields and the native array (not
    # the handle, which is this object's own shallow copy).
    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_handle", None)
        return state

    def __setstate__(self, state):
        state = dict(state)
        native = state.pop("_native_array")
        self.__dict__.update(state)
        self.__dict__["_handle"] = None
        self._native = native

    def _share(self, native):
        handle = NDArrayHandle()
        check_call(_LIB.MXShallowCopyNDArray(native.handle, ctypes.byref(handle)))
        old, self.handle = self.__dict__.get("_handle"), handle
        if old is not None:
            check_call(_LIB.MXNDArrayFree(old))


def native_of(x):
    """The native array behind a VariableArray view (else `x`)."""
    return x.__dict__["_native_array"] if isinstance(x, VariableArray) else x


def refresh(natives):
    """Re-share the handles of the views of `natives` (after attach_grad)."""
    for native in natives:
        views = native.__dict__.get("_kerasx_views")
        if views:
            for view in list(views):
                view._share(native)


class _VariableParameter(gluon.Parameter):
    """A gluon.Parameter whose data and gradient are a kerasx variable's
    native array (read when Gluon asks, so they follow the variable)."""

    def __init__(self, variable):
        native = variable._native
        super().__init__(variable.path, grad_req="write" if native.grad is not None else "null",
                         shape=native.shape, dtype=native.dtype)
        self.__dict__["_variable"] = variable

    def _array(self):
        variable = self.__dict__.get("_variable")
        return None if variable is None else variable._native

    @property
    def _data(self):
        native = self._array()
        return None if native is None else [native]

    @_data.setter
    def _data(self, value):
        pass  # the variable is the truth

    @property
    def _grad(self):
        native = self._array()
        return None if native is None or native.grad is None else [native.grad]

    @_grad.setter
    def _grad(self, value):
        pass

    @property
    def _ctx_list(self):
        native = self._array()
        return None if native is None else [native.ctx]

    @_ctx_list.setter
    def _ctx_list(self, value):
        pass

    def _check_and_get(self, arr_list, ctx):
        if arr_list is None:
            raise RuntimeError(f"Parameter {self.name!r} has no gradient (its variable "
                               "is not trainable).")
        return list(arr_list) if ctx is list else arr_list[0]


class GluonLayer:
    """Gluon side of a kerasx layer (see the module docstring)."""

    def __init__(self):
        pass

    def collect_params(self, select=None):
        """{variable path: gluon.Parameter} of the layer's weights (all
        nested layers'), for a gluon.Trainer; `select` is a regular
        expression on the paths, as Gluon's."""
        import re
        out = {}
        for variable in self.weights:
            if select is not None and not re.match(select, variable.path):
                continue
            parameter = variable.__dict__.get("_gluon_parameter")
            if parameter is None or parameter._array() is not variable._native:
                parameter = variable.__dict__["_gluon_parameter"] = _VariableParameter(variable)
            out[variable.path] = parameter
        return out
