"""Distillation losses (keras.distillation): how a Distiller compares the
teacher's outputs (or intermediate features) with the student's."""
from kerasx import ops, tree


def _loss_function(identifier):
    """A loss from a name, an object or None (None skips that output)."""
    from kerasx import losses

    if identifier is None:
        return None
    if isinstance(identifier, str):
        return losses.get(identifier)  # raises ValueError for an unknown name
    return identifier


def _loss_structure(loss):
    """`loss` (a name, a loss, None, or a nest of them) with every leaf resolved.

    Raises:
        ValueError: when every leaf is None (nothing would be distilled).
    """
    resolved = tree.map_structure(_loss_function, loss)
    if all(item is None for item in tree.flatten(resolved)):
        raise ValueError("The `loss` of a distillation loss must contain at least one "
                         f"loss that is not None; received loss={loss!r}.")
    return resolved


def _serialize_losses(loss):
    from kerasx.saving import serialize_keras_object
    return serialize_keras_object(loss)


def _deserialize_losses(config):
    """The inverse of _serialize_losses: a config, a name, None, or a nest."""
    from kerasx import losses

    if config is None or isinstance(config, str):
        return config
    if isinstance(config, dict) and "class_name" in config:
        return losses.deserialize(config)
    if isinstance(config, dict):
        return {key: _deserialize_losses(value) for key, value in config.items()}
    if isinstance(config, (list, tuple)):
        return type(config)(_deserialize_losses(value) for value in config)
    raise ValueError(f"Cannot interpret {config!r} as a loss config.")


def _describe(structure):
    """The nesting of `structure` with its leaves shown as "*" (for errors)."""
    return tree.map_structure(lambda _: "*", structure)


def _sum_losses(values):
    """The sum of per-output scalar losses (0.0 for a skipped output)."""
    flat = tree.flatten(values)
    like = next(v for v in flat if not isinstance(v, float))
    dtype = ops.dtype(like)
    flat = [ops.zeros((), dtype=dtype) if isinstance(v, float) else v for v in flat]
    return ops.sum(ops.stack(flat))


class DistillationLoss:
    """Base class of the distillation losses of `kerasx.distillation.Distiller`.

    A distillation loss says how the student is pulled towards the teacher:
    from the final logits (`LogitsDistillation`) to intermediate features
    (`FeatureDistillation`). To write your own, subclass it and override
    `compute_loss(teacher_outputs, student_outputs)`, returning a scalar.
    """

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The distillation loss between the teacher's and the student's outputs.

        Args:
            teacher_outputs: the teacher's output: a tensor or a nest of them
                (a model with several outputs).
            student_outputs: the student's output, nested as the teacher's.
            **kwargs: extra arguments of a custom distillation loss.

        Returns:
            A scalar tensor.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement compute_loss().")

    def validate_outputs(self, teacher_outputs, student_outputs):
        """Check that the teacher's and the student's outputs can be compared.

        Raises:
            ValueError: when the two are not nested the same way.
        """
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student):
        """Check that this loss can be computed for these teacher and student
        models (called once, by the Distiller's constructor). The base class
        accepts any pair.

        Raises:
            ValueError: when the models are not compatible with this loss.
        """


class FeatureDistillation(DistillationLoss):
    """Distillation of features: the student's output of a named layer is
    compared with the teacher's output of a named layer.

    Args:
        loss: the loss comparing the two features: a name ("mse",
            "cosine_similarity", ...), a loss object, or a nest of them
            matching the features' nesting, where None skips that feature.
            At least one must not be None. Defaults to "mse".
        teacher_layer_name: the teacher layer whose output is used; None for
            the teacher's final output.
        student_layer_name: the student layer whose output is used; None for
            the student's final output.

    Named layers need functional or Sequential models (with symbolic inputs).

    Raises:
        ValueError: for an unknown loss name, or a loss that is all None.
    """

    def __init__(self, loss="mse", teacher_layer_name=None, student_layer_name=None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = _loss_structure(loss)

    def validate_model_compatibility(self, teacher, student):
        """Check that named layers exist and that the models have symbolic
        inputs to read them from.

        Raises:
            ValueError: for a subclassed model when a layer is named, or a
                layer name the model does not have.
        """
        if self.teacher_layer_name is not None or self.student_layer_name is not None:
            subclassed = [role for role, model in (("teacher", teacher), ("student", student))
                          if _symbolic_inputs(model) is None]
            if subclassed:
                raise ValueError(
                    "FeatureDistillation with layer names needs functional or Sequential "
                    f"models, but the {' and '.join(subclassed)} model(s) have no symbolic "
                    "inputs and outputs (subclassed models). Use functional or Sequential "
                    "models, FeatureDistillation without layer names (final outputs), "
                    "or LogitsDistillation.")
        for role, model, layer_name in (("teacher", teacher, self.teacher_layer_name),
                                        ("student", student, self.student_layer_name)):
            if layer_name is not None:
                try:
                    model.get_layer(name=layer_name)
                except ValueError as exc:
                    raise ValueError(f"In {role} model: {exc}") from None

    def validate_outputs(self, teacher_outputs, student_outputs):
        """Check that the features and the loss are nested alike.

        Raises:
            ValueError: when the teacher's and the student's features, or the
                features and `loss`, are not nested the same way.
        """
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except ValueError as exc:
            raise ValueError(f"The loss is nested as {_describe(self.loss)} but the features "
                             f"as {_describe(teacher_outputs)}: {exc}") from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The mean of each feature's loss, summed over the features.

        Args:
            teacher_outputs: the teacher's features.
            student_outputs: the student's features.
            **kwargs: ignored.

        Returns:
            A scalar tensor.
        """
        def apply(loss_fn, teacher_features, student_features):
            if loss_fn is None:
                return 0.0
            return ops.mean(loss_fn(teacher_features, student_features))

        return _sum_losses(tree.map_structure(apply, self.loss, teacher_outputs,
                                              student_outputs))

    def get_config(self):
        """The constructor's arguments (the losses serialized)."""
        return {"loss": _serialize_losses(self.loss),
                "teacher_layer_name": self.teacher_layer_name,
                "student_layer_name": self.student_layer_name}

    @classmethod
    def from_config(cls, config):
        """A FeatureDistillation from `get_config()` output."""
        config = dict(config)
        config["loss"] = _deserialize_losses(config["loss"])
        return cls(**config)


class LogitsDistillation(DistillationLoss):
    """Distillation of logits: the teacher's and the student's final outputs,
    both divided by `temperature`, are compared with `loss`.

    A `keras.losses.KLDivergence` object compares the softmax probabilities
    of the scaled logits and is multiplied by `temperature ** 2` (Hinton et
    al.); any other loss (including the "kl_divergence" function that the
    default name resolves to, as in Keras) is applied to the scaled logits.

    Args:
        temperature: a positive number; higher values soften the teacher's
            distribution. Defaults to 3.0.
        loss: a loss name, a loss object, or a nest of them matching the
            models' outputs, where None skips that output. At least one must
            not be None. Defaults to "kl_divergence".

    Raises:
        ValueError: for an unknown loss name, a loss that is all None, or a
            temperature that is not a positive number.
    """

    def __init__(self, temperature=3.0, loss="kl_divergence"):
        self.temperature = temperature
        self.loss = _loss_structure(loss)
        if not isinstance(temperature, (int, float)):
            raise ValueError("temperature must be a number; received "
                             f"{type(temperature).__name__} {temperature!r}.")
        if temperature <= 0.0:
            raise ValueError(f"temperature must be positive; received {temperature}.")

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The distillation loss of the temperature-scaled logits, summed over
        the outputs.

        Args:
            teacher_outputs: the teacher's logits: a tensor or a nest of them.
            student_outputs: the student's logits, nested alike.
            **kwargs: ignored.

        Returns:
            A scalar tensor.
        """
        from kerasx.losses import KLDivergence

        teacher_scaled = tree.map_structure(lambda t: ops.divide(t, self.temperature),
                                            teacher_outputs)
        student_scaled = tree.map_structure(lambda s: ops.divide(s, self.temperature),
                                            student_outputs)

        def apply(loss_fn, teacher_logits, student_logits):
            if loss_fn is None:
                return 0.0
            if isinstance(loss_fn, KLDivergence):
                # KL divergence compares distributions: softmax first, and the
                # temperature ** 2 factor keeps the gradients' scale.
                value = ops.mean(loss_fn(ops.softmax(teacher_logits, axis=-1),
                                         ops.softmax(student_logits, axis=-1)))
                return ops.multiply(value, self.temperature ** 2)
            return ops.mean(loss_fn(teacher_logits, student_logits))

        return _sum_losses(tree.map_structure(apply, self.loss, teacher_scaled,
                                              student_scaled))

    def get_config(self):
        """The constructor's arguments (the losses serialized)."""
        return {"temperature": self.temperature, "loss": _serialize_losses(self.loss)}

    @classmethod
    def from_config(cls, config):
        """A LogitsDistillation from `get_config()` output."""
        config = dict(config)
        config["loss"] = _deserialize_losses(config["loss"])
        return cls(**config)


def _symbolic_inputs(model):
    """The model's symbolic inputs, or None (a subclassed or unbuilt model)."""
    try:
        return getattr(model, "inputs", None)
    except (AttributeError, ValueError):
        return None
