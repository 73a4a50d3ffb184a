"""The Layer base class, as keras.layers.Layer."""
import inspect
import math
import warnings

import numpy as np

from kerasx import config, constraints, initializers, regularizers
from kerasx.backend import get_ops, naming, native_types, remat
from kerasx.backend.state import STATE
from kerasx.backend.stateless_scope import get_stateless_scope
from kerasx.backend.dtypes import DTYPES
from kerasx.backend.scopes import scoped_path
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor, is_symbolic
from kerasx.engine.node import Node
from kerasx.engine.symbolic_masks import attach_symbolic_masks
from kerasx.layers.input_spec import check_input_spec
from kerasx.layers.quantization.layer_api import QuantizationMethods
from kerasx.variables import Variable

_ALLOWED_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "input_dim"}
# Keras 3 config keys for features kerasx lacks; accepted when unset.
_KERAS_ONLY_OPTIONS = ("quantization_config", "lora_rank", "lora_alpha", "lora_enabled",
                       "optional", "ragged", "sparse")


class Layer(QuantizationMethods):
    """Base class of all layers: weights, building, calling, configuration.

    Subclasses implement `build(input_shape)` (create weights with
    `add_weight`), `call(inputs, training=None)`, and, for the functional API,
    `compute_output_shape(input_shape)` (optional: by default the layer is run
    once on zeros to find it).

    Args:
        trainable: whether the layer's weights are updated by training.
        dtype: dtype of weights and computations (default floatx()).
        name: unique name (default: the snake_case class name, numbered).
        input_shape: shape without the batch axis, for the first layer of a
            Sequential model (also batch_input_shape, batch_size, input_dim).

    Raises:
        TypeError: for an unknown keyword argument.
    """

    def __new__(cls, *args, **kwargs):
        # Under a backend with a layer_base (PyTorch: torch.nn.Module), the
        # layer is also of that class, made when the layer is (the backend
        # can change within a process); see kerasx/backend/native_types.py.
        return native_types.instantiate(cls, get_ops().layer_base())

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None,
                 autocast=True, name=None, **kwargs):
        unknown = set(kwargs) - _ALLOWED_KWARGS
        if unknown:
            raise TypeError(f"Unrecognized keyword arguments passed to "
                            f"{type(self).__name__}: {sorted(unknown)}")
        self._layers = []
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._inbound_nodes = []
        self._losses = []
        self.name = name or naming.auto_name(type(self).__name__)
        self._trainable = trainable
        self._set_dtype_policy(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._batch_input_shape = self._batch_shape_from(kwargs)
        params = inspect.signature(self.call).parameters
        self._call_has_training = "training" in params
        self._call_has_mask = "mask" in params
        self._remat_mode = remat.get_current_remat_mode()  # as Keras: at creation

    @staticmethod
    def _batch_shape_from(kwargs):
        if kwargs.get("batch_input_shape") is not None:
            return tuple(kwargs["batch_input_shape"])
        shape = kwargs.get("input_shape")
        if shape is None and kwargs.get("input_dim") is not None:
            shape = (kwargs["input_dim"],)
        if shape is None:
            return None
        return (kwargs.get("batch_size"),) + tuple(shape)

    # -- attribute tracking ------------------------------------------------------
    def __setattr__(self, name, value):
        if "_layers" in self.__dict__ and not name.startswith("_"):
            if not isinstance(value, (Layer, list, tuple, dict)) and \
                    get_ops().module_variables(value) is not None:
                # A framework module (torch.nn.Module) becomes a layer whose
                # weights are its parameters, as in Keras 3.
                from kerasx.layers.core.torch_module_wrapper import TorchModuleWrapper
                value = TorchModuleWrapper(value)
            for item in tree.flatten(value) if isinstance(value, (list, tuple, dict)) else [value]:
                if isinstance(item, Layer) and item is not self and not any(
                        item is known for known in self._layers):
                    self._layers.append(item)
        object.__setattr__(self, name, value)

    # -- dtype -------------------------------------------------------------------
    def _set_dtype_policy(self, dtype):
        """Resolve `dtype` (None, a dtype name, a policy name or a DTypePolicy)
        as Keras: None takes the global policy set with set_dtype_policy, or,
        when none was set, follows floatx."""
        from kerasx import dtype_policies
        from kerasx.dtype_policies.dtype_policy import explicit_global_policy
        if dtype is None:
            policy = explicit_global_policy()
        else:
            policy = dtype_policies.get(dtype)
        self._dtype_policy = policy
        self._dtype = policy.variable_dtype if policy is not None else None
        self._compute_dtype = policy.compute_dtype if policy is not None else None

    @property
    def dtype_policy(self):
        """The layer's DTypePolicy."""
        if self._dtype_policy is not None:
            return self._dtype_policy
        from kerasx import dtype_policies
        return dtype_policies.get(self._dtype or config.floatx())

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._set_dtype_policy(value)
        self._quantize_for_policy(value)  # a quantized policy quantizes a built layer

    @property
    def dtype(self):
        """The dtype of the layer's variables (its policy's variable_dtype)."""
        return self._dtype or config.floatx()

    variable_dtype = dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in and casts its float inputs to (its
        policy's compute_dtype)."""
        return self._compute_dtype or self._dtype or config.floatx()

    @property
    def path(self):
        return self.name

    # -- functional API ------------------------------------------------------------
    @property
    def input(self):
        """The input tensor(s) of the layer's first call on symbolic tensors
        (as Keras 3: the first call, also for a shared layer).

        Raises:
            AttributeError: if the layer was never called on symbolic tensors.
        """
        return self._first_node_attribute("input_tensors", "input")

    @property
    def output(self):
        """The output tensor(s) of the layer's first call on symbolic tensors.

        Raises:
            AttributeError: if the layer was never called on symbolic tensors.
        """
        return self._first_node_attribute("output_tensors", "output")

    def _first_node_attribute(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined "
                f"{what}. Call it on a keras.Input() tensor (or build the model with an "
                "input shape) first.")
        values = getattr(self._inbound_nodes[0], attr)
        return values[0] if len(values) == 1 else list(values)

    # -- metrics ---------------------------------------------------------------------
    @property
    def metrics(self):
        """Metrics assigned as attributes of this layer (or in lists/dicts of
        attributes), then those of nested layers, as Keras 3 tracks them."""
        from kerasx.engine.tracking import own_metrics
        out = own_metrics(self)
        for layer in self._layers:
            if not hasattr(layer, "train_step"):  # a nested model keeps its own
                out.extend(m for m in layer.metrics if all(m is not k for k in out))
        return out

    # -- weights -------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="mean",
                   overwrite_with_gradient=False, name=None):
        """Create a weight of the layer and track it.

        Args:
            shape: tuple of ints (default scalar).
            initializer: initializer or its name (default "glorot_uniform" for
                floats, "zeros" otherwise).
            dtype: default the layer's dtype.
            trainable: whether gradients update it.
            regularizer, constraint: objects or names.
            overwrite_with_gradient: the optimizer sets the variable to its
                gradient instead of updating it (float8's scales, as Keras).

        Returns:
            The kerasx Variable.
        """
        dtype = dtype or self.dtype
        if initializer is None:
            initializer = "glorot_uniform" if str(dtype).startswith("float") else "zeros"
        variable = Variable(initializers.get(initializer), shape=tuple(shape or ()),
                            dtype=dtype, trainable=trainable, name=name,
                            constraint=constraints.get(constraint),
                            regularizer=regularizers.get(regularizer))
        variable.path = scoped_path(f"{self.path}/{variable.name}")
        if not autocast:
            variable.autocast = False
        if overwrite_with_gradient:
            variable.overwrite_with_gradient = True
        (self._trainable_variables if trainable else self._non_trainable_variables).append(
            variable)
        return variable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value

    @property
    def layers(self):
        return list(self._layers)

    @property
    def weights(self):
        """All weights: this layer's (trainable first), then nested layers'."""
        seen, out = set(), []
        for v in self._trainable_variables + self._non_trainable_variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for layer in self._layers:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    variables = weights

    @property
    def trainable_weights(self):
        """Weights that training updates (none if the layer is frozen)."""
        if not self.trainable:
            return []
        own = [v for v in self._trainable_variables]
        nested = [v for layer in self._layers for v in layer.trainable_weights]
        return _unique(own + nested)

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        trainable_ids = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable_ids]

    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        """The weights' values as NumPy arrays, in `weights` order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Set the weights from NumPy arrays in `weights` order.

        Raises:
            ValueError: on a count or shape mismatch, naming the weight.
        """
        params = self.weights
        if len(weights) != len(params):
            raise ValueError(
                f"Layer {self.name!r} expects {len(params)} weights, but set_weights "
                f"received {len(weights)}.")
        for variable, value in zip(params, weights):
            value = np.asarray(value)
            if tuple(value.shape) != variable.shape:
                raise ValueError(
                    f"Layer {self.name!r} weight {variable.path!r} has shape "
                    f"{variable.shape}, but the value given has shape {value.shape}.")
        for variable, value in zip(params, weights):
            variable.assign(np.asarray(value))

    def count_params(self):
        """Number of scalars in the layer's weights.

        Raises:
            ValueError: if the layer is not built yet.
        """
        if not self.built:
            raise ValueError(f"Layer {self.name!r} is not built yet; call it on data or "
                             "build it before counting its parameters.")
        return int(sum(math.prod(v.shape) for v in self.weights))

    @property
    def losses(self):
        """Regularization penalties of the weights plus activity losses of the
        last call, as scalar tensors."""
        out = self._activity_losses()
        for v in self.weights:
            if v.regularizer is not None:
                out.append(v.regularizer(v.value))
        return out

    def _activity_losses(self):
        out = list(self._losses)
        for layer in self._layers:
            out.extend(layer._activity_losses())
        return out

    def add_loss(self, loss):
        """Add a scalar loss tensor to be minimised with the model's loss (also
        collected by a StatelessScope opened with `collect_losses=True`)."""
        scope = get_stateless_scope()
        if scope is not None and scope.collect_losses:
            scope.add_loss(loss)
        self._losses.append(loss)

    # -- building and calling ---------------------------------------------------------
    def build(self, input_shape):
        """Create the weights for inputs of `input_shape`; the default has none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement call().")

    def compute_output_shape(self, input_shape):
        """Output shape for `input_shape`. The default runs the layer once on
        zeros (batch of 2 for an unknown batch) and reads the result."""
        ops = get_ops()

        def zeros(shape):
            return ops.zeros(tuple(2 if d is None else d for d in shape),
                             self.compute_dtype)

        structure = tree.map_shape_structure(zeros, input_shape)
        outputs = self.call(structure) if not self._call_has_training else \
            self.call(structure, training=False)

        # The batch stays unknown only when an input's is (Input(batch_shape=...)).
        batch_unknown = True
        try:
            batch_unknown = any(s[0] is None for s in _leading_shapes(input_shape))
        except (TypeError, IndexError):
            pass

        def shape_of(t):
            shape = tuple(ops.shape(t))
            return (None,) + shape[1:] if shape and batch_unknown else shape

        return tree.map_structure(shape_of, outputs)

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors describing the output.

        A layer with its own `compute_output_shape` takes the shapes from it
        and the layer's dtype. Any other layer is run once with zeros for every
        symbolic argument and its other arguments as given
        (`Endpoint()(logits, targets)`, `layer(x, scale=2.0)`): the outputs'
        shapes and dtypes are read from that run, and its variable writes,
        random draws and `add_loss` terms discarded (Keras 3 traces it
        symbolically, which has the same effect).
        """
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = tree.map_structure(lambda t: t.shape, args[0])
            out_shape = self.compute_output_shape(shapes)
            return tree.map_shape_structure(lambda s: KerasTensor(s, self.compute_dtype),
                                            out_shape)
        from kerasx.engine.tracking import dry_run_spec
        return dry_run_spec(self, args, kwargs)

    def __call__(self, *args, **kwargs):
        if is_symbolic(args) or is_symbolic(kwargs):
            return self._symbolic_call(args, kwargs)
        args = list(args)
        if args:
            args[0] = self._convert_inputs(args[0])
            # Further array arguments (`Endpoint()(logits, targets)`) become tensors too.
            args[1:] = [self._convert_inputs(a) if isinstance(a, np.ndarray) else a
                        for a in args[1:]]
        elif "inputs" in kwargs:
            kwargs["inputs"] = self._convert_inputs(kwargs["inputs"])
        first = args[0] if args else kwargs.get("inputs")
        check_input_spec(self, first)
        self._maybe_build(tree.map_structure(lambda t: get_ops().shape(t), first))
        return self._call_with_context(args, kwargs)

    def _call_with_context(self, args, kwargs):
        explicit = kwargs.get("training")
        # The flag of the outermost call of this thread (kerasx/backend/state.py).
        outer = STATE.training
        if self._call_has_training:
            if explicit is None:
                kwargs["training"] = outer
        else:
            kwargs.pop("training", None)
        first = args[0] if args else kwargs.get("inputs")
        previous_mask = tree.map_structure(get_keras_mask, first)
        if self._call_has_mask:
            if kwargs.get("mask") is None and any(
                    m is not None for m in tree.flatten(previous_mask)):
                kwargs["mask"] = previous_mask
        else:
            kwargs.pop("mask", None)
        depth = STATE.call_depth
        if explicit is not None and depth == 0:
            STATE.training = explicit
        STATE.call_depth = depth + 1
        autocast_before = STATE.autocast_dtype
        compute = self._compute_dtype
        # Mixed precision: float variables read in the compute dtype inside
        # this call (and only this one: a nested float32 layer reads float32).
        STATE.autocast_dtype = compute if compute is not None and compute != self._dtype \
            and self.autocast else None
        try:
            self._losses = []
            call = self.call if self.__dict__.get("_remat_mode") is None else \
                remat.layer_call(self, self.call, args, kwargs)
            outputs = call(*args, **kwargs)
        finally:
            STATE.autocast_dtype = autocast_before
            STATE.call_depth = depth
            if depth == 0:
                STATE.training = None
        if self.activity_regularizer is not None:
            for out in tree.flatten(outputs):
                self._losses.append(get_ops().divide(
                    self.activity_regularizer(out),
                    float(get_ops().shape(out)[0] or 1)))
        self._set_mask_metadata(first, outputs, previous_mask)
        return outputs

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs (Keras: the input's mask by default; a
        layer sets `supports_masking` to pass it on)."""
        return previous_mask

    def _set_mask_metadata(self, inputs, outputs, previous_mask):
        """Attach output masks as `_keras_mask`, as Keras does, when the layer
        supports masking; warn when a layer drops a mask it was given."""
        has_mask = any(m is not None for m in tree.flatten(previous_mask))
        flat_outputs = tree.flatten(outputs)
        if not self.supports_masking:
            if has_mask and type(self).compute_mask is Layer.compute_mask:
                warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was "
                              "passed an input with a mask attached to it, but does not "
                              "support masking; downstream layers will not see the mask.",
                              stacklevel=3)
                return
        if all(get_keras_mask(x) is not None for x in flat_outputs):
            return
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for tensor, mask in zip(flat_outputs, tree.flatten(masks)):
            if mask is not None and get_keras_mask(tensor) is None:
                set_keras_mask(tensor, mask)

    def _convert_inputs(self, inputs):
        ops = get_ops()
        dtype = self.compute_dtype

        def convert(x):
            if x is None:
                return None
            if isinstance(x, Variable):
                x = x.value
            if not ops.is_tensor(x):
                x = np.asarray(x)
                if (x.dtype.kind == "f" and self.autocast) or x.dtype.name not in DTYPES:
                    # Narrow types such as uint8 images become the layer's floats.
                    return ops.convert_to_tensor(x, dtype=dtype)
                return ops.convert_to_tensor(x)
            if self.autocast and ops.dtype(x).startswith("float") and ops.dtype(x) != dtype:
                return ops.cast(x, dtype)
            return x

        def convert_keeping_mask(x):
            out = convert(x)
            mask = get_keras_mask(x)
            if mask is not None and out is not x:
                set_keras_mask(out, mask)  # the mask survives the conversion
            return out

        return tree.map_structure(convert_keeping_mask, inputs)

    def _maybe_build(self, input_shape):
        if not self.built:
            self.build(_first_arg_shape(input_shape))
            self.built = True

    def _symbolic_call(self, args, kwargs):
        first = args[0] if args else kwargs.get("inputs")
        check_input_spec(self, first)
        self._maybe_build(tree.map_structure(lambda t: t.shape, first))
        spec_kwargs = {k: v for k, v in kwargs.items() if k not in ("training", "mask")}
        outputs = self.compute_output_spec(*args, **spec_kwargs)
        node_index = len(self._inbound_nodes)
        for i, out in enumerate(tree.flatten(outputs)):
            if not isinstance(out, KerasTensor):
                continue  # an optional output the call left as None
            out.history = (self, node_index, i)
            out.name = out.name or self.name
        Node(self, args, kwargs, outputs)
        attach_symbolic_masks(self, first, outputs, Layer.compute_mask)
        return outputs

    # -- configuration --------------------------------------------------------------------
    def get_config(self):
        """Constructor arguments as a JSON-able dict (subclasses extend it)."""
        policy = self._dtype_policy
        if policy is not None and (policy.compute_dtype != policy.variable_dtype
                                   or policy.quantization_mode is not None):
            from kerasx import dtype_policies
            dtype = dtype_policies.serialize(policy)  # as Keras: a mixed policy's config
        else:
            dtype = self.dtype
        cfg = {"name": self.name, "trainable": self.trainable, "dtype": dtype}
        if self._batch_input_shape is not None:
            cfg["batch_input_shape"] = list(self._batch_input_shape)
        return cfg

    @classmethod
    def from_config(cls, config):
        """A new layer from the output of get_config."""
        config = dict(config)
        if isinstance(config.get("dtype"), dict):  # Keras 3 DTypePolicy config
            from kerasx import dtype_policies
            config["dtype"] = dtype_policies.deserialize(config["dtype"])
        for key in _KERAS_ONLY_OPTIONS:
            if key in config:
                value = config.pop(key)
                if value not in (None, False, 0):
                    raise ValueError(f"{cls.__name__}: kerasx does not support "
                                     f"{key}={value!r} yet.")
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def get_keras_mask(x):
    """The mask a layer attached to tensor `x`, or None."""
    return getattr(x, "_keras_mask", None)


def set_keras_mask(x, mask):
    """Attach `mask` to tensor `x` (masks travel with tensors, as in Keras)."""
    try:
        x._keras_mask = mask
    except AttributeError:
        pass  # a tensor type without attributes simply carries no mask


def _unique(variables):
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _leading_shapes(structure):
    """The shapes (tuples) in a nest of shapes."""
    if _is_shape(structure):
        return [structure]
    if isinstance(structure, dict):
        structure = list(structure.values())
    return [s for item in structure for s in _leading_shapes(item)]


def _first_arg_shape(shape):
    return tuple(shape) if isinstance(shape, list) and _is_shape(tuple(shape)) else shape


def _is_shape(value):
    """True for a shape: a tuple of ints and Nones."""
    return isinstance(value, tuple) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value)
