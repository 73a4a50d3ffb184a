"""OptimizerMap and MultiOptimizer, as keras.optimizers: different optimizers
for different variables, chosen by variable path."""
import re
from collections.abc import MutableMapping

from kerasx.optimizers.base_optimizer import Optimizer
from kerasx.optimizers.loss_scale_optimizer import LossScaleOptimizer


def _check_inner(optimizer, variable=None):
    """A wrapper cannot be nested: its loss scaling / dispatch would apply
    twice. The messages hold Keras's ("optimizer cannot be ...", at build
    "... cannot be used inside an MultiOptimizer")."""
    for cls, advice in ((LossScaleOptimizer, "wrap the MultiOptimizer in the "
                         "LossScaleOptimizer instead"),
                        (MultiOptimizer, "put all the patterns in one OptimizerMap")):
        if isinstance(optimizer, cls):
            if variable is None:
                raise ValueError(f"optimizer cannot be {cls.__name__}. To combine them, "
                                 f"{advice}.")
            raise ValueError(f"{cls.__name__} cannot be used inside an MultiOptimizer "
                             f"(variable {variable.path!r}); {advice}.")


class OptimizerMap(MutableMapping):
    """A mapping from variable paths (or regular expressions over them) to
    optimizers, with a default optimizer for the unmapped variables.

    Lookup (`optimizer_map[path]`, or `optimizer_map(variable)` with the
    variable's `path`) tries an exact key first, then every key as a regular
    expression that must match the whole path (`re.fullmatch`): "encoder/.*"
    matches every variable under "encoder", "encoder" only that exact path.

    Args:
        default_optimizer: the `Optimizer` of the variables no key matches.
        optimizer_map: an optional dict {path or pattern: Optimizer}.

    Raises:
        TypeError: `default_optimizer` is not an Optimizer or `optimizer_map`
            is not a dict.
        ValueError: on lookup, a path matched by several patterns; on
            assignment, a duplicated or non-string key, or a value that is not
            a plain Optimizer (LossScaleOptimizer and MultiOptimizer are refused).
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("default_optimizer must be a Keras Optimizer instance. "
                            f"Received: {default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map!r}")
        self._default_optimizer = default_optimizer
        # As Keras, the dict passed in is used as is (not validated, not copied).
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self):
        """The optimizer of the variables that no key matches."""
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map
                   if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}: its path "
                             f"matches the patterns {matches}. Make the patterns disjoint.")
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value "
                             f"{self._optimizer_map[key]}. Please make sure to not use "
                             "duplicated keys.")
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key!r}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError("optimizer must be a Keras Optimizer instance. "
                             f"Received: {optimizer!r}")
        _check_inner(optimizer)
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        """The optimizer of `variable`, looked up by its `path`."""
        return self[variable.path]

    def get_config(self):
        """{"default_optimizer": config, "optimizer_map": {key: config}}."""
        from kerasx.saving.serialization import serialize_keras_object
        return {"default_optimizer": serialize_keras_object(self._default_optimizer),
                "optimizer_map": serialize_keras_object(self._optimizer_map)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The OptimizerMap `get_config` (kerasx's or Keras's) describes."""
        from kerasx.saving.serialization import deserialize_keras_object
        default = deserialize_keras_object(config["default_optimizer"],
                                           custom_objects=custom_objects)
        mapping = deserialize_keras_object(config.get("optimizer_map") or {},
                                           custom_objects=custom_objects)
        return cls(default, mapping)


class MultiOptimizer(Optimizer):
    """Delegates each variable to its own optimizer, as Keras 3.

    `optimizer_map` is an `OptimizerMap` or a callable taking a variable and
    returning its optimizer. At `build` every variable is given to its
    optimizer, and each sub-optimizer is built on its variables; `apply`
    hands each sub-optimizer its gradients, then counts one step in
    `iterations`. The sub-optimizers keep their own learning rates and
    iterations (reach them through `optimizers`); `learning_rate` is not
    defined on a MultiOptimizer and raises AttributeError.

    `variables` lists the MultiOptimizer's own (iteration, learning_rate)
    then each sub-optimizer's, in `optimizers` order (the mapped ones, then
    the default, then those a callable returned, as they were first met),
    which is Keras's order, so saved states are exchangeable with Keras.

    Args:
        optimizer_map: an `OptimizerMap` or a callable `variable -> Optimizer`.
        loss_scale_factor: set on every sub-optimizer (which unscales its
            gradients); the loss is scaled once, by this optimizer.
        name: the optimizer's name.

    Raises:
        ValueError: at build, when a variable's optimizer is not an Optimizer,
            or is a LossScaleOptimizer or MultiOptimizer; at apply, when the
            gradients do not match the built variables.
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        self._var_to_optimizer_idx = {}
        mapped = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in mapped + ([default] if default is not None else []):
            if not any(optimizer is known for known in self._inner_optimizers):
                optimizer.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(optimizer)

    def _index_of(self, optimizer):
        for i, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return i
        return None

    def build(self, var_list):
        """Assign each variable to its optimizer and build every sub-optimizer
        on its own variables."""
        if self.built:
            return
        var_list = list(var_list)
        assigned = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            optimizer = self._optimizer_map(variable)
            if not isinstance(optimizer, Optimizer):
                raise ValueError(f"Optimizer for variable {variable.path!r} is not an "
                                 f"Optimizer instance. Received: {optimizer!r}")
            _check_inner(optimizer, variable)
            idx = self._index_of(optimizer)
            if idx is None:
                optimizer.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(optimizer)
                assigned.append([])
                idx = len(self._inner_optimizers) - 1
            self._var_to_optimizer_idx[id(variable)] = idx
            assigned[idx].append(variable)
        for optimizer, variables in zip(self._inner_optimizers, assigned):
            if variables:
                optimizer.build(variables)
        super().build(var_list)

    @property
    def optimizers(self):
        """The sub-optimizers, in Keras's order."""
        return self._inner_optimizers

    @property
    def variables(self):
        """Its own iteration and learning rate, then every sub-optimizer's
        variables."""
        out = self._variables[:]
        for optimizer in self._inner_optimizers:
            out.extend(optimizer.variables)
        return out

    @property
    def learning_rate(self):
        """Not defined: each sub-optimizer has its own (AttributeError)."""
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access "
                             "the learning rate on the individual sub-optimizers instead "
                             "(`optimizer.optimizers`).")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the "
                             "learning rate on the individual sub-optimizers instead "
                             "(`optimizer.optimizers`).")

    @property
    def loss_scale_factor(self):
        """The loss scale factor, shared with every sub-optimizer."""
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in getattr(self, "_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    def apply(self, grads, trainable_variables=None):
        """Give each sub-optimizer the gradients of its variables, then add
        one to `iterations`."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer "
                                 "must already be built on a list of variables. Call "
                                 "`optimizer.build(trainable_variables)` first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._var_to_optimizer_idx) or \
                len(grads) != len(trainable_variables):
            raise ValueError("Gradients must match trainable variables one-to-one. "
                             f"Received {len(grads)} gradients and "
                             f"{len(self._var_to_optimizer_idx)} variables.")
        unknown = [v.path for v in trainable_variables
                   if id(v) not in self._var_to_optimizer_idx]
        if unknown:
            raise ValueError(f"Unknown variables {unknown}: this MultiOptimizer was built "
                             "for a different set of variables.")
        per_optimizer = [([], []) for _ in self._inner_optimizers]
        for grad, variable in zip(grads, trainable_variables):
            sub_grads, sub_vars = per_optimizer[self._var_to_optimizer_idx[id(variable)]]
            sub_grads.append(grad)
            sub_vars.append(variable)
        for optimizer, (sub_grads, sub_vars) in zip(self._inner_optimizers, per_optimizer):
            if sub_grads:
                optimizer.apply(sub_grads, sub_vars)
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list):
        """Let each sub-optimizer finalize its own variables (EMA)."""
        per_optimizer = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            idx = self._var_to_optimizer_idx.get(id(variable))
            if idx is not None:
                per_optimizer[idx].append(variable)
        for optimizer, variables in zip(self._inner_optimizers, per_optimizer):
            if variables:
                optimizer.finalize_variable_values(variables)

    def set_weights(self, weights):
        """Set its own variables, then each sub-optimizer's, from a list in
        `variables` order."""
        if not self.built:
            raise ValueError("You are calling `set_weights()` on an optimizer that has not "
                             "yet been built. Call `optimizer.build(trainable_variables)` "
                             "first.")
        weights = list(weights)
        if len(weights) != len(self.variables):
            raise ValueError(f"MultiOptimizer {self.name!r} has {len(self.variables)} "
                             f"variables; received {len(weights)} weights.")
        own = len(self._variables)
        for variable, weight in zip(self._variables, weights[:own]):
            variable.assign(weight)
        start = own
        for optimizer in self._inner_optimizers:
            count = len(optimizer.variables)
            if count:
                optimizer.set_weights(weights[start:start + count])
                start += count

    def get_config(self):
        """{"optimizer_map", "loss_scale_factor", "name"}, as Keras."""
        from kerasx.saving.serialization import serialize_keras_object
        return {"optimizer_map": serialize_keras_object(self._optimizer_map),
                "loss_scale_factor": self.loss_scale_factor,
                "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The MultiOptimizer `get_config` (kerasx's or Keras's) describes."""
        from kerasx.saving.serialization import deserialize_keras_object
        config = dict(config)
        config["optimizer_map"] = deserialize_keras_object(config["optimizer_map"],
                                                           custom_objects=custom_objects)
        return cls(**config)
