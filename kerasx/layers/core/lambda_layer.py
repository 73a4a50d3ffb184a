"""Lambda (wraps a Python function as a layer) and SymbolicOp (the layer
behind arithmetic on symbolic KerasTensors, e.g. `x + 1`)."""
import base64
import builtins
import inspect
import marshal
import types

import numpy as np

from kerasx.backend import get_ops
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.layer import Layer
from kerasx.saving.registry import get_registered_name, get_registered_object

_SAFE_MODE_MESSAGE = (
    "Requested the deserialization of a `Lambda` layer whose `{what}` is a Python "
    "lambda, stored as bytecode. Loading it would run arbitrary code from the "
    "file, so it is disallowed by default (safe_mode=True). If you trust the "
    "source of the artifact, pass `safe_mode=False` to the loading function "
    "(Lambda.from_config(config, safe_mode=False)); otherwise define the function "
    "in your code and pass it via `custom_objects`.")


def _is_python_lambda(fn):
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _serialize_function(fn):
    """Keras's formats: a lambda as {"class_name": "__lambda__", ...} with its
    base64 marshalled bytecode; a named function as a reference by name."""
    if _is_python_lambda(fn):
        code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
        closure = (tuple(c.cell_contents for c in fn.__closure__)
                   if fn.__closure__ else None)
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}
    if callable(fn):
        name = getattr(fn, "__name__", None)
        if name is None:
            raise ValueError(f"Cannot serialize the Lambda function {fn!r}: it has no "
                             "__name__.")
        return {"module": getattr(fn, "__module__", None), "class_name": "function",
                "config": name, "registered_name": get_registered_name(fn)
                if hasattr(fn, "_registered_name") else "function"}
    raise ValueError("Invalid input type for serialization. "
                     f"Received: {fn!r} of type {type(fn).__name__}.")


def _load_lambda(inner):
    """Rebuild a function from Keras's __lambda__ config (unsafe: runs code)."""
    import kerasx
    from kerasx import activations, ops

    code = marshal.loads(base64.decodebytes(inner["code"].encode("ascii")))
    closure = inner.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    defaults = inner.get("defaults")
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    namespace = {"__builtins__": builtins, "keras": kerasx, "kerasx": kerasx,
                 "ops": ops, "activations": activations, "np": np}
    return types.FunctionType(code, namespace, code.co_name, defaults, closure)


def _resolve_function(value, custom_objects, safe_mode, what):
    """A callable from a serialized function, without importing any module
    named in the config."""
    if callable(value):
        return value
    if isinstance(value, dict) and value.get("class_name") == "__lambda__":
        from kerasx.saving.registry import effective_safe_mode
        if effective_safe_mode(safe_mode) is not False:
            raise ValueError(_SAFE_MODE_MESSAGE.format(what=what))
        return _load_lambda(value["config"])
    if isinstance(value, dict) and value.get("class_name") == "function":
        name, registered = value.get("config"), value.get("registered_name")
    elif isinstance(value, str):
        name, registered = value, None
    else:
        raise ValueError(f"Cannot deserialize the Lambda `{what}` from {value!r}.")
    for key in (registered, name):
        if key and key != "function":
            found = get_registered_object(key, custom_objects)
            if found is not None:
                return found
    from kerasx import activations, ops

    module = (value.get("module") or "") if isinstance(value, dict) else ""
    if not module or module.split(".")[0] in ("keras", "kerasx"):
        for namespace in (activations, ops):
            found = getattr(namespace, name, None)
            if callable(found):
                return found
    raise ValueError(f"Could not deserialize the Lambda `{what}` {name!r} (module "
                     f"{module!r}): kerasx never imports modules named in a config. "
                     "Pass it in `custom_objects` or register it with "
                     "kerasx.saving.register_keras_serializable.")


class Lambda(Layer):
    """Wraps `function(inputs, **arguments)` as a layer, as keras.layers.Lambda.

    Args:
        function: a callable taking the input (tensor or list of tensors);
            it may also take `mask` and `training` keyword arguments.
        output_shape: the output shape without the batch axis (tuple, or a
            structure of them), or a callable mapping the input shape to the
            output shape. Default: found by running the function on zeros.
        mask: a mask tensor or a callable (inputs, mask) -> mask.
        arguments: dict of extra keyword arguments for `function`.

    get_config stores a Python lambda as Keras does (its bytecode); from_config
    refuses to load bytecode unless `safe_mode=False` is passed.

    Raises:
        ValueError: when `function` is not callable or `arguments` is not a dict.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None,
                 **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError("Lambda expects a callable `function`. Received: "
                             f"function={function!r} of type {type(function).__name__}")
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError("Lambda `arguments` must be a dict of keyword arguments. "
                             f"Received: arguments={arguments!r}")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        self._fn_expects_training_arg = "training" in params
        self._fn_expects_mask_arg = "mask" in params
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            try:
                return super().compute_output_shape(input_shape)
            except Exception as exc:
                raise NotImplementedError(
                    "Could not infer the shape of the Lambda's output by running its "
                    f"function on zeros of shape {input_shape} ({type(exc).__name__}: "
                    f"{exc}). Please specify the `output_shape` argument for this "
                    "Lambda layer.") from exc
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = tree.flatten(input_shape)[0] if input_shape else None
        return tree.map_shape_structure(lambda s: (batch,) + tuple(s),
                                        _as_shape_structure(self._output_shape))

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        cfg = {"function": _serialize_function(self.function)}
        if self._output_shape is not None:
            cfg["output_shape"] = (_serialize_function(self._output_shape)
                                   if callable(self._output_shape)
                                   else _shape_to_json(self._output_shape))
        if self.mask is not None:
            cfg["mask"] = (_serialize_function(self.mask) if callable(self.mask)
                           else get_ops().to_numpy(self.mask).tolist())
        cfg["arguments"] = self.arguments
        return {**super().get_config(), **cfg}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """A Lambda from get_config's output.

        Raises:
            ValueError: when the function is stored as bytecode and safe_mode
                is not False, or a named function cannot be resolved.
        """
        config = dict(config)
        config["function"] = _resolve_function(config["function"], custom_objects,
                                               safe_mode, "function")
        shape = config.get("output_shape")
        if isinstance(shape, dict) or isinstance(shape, str):
            config["output_shape"] = _resolve_function(shape, custom_objects, safe_mode,
                                                       "output_shape")
        elif shape is not None:
            config["output_shape"] = _as_shape_structure(shape)
        mask = config.get("mask")
        if isinstance(mask, dict):
            config["mask"] = _resolve_function(mask, custom_objects, safe_mode, "mask")
        return super().from_config(config)


def _as_shape_structure(shape):
    """Lists of ints (as JSON gives them back) become tuples."""
    if isinstance(shape, (list, tuple)) and all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape):
        return tuple(shape)
    if isinstance(shape, (list, tuple)):
        return type(shape)(_as_shape_structure(s) for s in shape)
    if isinstance(shape, dict):
        return {k: _as_shape_structure(v) for k, v in shape.items()}
    if isinstance(shape, int):
        return (shape,)
    raise ValueError(f"Invalid Lambda output_shape {shape!r}: expected a tuple of ints "
                     "(without the batch axis), a structure of them, or a callable.")


def _shape_to_json(shape):
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return list(shape)
    if isinstance(shape, (list, tuple)):
        return [_shape_to_json(s) for s in shape]
    if isinstance(shape, dict):
        return {k: _shape_to_json(v) for k, v in shape.items()}
    return shape


# Binary kerasx.ops functions a SymbolicOp may apply.
_BINARY_OPS = ("add", "subtract", "multiply", "divide", "power", "maximum", "minimum",
               "matmul", "equal", "not_equal", "less", "less_equal", "greater",
               "greater_equal")


def _broadcast_shapes(a, b):
    """NumPy broadcasting of two shapes with None for unknown sizes."""
    a, b = tuple(a), tuple(b)
    rank = max(len(a), len(b))
    a, b = (1,) * (rank - len(a)) + a, (1,) * (rank - len(b)) + b
    out = []
    for i, j in zip(a, b):
        if i == 1:
            out.append(j)
        elif j == 1 or i == j:
            out.append(i)
        elif i is None or j is None:
            out.append(i if j is None else j)
        else:
            raise ValueError(f"Operands of shapes {a} and {b} do not broadcast together.")
    return tuple(out)


class SymbolicOp(Layer):
    """Applies the binary kerasx.ops function `op` to its input and `other`,
    so that arithmetic on KerasTensors (`x + 1`, `2 * x`, `x - y`) becomes a
    layer of the functional graph, as in Keras.

    Args:
        op: name of a binary kerasx.ops function ("add", "subtract",
            "multiply", "divide", "power", "maximum", "minimum", ...).
        other: a Python number, a NumPy array (or list), a native tensor, or
            a KerasTensor. A KerasTensor becomes the layer's second input: the
            layer is then called on [x, other].
        reflected: compute `op(other, x)` instead of `op(x, other)`.

    A float constant takes the dtype of the tensor it meets (Keras treats
    Python floats as weakly typed).

    Raises:
        ValueError: for an unknown `op`.
    """

    def __init__(self, op, other=None, reflected=False, binary=None, **kwargs):
        if "name" not in kwargs or kwargs["name"] is None:
            from kerasx.backend import naming
            kwargs["name"] = naming.uniquify(op)
        super().__init__(**kwargs)
        if op not in _BINARY_OPS:
            raise ValueError(f"SymbolicOp supports the binary ops {list(_BINARY_OPS)}. "
                             f"Received: op={op!r}")
        self.op = op
        self.reflected = bool(reflected)
        self._pending = None
        if isinstance(other, KerasTensor):
            self._pending, other, binary = other, None, True
        self.binary = bool(binary)
        if not self.binary:
            ops = get_ops()
            if ops.is_tensor(other):
                other = ops.to_numpy(other)
            elif isinstance(other, (list, tuple)):
                other = np.asarray(other)
            if not isinstance(other, (int, float, bool, np.ndarray, np.generic)):
                raise ValueError(f"SymbolicOp `other` must be a number, an array, a "
                                 f"tensor or a KerasTensor. Received: {other!r}")
            if isinstance(other, np.generic):
                other = other.item()
        self.other = other
        self.built = True

    def __call__(self, *args, **kwargs):
        if self._pending is not None and args and not isinstance(args[0], (list, tuple)):
            pending, self._pending = self._pending, None
            return super().__call__([args[0], pending], *args[1:], **kwargs)
        return super().__call__(*args, **kwargs)

    def _operands(self, inputs):
        ops = get_ops()
        if self.binary:
            if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
                raise ValueError(f"SymbolicOp {self.name!r} combines two tensors and "
                                 f"expects a list of 2 inputs. Received: {inputs!r}")
            a, b = inputs
            if ops.dtype(a) != ops.dtype(b):
                from kerasx.ops.dispatch import result_type
                target = result_type(ops.dtype(a), ops.dtype(b))
                a = a if ops.dtype(a) == target else ops.cast(a, target)
                b = b if ops.dtype(b) == target else ops.cast(b, target)
            return a, b
        other = self.other
        if isinstance(other, np.ndarray):
            dtype = ops.dtype(inputs)
            if other.dtype.kind in "fiub" and dtype.startswith("float"):
                other = other.astype(dtype)
            other = ops.convert_to_tensor(other)
            if ops.dtype(other) != ops.dtype(inputs):
                from kerasx.ops.dispatch import result_type
                target = result_type(ops.dtype(inputs), ops.dtype(other))
                inputs = inputs if ops.dtype(inputs) == target else ops.cast(inputs,
                                                                            target)
                other = other if ops.dtype(other) == target else ops.cast(other, target)
        elif isinstance(other, float) and not ops.dtype(inputs).startswith("float"):
            inputs = ops.cast(inputs, self.dtype)
        return inputs, other

    def call(self, inputs):
        a, b = self._operands(inputs)
        if self.reflected:
            a, b = b, a
        if self.op == "matmul":
            return get_ops().matmul(a, b if get_ops().is_tensor(b) else
                                    get_ops().convert_to_tensor(np.asarray(b)))
        return getattr(get_ops(), self.op)(a, b)

    def compute_output_shape(self, input_shape):
        if self.op == "matmul":
            return super().compute_output_shape(input_shape)
        if self.binary:
            shape_a, shape_b = input_shape
        else:
            shape_a, shape_b = input_shape, np.shape(self.other)
        return _broadcast_shapes(shape_a, shape_b)

    def compute_output_spec(self, *args, **kwargs):
        out = super().compute_output_spec(*args, **kwargs)
        if self.op in ("equal", "not_equal", "less", "less_equal", "greater",
                       "greater_equal"):
            out.dtype = "bool"
        return out

    def get_config(self):
        other = self.other.tolist() if isinstance(self.other, np.ndarray) else self.other
        return {**super().get_config(), "op": self.op, "other": other,
                "reflected": self.reflected, "binary": self.binary}
