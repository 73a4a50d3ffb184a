"""Distiller (keras.distillation.Distiller): a Model that trains a student to
follow a frozen teacher."""
from kerasx import ops, tree
from kerasx.distillation.distillation_loss import _loss_function
from kerasx.models.model import Model


def _symbolic(model, which):
    """The model's symbolic `inputs`/`outputs`, or None (a subclassed model,
    a Sequential model without an input shape)."""
    try:
        return getattr(model, which, None)
    except (AttributeError, ValueError):
        return None


class Distiller(Model):
    """Knowledge distillation: a student model learns from a frozen teacher
    model and, optionally, from the labels.

    The loss of a batch is
    `student_loss_weight * student_loss + (1 - student_loss_weight) *
    sum(weight_i * distillation_loss_i)`, where the student loss compares
    the student's predictions with the labels (the loss given to
    `compile()`) and each distillation loss compares the teacher with the
    student. Calling the Distiller (and `predict`) runs the student. Besides
    "loss", the logs show "student_loss", "distillation_loss" and
    "total_loss".

    Args:
        teacher: a trained `kerasx.Model`, frozen (`trainable = False`) here.
        student: the `kerasx.Model` to train.
        distillation_losses: a `DistillationLoss` (`LogitsDistillation`,
            `FeatureDistillation`, your own) or a list of them.
        distillation_loss_weights: one weight per distillation loss; None for
            1.0 each. Ignored (1.0) when `distillation_losses` is a single loss.
        student_loss_weight: the share of the student's supervised loss, in
            [0, 1]. Defaults to 0.5.
        name: the model's name. Defaults to "distiller".
        **kwargs: other `Model` arguments (`trainable`, `dtype`).

    Attributes:
        teacher: the frozen teacher.
        student: the student (use it on its own after training).

    Example:

    ```python
    distiller = kerasx.distillation.Distiller(
        teacher=teacher, student=student,
        distillation_losses=kerasx.distillation.LogitsDistillation(temperature=3.0),
        student_loss_weight=0.5)
    distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    distiller.fit(x_train, y_train, epochs=10)
    trained = distiller.student
    ```

    Raises:
        ValueError: when teacher or student is not a Model; their inputs or
            outputs differ in shape, rank or dtype; `student_loss_weight` is
            not a number in [0, 1]; `distillation_losses` is None; the
            weights and the losses differ in number; or a distillation loss
            does not fit the models (an unknown layer name...).
    """

    _keras_module = "keras.distillation"  # as Keras 3 writes it in configs

    def __init__(self, teacher, student, distillation_losses, distillation_loss_weights=None,
                 student_loss_weight=0.5, name="distiller", **kwargs):
        super().__init__(name=name, **kwargs)
        self._validate_models(teacher, student)
        self.teacher = teacher
        self.student = student

        if not isinstance(student_loss_weight, (int, float)):
            raise ValueError("student_loss_weight must be a number; received "
                             f"{type(student_loss_weight).__name__} {student_loss_weight!r}.")
        if not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError("student_loss_weight must be between 0.0 and 1.0; received "
                             f"{student_loss_weight}.")
        self.student_loss_weight = student_loss_weight

        if distillation_losses is None:
            raise ValueError("`distillation_losses` cannot be None: pass a distillation loss "
                             "(LogitsDistillation, FeatureDistillation, ...) or a list of "
                             "them.")
        if not isinstance(distillation_losses, (list, tuple)):
            self.distillation_losses = [distillation_losses]
            self.distillation_loss_weights = [1.0]
        else:
            self.distillation_losses = list(distillation_losses)
            if distillation_loss_weights is None:
                self.distillation_loss_weights = [1.0] * len(distillation_losses)
            else:
                if len(distillation_loss_weights) != len(distillation_losses):
                    raise ValueError(
                        f"There are {len(distillation_loss_weights)} "
                        "distillation_loss_weights for "
                        f"{len(distillation_losses)} distillation_losses: give one weight "
                        "per loss.")
                self.distillation_loss_weights = list(distillation_loss_weights)

        for distillation_loss in self.distillation_losses:
            if not callable(getattr(distillation_loss, "compute_loss", None)):
                raise ValueError(
                    "Each distillation loss must be a kerasx.distillation.DistillationLoss "
                    f"(LogitsDistillation, FeatureDistillation, ...); received "
                    f"{distillation_loss!r}.")
            distillation_loss.validate_model_compatibility(teacher, student)
        self._create_feature_extractors()
        self.teacher.trainable = False

        from kerasx import metrics
        self.student_loss_tracker = metrics.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics.Mean(name="total_loss")

    # -- validation ------------------------------------------------------------------
    def _validate_models(self, teacher, student):
        for role, model in (("Teacher", teacher), ("Student", student)):
            if not isinstance(model, Model):
                raise ValueError(f"{role} must be a kerasx.Model; received "
                                 f"{type(model).__name__}.")
        for which in ("inputs", "outputs"):
            teacher_tensors = _symbolic(teacher, which)
            student_tensors = _symbolic(student, which)
            if teacher_tensors is None or student_tensors is None:
                continue
            context = which[:-1]
            tree.map_structure(lambda t, s: self._check_shapes(t.shape, s.shape, context),
                               teacher_tensors, student_tensors)
        teacher_inputs, student_inputs = _symbolic(teacher, "inputs"), \
            _symbolic(student, "inputs")
        if teacher_inputs is None or student_inputs is None:
            return
        tree.map_structure(lambda t, s: self._check_dtypes(t.dtype, s.dtype, "input"),
                           teacher_inputs, student_inputs)
        teacher_outputs, student_outputs = _symbolic(teacher, "outputs"), \
            _symbolic(student, "outputs")
        if teacher_outputs is None or student_outputs is None:
            return
        tree.map_structure(lambda t, s: self._check_dtypes(t.dtype, s.dtype, "output"),
                           teacher_outputs, student_outputs)

    @staticmethod
    def _check_shapes(teacher_shape, student_shape, context):
        teacher_shape, student_shape = tuple(teacher_shape), tuple(student_shape)
        if len(teacher_shape) != len(student_shape):
            raise ValueError(f"Teacher and student {context} shapes have different ranks. "
                             f"Teacher: {teacher_shape}, Student: {student_shape}.")
        for a, b in zip(teacher_shape, student_shape):
            if a is not None and b is not None and a != b:
                raise ValueError(f"Teacher and student {context} shapes are incompatible. "
                                 f"Teacher: {teacher_shape}, Student: {student_shape}. "
                                 "All dimensions must match.")

    @staticmethod
    def _check_dtypes(teacher_dtype, student_dtype, context):
        if teacher_dtype != student_dtype:
            raise ValueError(f"Teacher and student {context} dtypes must match. "
                             f"Teacher: {teacher_dtype}, Student: {student_dtype}.")

    # -- features ------------------------------------------------------------------
    def _create_feature_extractors(self):
        """One model per side returning {"final_output": ..., layer name: ...}
        for the named layers, so that each side runs once a step."""
        names = {"teacher": [], "student": []}
        for distillation_loss in self.distillation_losses:
            for role in names:
                layer_name = getattr(distillation_loss, f"{role}_layer_name", None)
                if layer_name and layer_name not in names[role]:
                    names[role].append(layer_name)
        self._teacher_feature_extractor = self._feature_extractor(self.teacher,
                                                                  names["teacher"])
        self._student_feature_extractor = self._feature_extractor(self.student,
                                                                  names["student"])
        # Keras tracks these private attributes as sublayers (kerasx's tracker
        # only public ones): listed so that `layers` and the saved file's
        # layout (layers/functional, ...) are Keras's.
        for extractor in (self._teacher_feature_extractor, self._student_feature_extractor):
            if extractor is not None:
                self._layers.append(extractor)

    @staticmethod
    def _feature_extractor(model, layer_names):
        if not layer_names:
            return None
        inputs = _symbolic(model, "inputs")
        if inputs is None:
            raise ValueError(f"Cannot read intermediate features of model {model.name!r}: "
                             "it has no symbolic inputs (use a functional or Sequential "
                             "model with an input shape).")
        outputs = {"final_output": model.output}
        for layer_name in layer_names:
            outputs[layer_name] = model.get_layer(name=layer_name).output
        return Model(inputs=inputs, outputs=outputs,
                     name=f"{model.name}_multi_feature_extractor")

    def _teacher_features(self, x):
        if self._teacher_feature_extractor is not None:
            return self._teacher_feature_extractor(x, training=False)
        return {"final_output": self.teacher(x, training=False)}

    def _student_features(self, x, y_pred):
        if self._student_feature_extractor is not None:
            # As Keras: a second, training-mode pass of the student.
            return self._student_feature_extractor(x, training=True)
        return {"final_output": y_pred}

    # -- training ------------------------------------------------------------------
    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """Configure training: `loss` is the student's supervised loss.

        Args:
            optimizer: the optimizer that trains the student.
            loss: the student's loss (a name, a loss, or a nest matching the
                outputs); required. As in Keras, the per-output values are
                stacked and summed (loss functions' per-sample values are
                summed over the batch too), and a single output's
                per-sample values are averaged.
            metrics: a list or tuple of metrics of the student's predictions.
            **kwargs: other `Model.compile` arguments.

        Raises:
            ValueError: when `loss` is None or `metrics` is not a list or tuple.
        """
        if loss is None:
            raise ValueError("'loss' cannot be None: pass the student's loss "
                             "(e.g. 'sparse_categorical_crossentropy').")
        self._student_loss = tree.map_structure(_loss_function, loss)
        self._student_loss_for_serialization = loss
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"metrics must be a list or tuple; received "
                             f"{type(metrics).__name__}.")
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs, training=None, **kwargs):
        """The student's predictions."""
        return self.student(inputs, training=training, **kwargs)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The weighted sum of the student's loss and the distillation losses
        (`sample_weight` is not used, as in Keras); updates the
        "student_loss", "distillation_loss" and "total_loss" trackers.

        Raises:
            ValueError: when a distillation loss's outputs do not fit it or
                it returns a loss that is not a scalar.
            RuntimeError: when a named feature cannot be found.
        """
        if y_pred is None:
            y_pred = self(x, training=training)

        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            values = tree.map_structure(lambda fn, target, pred: fn(target, pred),
                                        self._student_loss, y, y_pred)
            flat = tree.flatten(values)
            if len({tuple(ops.shape(v)) for v in flat}) > 1:
                raise ValueError(
                    "The student's losses returned values of different shapes "
                    f"{[tuple(ops.shape(v)) for v in flat]}, which cannot be summed. Use "
                    "loss objects (kerasx.losses.MeanSquaredError()...), which return "
                    "scalars, for every output, or loss functions for every output.")
            student_loss = ops.sum(ops.stack(flat)) if len(flat) > 1 else flat[0]
            if len(ops.shape(student_loss)) > 0:
                student_loss = ops.mean(student_loss)

        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            teacher_features = self._teacher_features(x)
            student_features = self._student_features(x, y_pred)
            for loss_fn, weight in zip(self.distillation_losses,
                                       self.distillation_loss_weights):
                if getattr(loss_fn, "teacher_layer_name", None) is not None:
                    teacher_output = self._feature(loss_fn, teacher_features, "teacher")
                    student_output = self._feature(loss_fn, student_features, "student")
                else:
                    teacher_output = teacher_features["final_output"]
                    student_output = y_pred
                loss_fn.validate_outputs(teacher_output, student_output)
                value = loss_fn.compute_loss(teacher_output, student_output)
                if hasattr(value, "shape") and len(ops.shape(value)) > 0:
                    raise ValueError(
                        f"Distillation loss {type(loss_fn).__name__} returned a loss of "
                        f"shape {tuple(ops.shape(value))}; compute_loss() must return a "
                        "scalar.")
                distillation_loss = ops.add(distillation_loss, ops.multiply(weight, value))

        total_loss = ops.add(
            ops.multiply(self.student_loss_weight, student_loss),
            ops.multiply(ops.subtract(1.0, self.student_loss_weight), distillation_loss))
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total_loss)
        return total_loss

    @staticmethod
    def _feature(loss_fn, features, role):
        layer_name = getattr(loss_fn, f"{role}_layer_name", None) or "final_output"
        if layer_name not in features:
            raise RuntimeError(
                f"Failed to extract features for {type(loss_fn).__name__} targeting "
                f"teacher layer {loss_fn.teacher_layer_name!r} and student layer "
                f"{getattr(loss_fn, 'student_layer_name', None)!r}: layer {layer_name!r} is "
                f"not among the extracted features {list(features)}.")
        return features[layer_name]

    def reset_metrics(self):
        """Reset every metric, the distillation trackers included."""
        super().reset_metrics()
        for tracker in (self.student_loss_tracker, self.distillation_loss_tracker,
                        self.total_loss_tracker):
            tracker.reset_state()

    # -- serialization -------------------------------------------------------------
    def get_config(self):
        """The constructor's arguments: teacher, student and distillation
        losses serialized (as Keras writes them)."""
        from kerasx.saving import serialize_keras_object

        config = super().get_config()
        config.update({
            "teacher": serialize_keras_object(self.teacher),
            "student": serialize_keras_object(self.student),
            "distillation_losses": [serialize_keras_object(loss)
                                    for loss in self.distillation_losses],
            "distillation_loss_weights": list(self.distillation_loss_weights),
            "student_loss_weight": self.student_loss_weight,
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Distiller from `get_config()` output (kerasx's or Keras 3's)."""
        from kerasx import dtype_policies
        from kerasx.saving import deserialize_keras_object

        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = deserialize_keras_object(config[key], custom_objects)
        config["distillation_losses"] = [deserialize_keras_object(loss, custom_objects)
                                         for loss in config["distillation_losses"]]
        if isinstance(config.get("dtype"), dict):  # Keras 3 writes a DTypePolicy config
            config["dtype"] = dtype_policies.deserialize(config["dtype"])
        return cls(**config)
