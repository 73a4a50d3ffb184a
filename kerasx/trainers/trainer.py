"""compile / fit / evaluate / predict and the *_on_batch methods of keras.Model."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.callbacks.callback_list import CallbackList
from kerasx.engine import tree
from kerasx.ops.gradients import value_and_grad
from kerasx.random import host_draws
from kerasx.trainers import data_adapters
from kerasx.trainers.compile_utils import CompileLoss, CompileMetrics
from kerasx.trainers.input_validation import validate_inputs, validate_targets
from kerasx.trainers.step_function import StepFunction


def _to_float(value):
    return float(np.asarray(get_ops().to_numpy(value)))


def _pythonify(logs):
    """Logs with tensors read back as Python floats (a compiled step returns
    tensors)."""
    ops = get_ops()
    return {k: _to_float(v) if ops.is_tensor(v) else v for k, v in logs.items()}


class Trainer:
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
        for item in tree.flatten(loss) if isinstance(loss, (list, tuple, dict)) else [loss]:
            if item is not None:
                losses.get(item)  # fail now on an unknown name, not in fit()
        self._compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics)
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
        """The loss tracker and compiled metrics, in log order."""
        out = [self._loss_tracker] if self._loss_tracker is not None else []
        if self._compile_metrics is not None:
            out += self._compile_metrics.metrics
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        # The per-output loss trackers are kept (a compiled step updates the
        # objects it was traced with), only their state is reset.
        for m in self.metrics + list(getattr(self, "_output_loss_trackers", {}).values()):
            m.reset_state()

    def get_metrics_result(self):
        """name -> current value of every metric: Python floats, or tensors
        inside a compiled step (which the loop reads back afterwards)."""
        logs = {m.name: m.result() for m in self.metrics}
        for name, tracker in getattr(self, "_output_loss_trackers", {}).items():
            logs[name] = tracker.result()
        return logs if host_draws.tracing() else _pythonify(logs)

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
            data = self._batch_to_tensors(batch)
        out = self._step_function(kind)(data)
        return out if kind == "predict" else _pythonify(out)

    # -- one step ---------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: compiled losses plus `self.losses`
        (regularization and add_loss terms)."""
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

    def train_step(self, data):
        """One optimisation step on a batch; returns the logs."""
        ops = get_ops()
        x, y, sample_weight = data
        trainable = self.trainable_variables
        captured = {}

        def loss_fn():
            y_pred = self(x, training=True)
            y_t = self._targets_as_tensors(y, y_pred)
            sw = self._sample_weights(sample_weight, y_pred)
            captured.update(y_pred=y_pred, y=y_t, sw=sw)
            return self.compute_loss(x, y_t, y_pred, sw, training=True)

        loss, grads = value_and_grad(loss_fn, [v.native for v in trainable])
        self.optimizer.apply(grads, trainable)
        y_pred = tree.map_structure(ops.stop_gradient, captured["y_pred"])
        self._update_metrics(loss, captured["y"], y_pred, captured["sw"],
                             self._batch_size(x))
        return self.get_metrics_result()

    def test_step(self, data):
        """Loss and metrics of a batch without updating weights."""
        x, y, sample_weight = data
        y_pred = self(x, training=False)
        y_t = self._targets_as_tensors(y, y_pred)
        sw = self._sample_weights(sample_weight, y_pred)
        loss = self.compute_loss(x, y_t, y_pred, sw, training=False)
        self._update_metrics(loss, y_t, y_pred, sw, self._batch_size(x))
        return self.get_metrics_result()

    def predict_step(self, data):
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data) if isinstance(data, tuple) \
            else (data, None, None)
        return self(x, training=False)

    def _update_metrics(self, loss, y, y_pred, sample_weight, batch_size):
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
        if y is None or self._compile_metrics is None:
            return
        targets = self._compile_loss.targets(y) if self._compile_loss else tree.flatten(y)
        if not self._compile_metrics.built:
            self._compile_metrics.build(self, targets, y_pred)
        self._compile_metrics.update(targets, y_pred, sample_weight)

    # -- loops -------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model for `epochs` epochs; returns the History.

        Raises:
            RuntimeError: if the model is not compiled.
            ValueError: for data whose shapes or dtypes do not fit the model's
                inputs, or targets that do not fit the loss (before training).
        """
        self._require_compiled("fit")
        verbose = 1 if verbose == "auto" else verbose
        if validation_split and validation_data is None:
            if not isinstance(x, (np.ndarray, list, tuple, dict)):
                raise ValueError("validation_split is only supported for array inputs; "
                                 "pass validation_data for generators and PyDatasets.")
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (x, y, sample_weight), validation_split)
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("Pass either `class_weight` or `sample_weight`, not both.")
            if isinstance(y, (list, tuple, dict)) and len(tree.flatten(y)) > 1:
                raise ValueError("class_weight is not supported for models with several "
                                 "outputs; use sample_weight.")
            sample_weight = data_adapters.class_weight_to_sample_weight(y, class_weight)
        adapter = data_adapters.get_data_adapter(x, y, sample_weight, batch_size, shuffle,
                                                 steps_per_epoch)
        val_adapter = None
        if validation_data is not None:
            vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data)
            val_adapter = data_adapters.get_data_adapter(
                vx, vy, vsw, validation_batch_size or batch_size, False, validation_steps)

        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs,
                                     steps=adapter.steps_per_epoch())
        self.stop_training = False
        self._initial_epoch, self._initial_step = None, 0
        callback_list.on_train_begin()
        # A callback (BackupAndRestore) may ask to resume at an epoch and step.
        if self._initial_epoch is not None:
            initial_epoch = self._initial_epoch
        resume_epoch, resume_step = initial_epoch, self._initial_step
        self._initial_epoch, self._initial_step = None, 0
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            for step, batch in enumerate(adapter.batches()):
                if epoch == resume_epoch and step < resume_step:
                    continue  # done before the interruption; the batch order is kept
                self._validate_once(batch)
                callback_list.on_train_batch_begin(step)
                logs = self._run_step("train", batch)
                callback_list.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            adapter.on_epoch_end()
            epoch_logs = self.get_metrics_result()
            if val_adapter is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._run_evaluation(val_adapter, CallbackList([]))
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            logs = epoch_logs
            if self.stop_training or getattr(adapter, "exhausted", False):
                break
        callback_list.on_train_end(logs)
        return callback_list.history

    def _validate_once(self, batch):
        if self._validated:
            return
        x, y, sample_weight = batch
        validate_inputs(self, x)
        y_pred = self(x, training=False)
        validate_targets(self, y, y_pred, sample_weight)
        self._validated = True

    def _run_evaluation(self, adapter, callback_list):
        self.reset_metrics()
        callback_list.on_test_begin()
        for step, batch in enumerate(adapter.batches()):
            self._validate_once(batch)
            callback_list.on_test_batch_begin(step)
            logs = self._run_step("test", batch)
            callback_list.on_test_batch_end(step, logs)
        logs = self.get_metrics_result()
        callback_list.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """Loss and metrics on the data: a scalar, a list in `metrics_names`
        order, or a dict with return_dict=True."""
        self._require_compiled("evaluate")
        verbose = 1 if verbose == "auto" else verbose
        adapter = data_adapters.get_data_adapter(x, y, sample_weight, batch_size, False,
                                                 steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1,
                                     steps=adapter.steps_per_epoch())
        logs = self._run_evaluation(adapter, callback_list)
        return logs if return_dict else self._flatten_logs(logs)

    def _flatten_logs(self, logs):
        values = [logs[name] for name in self.metrics_names if name in logs]
        values += [v for k, v in logs.items() if k not in self.metrics_names]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on `x`, as NumPy arrays (batches concatenated)."""
        ops = get_ops()
        verbose = 1 if verbose == "auto" else verbose
        adapter = data_adapters.get_data_adapter(x, None, None, batch_size, False, steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1,
                                     steps=adapter.steps_per_epoch())
        callback_list.on_predict_begin()
        outputs = []
        for step, (bx, _, _) in enumerate(adapter.batches()):
            if step == 0:
                validate_inputs(self, bx)
            callback_list.on_predict_batch_begin(step)
            out = self._run_step("predict", (bx, None, None))
            outputs.append(tree.map_structure(ops.to_numpy, out))
            callback_list.on_predict_batch_end(step, {"outputs": out})
        callback_list.on_predict_end()
        if not outputs:
            raise ValueError("predict() received no data.")
        first = outputs[0]
        flat = [np.concatenate(parts, axis=0)
                for parts in zip(*[tree.flatten(o) for o in outputs])]
        return tree.pack_like(first, flat)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One training step on one batch; returns the (running) logs."""
        self._require_compiled("train_on_batch")
        if class_weight is not None:
            sample_weight = data_adapters.class_weight_to_sample_weight(y, class_weight)
        batch = next(data_adapters.ArrayDataAdapter(
            x, y, sample_weight, batch_size=self._batch_size(x)).batches())
        self._validate_once(batch)
        logs = self._run_step("train", batch)
        return logs if return_dict else self._flatten_logs(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics of one batch."""
        self._require_compiled("test_on_batch")
        batch = next(data_adapters.ArrayDataAdapter(
            x, y, sample_weight, batch_size=self._batch_size(x)).batches())
        logs = self._run_step("test", batch)
        return logs if return_dict else self._flatten_logs(logs)

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as NumPy arrays."""
        out = self._run_step("predict", (x, None, None))
        return tree.map_structure(get_ops().to_numpy, out)
