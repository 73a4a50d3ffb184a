"""compile / fit / evaluate / predict and the *_on_batch methods of keras.Model."""
import warnings

import numpy as np

from kerasx.backend import get_ops
from kerasx.callbacks.callback_list import CallbackList
from kerasx import tree
from kerasx.ops.gradients import value_and_grad
from kerasx.trainers.nan_guard import nan_if_gradients_nan
from kerasx.random import host_draws
from kerasx.trainers import data_adapters, logs_utils
from kerasx.trainers.data_adapters import array_data_adapter
from kerasx.trainers.compile_utils import CompileLoss, CompileMetrics
from kerasx.trainers.deprecated_shims import DeprecatedStepShims
from kerasx.trainers.input_validation import validate_inputs, validate_targets
from kerasx.trainers.step_function import StepFunction


# Model class -> whether its compute_loss takes `training` (Keras 3.3 added it).
_TAKES_TRAINING = {}


def _to_float(value):
    """A scalar as a Python float; a metric's vector result (F1Score with
    average=None) as a NumPy array, as Keras logs it."""
    array = np.asarray(get_ops().to_numpy(value))
    return float(array) if array.ndim == 0 else array


def _pythonify(logs):
    """Logs with tensors read back as Python floats (a compiled step returns
    tensors)."""
    ops = get_ops()
    out = {}
    for k, v in logs.items():
        if isinstance(v, dict):  # a metric whose result is a dict: its entries (Keras 3)
            out.update(_pythonify(v))
        else:
            out[k] = _to_float(v) if ops.is_tensor(v) else v
    return out


class Trainer(DeprecatedStepShims):
    """The training API mixed into Model."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._validated = False
        self._step_functions = {}

    # -- compile -----------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configure the model for training.

        Args:
            optimizer: name or Optimizer instance.
            loss: name, function or Loss; a list or dict for several outputs.
            loss_weights: scalar coefficients of each output's loss.
            metrics: names, functions or Metric objects; a dict or list of
                lists for several outputs.
            weighted_metrics: metrics that take sample_weight into account.
            run_eagerly: run every step eagerly (for debugging).
            auto_scale_loss: under the "mixed_float16" policy, wrap the
                optimizer in a LossScaleOptimizer (as Keras 3).
            jit_compile: True for the framework's optimising compiler (XLA
                on TensorFlow, torch.compile on PyTorch), False for plain
                graph execution where the framework has one (tf.function),
                "auto" for the backend's measured default. Compiled steps
                give the same numbers as eager ones; a backend without a
                compiler for the mode runs eagerly.

        Raises:
            ValueError: for an unknown optimizer, loss or metric name.
        """
        from kerasx import losses, metrics as metrics_module, optimizers

        self.optimizer = optimizers.get(optimizer)
        if auto_scale_loss and self.optimizer is not None and \
                getattr(self, "dtype_policy", None) is not None and \
                self.dtype_policy.name == "mixed_float16" and \
                not isinstance(self.optimizer, optimizers.LossScaleOptimizer):
            # As Keras: float16 gradients underflow without loss scaling.
            self.optimizer = optimizers.LossScaleOptimizer(self.optimizer,
                                                           name="loss_scale_optimizer")
        for item in tree.flatten(loss) if isinstance(loss, (list, tuple, dict)) else [loss]:
            if item is not None:
                losses.get(item)  # fail now on an unknown name, not in fit()
        self._compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        # As Keras 3: no "compile_metrics" entry in `metrics` without metrics.
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics, model=self) \
            if metrics is not None or weighted_metrics is not None else None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.jit_compile = jit_compile
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.loss = loss
        # What get_compile_config() serializes (model.save keeps the compile state).
        self._compile_args = dict(loss=loss, loss_weights=loss_weights, metrics=metrics,
                                  weighted_metrics=weighted_metrics,
                                  run_eagerly=run_eagerly,
                                  steps_per_execution=steps_per_execution,
                                  jit_compile=jit_compile)
        self.compiled = True
        self._validated = False
        self._step_functions = {}
        self._output_loss_trackers = {}

    def _require_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{what}()`.")

    # -- metrics -------------------------------------------------------------------------
    @property
    def metrics(self):
        """The model's metrics, as Keras 3 lists them: the loss tracker, the
        compiled metrics (one "compile_metrics" entry whose result is a dict),
        the per-output loss trackers, then metrics held by attributes of the
        model (`self.loss_tracker = keras.metrics.Mean(name="loss")`) and of
        its layers. fit() and evaluate() reset these at the start of each
        epoch; a subclass may override this property to list its own."""
        out = []
        if self.compiled:
            if self._loss_tracker is not None:
                out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            # Kept across steps: a compiled step updates the objects it was traced with.
            out += list(getattr(self, "_output_loss_trackers", {}).values())
        layer_metrics = getattr(super(), "metrics", None)  # Layer.metrics
        for metric in layer_metrics or []:
            if all(metric is not known for known in out):
                out.append(metric)
        return out

    @property
    def metrics_names(self):
        """Names of `metrics` (Keras 3: "loss", "compile_metrics", ...)."""
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        """Reset the state of every metric in `metrics`."""
        for m in self.metrics:
            m.reset_state()

    def get_metrics_result(self):
        """name -> current value of every metric in `metrics` (a metric whose
        result is a dict contributes its entries): Python floats, or tensors
        inside a compiled step (which the loop reads back afterwards)."""
        from kerasx.variables import Variable

        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, Variable):  # `return self.count` in a user's metric
                result = result.value
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return logs if host_draws.tracing() else _pythonify(logs)

    def _get_metrics_result_or_logs(self, logs):
        """The metrics' results when a step returned the same names (the
        default steps), else the step's own logs (a custom train_step), as
        Keras 3 does at the end of an epoch."""
        metric_logs = self.get_metrics_result()
        if isinstance(logs, dict) and set(logs) == set(metric_logs):
            return metric_logs
        return _pythonify(logs) if isinstance(logs, dict) else logs

    # -- execution mode ------------------------------------------------------------
    @property
    def run_eagerly(self):
        return getattr(self, "_run_eagerly", False)

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        self._step_functions = {}

    @property
    def jit_compile(self):
        return getattr(self, "_jit_compile", "auto")

    @jit_compile.setter
    def jit_compile(self, value):
        if value not in (True, False, "auto"):
            raise ValueError(f"`jit_compile` must be True, False or 'auto'; received {value!r}.")
        self._jit_compile = value
        self._step_functions = {}

    def _step_function(self, kind):
        """The train, test or predict step for the compiled execution mode."""
        fn = self._step_functions.get(kind)
        if fn is None:
            step = {"train": self.train_step, "test": self.test_step,
                    "predict": self.predict_step}[kind]
            fn = step if self.run_eagerly else StepFunction(step, self.jit_compile)
            self._step_functions[kind] = fn
        return fn

    def _batch_to_tensors(self, batch):
        """(x, y, sample_weight) of NumPy data as tensors: what a compiled step takes."""
        ops = get_ops()
        x, y, sample_weight = batch

        def convert(t):
            if t is None or ops.is_tensor(t):
                return t
            arr = np.asarray(t)
            if arr.dtype.kind in "iu" and arr.dtype.name not in ("int32", "int64"):
                arr = arr.astype("int64" if arr.dtype.itemsize >= 4 else "int32")
            return ops.convert_to_tensor(arr)

        return (self._convert_inputs(x), tree.map_structure(convert, y),
                tree.map_structure(convert, sample_weight))

    def _run_step(self, kind, batch):
        if kind == "predict":
            data = (self._convert_inputs(batch[0]),)
        else:
            # Steps receive x, (x,), (x, y) or (x, y, sample_weight), as in Keras 3.
            x, y, sample_weight = self._batch_to_tensors(batch)
            data = (x if not isinstance(x, (list, tuple)) else (x,)) if y is None else \
                (x, y) if sample_weight is None else (x, y, sample_weight)
        out = self._step_function(kind)(data)
        return out if kind == "predict" else _pythonify(out)

    # -- one step ---------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: compiled losses plus `self.losses`
        (regularization and add_loss terms). Subclasses may override it
        (with or without the `training` argument, as in Keras 3).

        Raises:
            ValueError: when there is no loss at all (no compiled loss and no
                add_loss/regularization term).
        """
        ops = get_ops()
        total, parts = None, []
        if self._compile_loss is not None:
            if self._compile_loss.losses is None:
                self._compile_loss.build(self, y_pred)
            total, parts = self._compile_loss(y, y_pred, sample_weight)
        for extra in self.losses:
            extra = ops.cast(extra, ops.dtype(total)) if total is not None and \
                ops.dtype(extra) != ops.dtype(total) else extra
            total = extra if total is None else ops.add(total, extra)
        if total is None:
            raise ValueError("No loss to compute: pass `loss` to compile() or add losses "
                             "with add_loss().")
        self._last_output_losses = parts
        return total

    def _targets_as_tensors(self, y, y_pred):
        ops = get_ops()
        preds = tree.flatten(y_pred)
        if y is None:
            return None

        def convert(t, like):
            if t is None:
                return None
            if ops.is_tensor(t):
                floating = ops.dtype(t).startswith("float")
                return ops.cast(t, ops.dtype(like)) if floating and \
                    ops.dtype(t) != ops.dtype(like) else t
            arr = np.asarray(t)
            if arr.dtype.kind == "f":
                return ops.convert_to_tensor(arr, dtype=ops.dtype(like))
            if arr.dtype.kind in "iu" and arr.dtype.name not in ("int32", "int64"):
                # uint8 labels (Keras's datasets) and other narrow ints.
                arr = arr.astype("int64" if arr.dtype.itemsize >= 4 else "int32")
            return ops.convert_to_tensor(arr)

        if isinstance(y, dict):
            names = self._compile_loss.names if self._compile_loss else list(y)
            by_name = dict(zip(names, preds))
            return {k: convert(v, by_name.get(k, preds[0])) for k, v in y.items()}
        if isinstance(y, (list, tuple)):
            return [convert(t, p) for t, p in zip(y, preds)]
        return convert(y, preds[0])

    def _sample_weights(self, sample_weight, y_pred):
        ops = get_ops()
        if sample_weight is None:
            return None
        dtype = ops.dtype(tree.flatten(y_pred)[0])

        def convert(w):
            if w is None:
                return None
            if ops.is_tensor(w):
                return w if ops.dtype(w) == dtype else ops.cast(w, dtype)
            return ops.convert_to_tensor(np.asarray(w), dtype)

        return tree.map_structure(convert, sample_weight)

    def _batch_size(self, x):
        first = tree.flatten(x)[0]
        ops = get_ops()
        return int((ops.shape(first) if ops.is_tensor(first) else np.shape(first))[0])

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        """compute_loss, also when a subclass overrides it without `training`."""
        takes_training = _TAKES_TRAINING.get(type(self))
        if takes_training is None:  # once per class: inspect costs ~35 us a step
            import inspect
            takes_training = "training" in inspect.signature(self.compute_loss).parameters
            _TAKES_TRAINING[type(self)] = takes_training
        if takes_training:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics with a batch and return
        `get_metrics_result()` (the logs of the step). Subclasses may
        override it, as in Keras 3; the default steps call it."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def train_step(self, data):
        """One optimisation step on a batch (`x`, `(x,)`, `(x, y)` or
        `(x, y, sample_weight)`, as Keras 3 passes it); returns the logs.
        Subclasses may override it (custom training: keras.ops,
        `self.compute_loss`, `self.optimizer.apply`, `self.metrics`)."""
        ops = get_ops()
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        trainable = self.trainable_variables
        captured = {}

        def loss_fn():
            y_pred = self(x, training=True)
            y_t = self._targets_as_tensors(y, y_pred)
            sw = self._sample_weights(sample_weight, y_pred)
            captured.update(y_pred=y_pred, y=y_t, sw=sw)
            loss = self._compute_loss(x, y_t, y_pred, sw, training=True)
            captured["loss"] = loss
            # As Keras: the gradients are of the scaled loss (loss_scale_factor,
            # LossScaleOptimizer); the logs show the unscaled one.
            return self.optimizer.scale_loss(loss)

        _, grads = value_and_grad(loss_fn, [v.native for v in trainable])
        loss = captured["loss"]
        if not getattr(self.optimizer, "skips_non_finite_steps", False):
            loss = nan_if_gradients_nan(loss, grads)
        self.optimizer.apply(grads, trainable)
        y_pred = tree.map_structure(ops.stop_gradient, captured["y_pred"])
        self._update_metrics(loss, captured["y"], y_pred, captured["sw"],
                             self._batch_size(x))
        return self.compute_metrics(x, captured["y"], y_pred, captured["sw"])

    def test_step(self, data):
        """Loss and metrics of a batch without updating weights (data as in
        train_step)."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        y_t = self._targets_as_tensors(y, y_pred)
        sw = self._sample_weights(sample_weight, y_pred)
        loss = self._compute_loss(x, y_t, y_pred, sw, training=False)
        self._update_metrics(loss, y_t, y_pred, sw, self._batch_size(x))
        return self.compute_metrics(x, y_t, y_pred, sw)

    def predict_step(self, data):
        """The model's outputs on a batch (`x` or `(x,)`)."""
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _update_metrics(self, loss, y, y_pred, sample_weight, batch_size):
        """Update the loss tracker and the per-output loss trackers (the
        compiled metrics are updated by compute_metrics)."""
        from kerasx import metrics as metrics_module

        self._loss_tracker.update_state(loss, sample_weight=batch_size)
        parts = getattr(self, "_last_output_losses", [])
        if len([p for p in parts if p is not None]) > 1:
            trackers = self.__dict__.setdefault("_output_loss_trackers", {})
            for name, value in zip(self._compile_loss.names, parts):
                if value is not None:
                    key = f"{name}_loss"
                    if key not in trackers:
                        trackers[key] = metrics_module.Mean(name=key)
                    trackers[key].update_state(value, sample_weight=batch_size)

    # -- loops -------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model for `epochs` epochs; returns the History.

        `x` may be anything kerasx.trainers.data_adapters accepts (arrays and
        tensors or nests of them, tf.data.Dataset, torch DataLoader / Dataset,
        PyDataset, generators); so may `validation_data` (or a tuple
        `(x_val, y_val[, sample_weight_val])` of arrays).

        Raises:
            RuntimeError: if the model is not compiled.
            ValueError: for an unsupported data type, empty data, a
                batch_size, steps_per_epoch or validation_steps that is not a
                positive integer, validation_split outside [0, 1), data whose
                shapes or dtypes do not fit the model's inputs, or targets
                that do not fit the loss (all before any update).
        """
        self._require_compiled("fit")
        verbose = 1 if verbose == "auto" else verbose
        from kerasx import config
        if config.max_epochs() and config.max_epochs() < epochs:  # a debugging cap
            warnings.warn(f"Limiting epochs to {config.max_epochs()}")
            epochs = config.max_epochs()
        data_adapters.check_validation_split(validation_split)
        if validation_split and validation_data is None:
            if not array_data_adapter.can_convert_arrays((x, y, sample_weight)):
                raise ValueError("`validation_split` is only supported for arrays and tensors; "
                                 f"received x of type {type(x).__name__}. Pass "
                                 "`validation_data` instead.")
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (x, y, sample_weight), validation_split)
        if class_weight is not None and sample_weight is not None:
            raise ValueError("Pass either `class_weight` or `sample_weight`, not both.")
        adapter = data_adapters.get_data_adapter(
            x, y, sample_weight, batch_size, shuffle, steps_per_epoch,
            class_weight=class_weight, steps_name="steps_per_epoch")
        val_adapter = None
        if validation_data is not None:
            if isinstance(validation_data, (tuple, list)):
                vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data)
            else:
                vx, vy, vsw = validation_data, None, None
            val_adapter = data_adapters.get_data_adapter(
                vx, vy, vsw, validation_batch_size or batch_size, False, validation_steps,
                steps_name="validation_steps")

        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs,
                                     steps=adapter.steps_per_epoch())
        self.stop_training = False
        self._initial_epoch, self._initial_step = None, 0
        callback_list.on_train_begin({})
        # A callback (BackupAndRestore) may ask to resume at an epoch and step.
        if self._initial_epoch is not None:
            initial_epoch = self._initial_epoch
        resume_epoch, resume_step = initial_epoch, self._initial_step
        self._initial_epoch, self._initial_step = None, 0
        logs = {}
        try:
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                adapter.on_epoch_begin()
                callback_list.on_epoch_begin(epoch, {})
                steps_run = 0
                for step, batch in enumerate(adapter.batches()):
                    steps_run += 1
                    if epoch == resume_epoch and step < resume_step:
                        continue  # done before the interruption; the batch order is kept
                    self._validate_once(batch)
                    callback_list.on_train_batch_begin(step, {})
                    logs = self._run_step("train", batch)
                    callback_list.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
                adapter.on_epoch_end()
                if steps_run == 0:
                    if epoch == initial_epoch:
                        raise ValueError("fit() received no batches: the training data is "
                                         "empty.")
                    break  # a generator exhausted by the previous epochs
                epoch_logs = logs_utils.sorted_logs(self._get_metrics_result_or_logs(logs))
                if val_adapter is not None and (epoch + 1) % validation_freq == 0:
                    # The callbacks see the validation's on_test_* hooks, as in Keras 3.
                    val_logs = self._run_evaluation(val_adapter, callback_list,
                                                    what="validation_data")
                    epoch_logs = logs_utils.with_validation(epoch_logs, val_logs)
                callback_list.on_epoch_end(epoch, epoch_logs)
                logs = epoch_logs
                if self.stop_training or adapter.exhausted:
                    break
        finally:
            adapter.close()
            if val_adapter is not None:
                val_adapter.close()
        if self.optimizer is not None and epochs > initial_epoch:
            # As Keras: with use_ema, the weights take their moving averages.
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callback_list.on_train_end(logs)
        return callback_list.history

    def _validate_once(self, batch):
        if self._validated:
            return
        if type(self).train_step is not Trainer.train_step or \
                type(self).test_step is not Trainer.test_step:
            # A custom step (a GAN) need not call the model on x; Keras 3
            # leaves the checks to it.
            self._validated = True
            return
        x, y, sample_weight = batch
        validate_inputs(self, x)
        from kerasx.random.seed_generator import states_restored
        from kerasx.variables import writes_discarded
        # A checking call only: metric updates inside layers (endpoint layers)
        # and random draws must not count.
        with writes_discarded(), states_restored():
            y_pred = self(x, training=False)
        validate_targets(self, y, y_pred, sample_weight)
        self._validated = True

    def _run_evaluation(self, adapter, callback_list, what="the data"):
        self.reset_metrics()
        callback_list.on_test_begin({})
        adapter.on_epoch_begin()
        steps_run = 0
        for step, batch in enumerate(adapter.batches()):
            steps_run += 1
            self._validate_once(batch)
            callback_list.on_test_batch_begin(step, {})
            logs = self._run_step("test", batch)
            callback_list.on_test_batch_end(step, logs)
        adapter.on_epoch_end()
        if steps_run == 0:
            raise ValueError(f"Evaluation received no batches: {what} is empty (or a "
                             "generator already exhausted).")
        logs = logs_utils.sorted_logs(self._get_metrics_result_or_logs(logs))
        callback_list.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """Loss and metrics on the data: a scalar, a list (the loss, the
        compiled metrics, then the other names sorted, as Keras 3), or a dict
        with return_dict=True.

        Raises:
            ValueError: as fit() does for bad data, batch_size or steps.
        """
        self._require_compiled("evaluate")
        verbose = 1 if verbose == "auto" else verbose
        adapter = data_adapters.get_data_adapter(x, y, sample_weight, batch_size, False,
                                                 steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1,
                                     steps=adapter.steps_per_epoch())
        try:
            logs = self._run_evaluation(adapter, callback_list)
        finally:
            adapter.close()
        return logs if return_dict else self._flatten_logs(logs)

    def _flatten_logs(self, logs):
        # Keras 3 lists the names of its metric objects first: the loss, the
        # compiled metrics (whose objects carry no output prefix, so with
        # several outputs they fall to the sorted rest), the per-output losses.
        compile_loss = self._compile_loss
        outputs = len(compile_loss.names) if compile_loss is not None and \
            compile_loss.names else len(getattr(self, "outputs", None) or [None])
        names = []
        for metric in self.metrics:
            if metric is self._compile_metrics:
                names += [m.name for m in metric.metrics] if outputs == 1 else []
            else:
                names.append(metric.name)
        return logs_utils.flatten_logs(logs, names)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on `x`, as NumPy arrays (batches concatenated).

        Raises:
            ValueError: as fit() does for bad data, batch_size or steps.
        """
        ops = get_ops()
        verbose = 1 if verbose == "auto" else verbose
        adapter = data_adapters.get_data_adapter(x, None, None, batch_size, False, steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1,
                                     steps=adapter.steps_per_epoch())
        callback_list.on_predict_begin({})
        outputs = []
        try:
            adapter.on_epoch_begin()
            for step, (bx, _, _) in enumerate(adapter.batches()):
                if step == 0:
                    validate_inputs(self, bx)
                callback_list.on_predict_batch_begin(step, {})
                out = self._run_step("predict", (bx, None, None))
                outputs.append(tree.map_structure(ops.to_numpy, out))
                callback_list.on_predict_batch_end(step, {"outputs": out})
            adapter.on_epoch_end()
        finally:
            adapter.close()
        callback_list.on_predict_end({})
        if not outputs:
            raise ValueError("predict() received no batches: the data is empty.")
        first = outputs[0]
        flat = [np.concatenate(parts, axis=0)
                for parts in zip(*[tree.flatten(o) for o in outputs])]
        return tree.pack_sequence_as(first, flat)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One training step on one batch; returns that batch's loss and
        metrics (the metrics are reset first, as in Keras 3).

        Raises:
            ValueError: for data that is not arrays or tensors, or an empty batch.
        """
        self._require_compiled("train_on_batch")
        batch = data_adapters.single_batch(x, y, sample_weight, class_weight)
        self._validate_once(batch)
        self.reset_metrics()
        logs = logs_utils.sorted_logs(self._run_step("train", batch))
        return logs if return_dict else self._flatten_logs(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics of one batch (the metrics are reset first).

        Raises:
            ValueError: for data that is not arrays or tensors, or an empty batch.
        """
        self._require_compiled("test_on_batch")
        batch = data_adapters.single_batch(x, y, sample_weight)
        self._validate_once(batch)
        self.reset_metrics()
        logs = logs_utils.sorted_logs(self._run_step("test", batch))
        return logs if return_dict else self._flatten_logs(logs)

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as NumPy arrays."""
        batch = data_adapters.single_batch(x)
        out = self._run_step("predict", batch)
        return tree.map_structure(get_ops().to_numpy, out)
