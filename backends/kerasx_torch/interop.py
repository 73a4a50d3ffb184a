"""PyTorch interop: kerasx layers are torch.nn.Modules, variables are
nn.Parameters usable wherever torch takes a tensor.

`LayerModule` is the base the front end gives every layer made under this
backend (`TorchBackend.layer_base`). Unlike Keras 3's torch backend, it does
not route attribute assignment through nn.Module.__setattr__ (that cost is a
large part of Keras 3's per-call overhead): attributes stay plain, and the
module's `_parameters` and `_modules` are properties computed from the layer's
own variables and sublayers when torch asks for them (parameters(),
state_dict(), load_state_dict(), to(), train()/eval(), named_modules()).
Writes torch makes through them (load_state_dict copies in place; `.to()`
may replace a parameter) land in the kerasx variables.
"""
import collections

import torch

from kerasx import tree
from kerasx.backend.native_types import unique_key
from kerasx.backend.state import STATE

_Module = torch.nn.Module


class _ParameterView(dict):
    """layer._parameters: {variable name: nn.Parameter}; assigning an item
    (nn.Module._apply does when `.to()` makes a new tensor) rebinds the kerasx
    variable to it."""

    def __init__(self, items, variables):
        super().__init__(items)
        self._variables = variables

    def __setitem__(self, key, value):
        variable = self._variables.get(key)
        if variable is not None and value is not None:
            variable._native = value
        super().__setitem__(key, value)


def _own_variables(layer):
    d = layer.__dict__
    variables = d.get("_trainable_variables", []) + d.get("_non_trainable_variables", [])
    hidden = set()
    for module in d.get("_native_modules", {}).values():
        # A wrapped torch module shows its parameters under its own name.
        hidden.update(id(p) for p in module.parameters())
    return [v for v in variables if id(v._native) not in hidden]


class _Lazy:
    """A per-instance value made on first read and then kept in the
    instance's __dict__ (a non-data descriptor, so writes go there too)."""

    def __init__(self, factory):
        self.factory = factory

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.factory()
        return value


class LayerModule(_Module):
    """torch.nn.Module side of a kerasx layer (see the module docstring).

    nn.Module.__init__ would put 15 hook and buffer containers in every
    layer's __dict__; they are made on first use instead, so a layer's
    attributes stay its own (the front end scans them, e.g. for metrics).
    """

    training = True
    _is_full_backward_hook = None
    _buffers = _Lazy(dict)
    _non_persistent_buffers_set = _Lazy(set)
    _backward_pre_hooks = _Lazy(collections.OrderedDict)
    _backward_hooks = _Lazy(collections.OrderedDict)
    _forward_hooks = _Lazy(collections.OrderedDict)
    _forward_hooks_with_kwargs = _Lazy(collections.OrderedDict)
    _forward_hooks_always_called = _Lazy(collections.OrderedDict)
    _forward_pre_hooks = _Lazy(collections.OrderedDict)
    _forward_pre_hooks_with_kwargs = _Lazy(collections.OrderedDict)
    _state_dict_hooks = _Lazy(collections.OrderedDict)
    _state_dict_pre_hooks = _Lazy(collections.OrderedDict)
    _load_state_dict_pre_hooks = _Lazy(collections.OrderedDict)
    _load_state_dict_post_hooks = _Lazy(collections.OrderedDict)

    def __init__(self):
        pass  # see the class docstring

    def register_buffer(self, name, tensor, persistent=True):
        """As nn.Module's (which checks that its containers exist)."""
        self._buffers  # made on first use  # noqa: B018
        self._non_persistent_buffers_set  # noqa: B018
        return _Module.register_buffer(self, name, tensor, persistent)

    def register_parameter(self, name, param):
        """Not supported: a kerasx layer's parameters are its variables.

        Raises:
            TypeError: always; create weights with `add_weight`, or wrap a
                torch module (`TorchModuleWrapper`) to use its parameters.
        """
        raise TypeError(
            f"register_parameter({name!r}) on kerasx layer '{self.name}': a kerasx "
            "layer's parameters are its variables; create them with add_weight(), "
            "or wrap a torch.nn.Module with keras.layers.TorchModuleWrapper.")

    @property
    def _parameters(self):
        keys, variables = {}, {}
        for variable in _own_variables(self):
            key = unique_key(variable.name.replace(".", "_"), keys)
            keys[key] = variable._native
            variables[key] = variable
        return _ParameterView(keys, variables)

    @_parameters.setter
    def _parameters(self, value):
        # nn.Module.__init__ assigns an empty dict: the variables are the truth.
        pass

    @property
    def _modules(self):
        d = self.__dict__
        modules = {}
        for layer in d.get("_layers", []):
            if isinstance(layer, _Module):
                modules[unique_key(layer.name.replace(".", "_"), modules)] = layer
        for key, module in d.get("_native_modules", {}).items():
            modules[unique_key(key, modules)] = module
        return modules

    @_modules.setter
    def _modules(self, value):
        pass

    def __getattr__(self, name):
        # nn.Module.__getattr__ searches _parameters/_modules, which are
        # computed here: a missing attribute stays a cheap AttributeError.
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _apply(self, fn, recurse=True):
        # .to(dtype) / .double() / .half() convert the parameters; the layers
        # then compute in that dtype (Keras 3's torch layers compute with
        # whatever dtype their parameters have).
        out = _Module._apply(self, fn, recurse)
        floats = {v.dtype for v in self.weights if v.dtype.startswith("float")}
        if len(floats) == 1:
            dtype = floats.pop()
            stack = [self]
            while stack:
                layer = stack.pop()
                if "_dtype" in layer.__dict__:
                    layer._dtype = dtype
                stack.extend(layer.__dict__.get("_layers", []))
        return out

    def forward(self, *args, **kwargs):
        """torch's entry point: the kerasx call (what `layer(...)` runs)."""
        return self.__call__(*args, **kwargs)


def _native_of(x):
    native = getattr(x, "_native", None)
    if native is not None and isinstance(native, torch.Tensor) and hasattr(x, "assign"):
        # Inside a StatelessScope, the value the scope gives it.
        return native if STATE.stateless_scope is None else x.value
    return x


def _unwrap(structure):
    """`structure` with every kerasx Variable replaced by its nn.Parameter."""
    return tree.map_structure(_native_of, structure)


class VariableTensor:
    """torch side of a kerasx Variable: torch functions and operators given a
    Variable (`torch.matmul(x, v)`, `x @ v`, `torch.sum(v)`) see its
    nn.Parameter, as Keras 3's torch variables do."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func(*_unwrap(args), **_unwrap(kwargs or {}))


def module_variables(module):
    """[(name, parameter, trainable)] of an nn.Module (None for anything else);
    parameters stay the module's own."""
    if not isinstance(module, _Module):
        return None
    return [(name, p, p.requires_grad) for name, p in module.named_parameters()]
