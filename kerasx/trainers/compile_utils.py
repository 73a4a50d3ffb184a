"""What compile() builds: the model's loss and metrics per output."""
from kerasx.backend import get_ops
from kerasx import tree


def _output_names(model, count):
    names = getattr(model, "output_names", None)
    if names and len(names) == count:
        return list(names)
    return [f"output_{i}" for i in range(count)] if count > 1 else ["output"]


def _per_output(spec, names, what):
    """Spread a single value, list or dict of `spec` over the output names.

    Raises:
        ValueError: for a list of the wrong length or unknown dict keys.
    """
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(names))
        if unknown:
            raise ValueError(f"{what} has keys {unknown} that match no model output; "
                             f"the outputs are {names}.")
        return [spec.get(n) for n in names]
    if isinstance(spec, (list, tuple)):
        if len(spec) != len(names):
            raise ValueError(f"{what} is a list of {len(spec)}, but the model has "
                             f"{len(names)} outputs {names}.")
        return list(spec)
    return [spec] * len(names)


def _is_variable(value):
    from kerasx.variables import Variable
    return isinstance(value, Variable)


def _as_loss(identifier):
    from kerasx import losses

    obj = losses.get(identifier)
    if isinstance(obj, losses.Loss):
        return obj
    name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", "loss")
    return losses.LossFunctionWrapper(obj, name=name)


class CompileLoss:
    """The total loss: weighted sum of each output's loss."""

    def __init__(self, loss, loss_weights=None):
        self.spec, self.weights_spec = loss, loss_weights
        self.losses = None
        self.names = None

    def build(self, model, y_pred):
        count = len(tree.flatten(y_pred))
        self.names = _output_names(model, count)
        if count == 1 and not isinstance(self.spec, dict):
            specs = [self.spec[0] if isinstance(self.spec, (list, tuple)) and
                     len(self.spec) == 1 else self.spec]
        else:
            specs = _per_output(self.spec, self.names, "loss")
        self.losses = [None if s is None else _as_loss(s) for s in specs]
        if self.weights_spec is None:
            self.weights = [1.0] * count
        elif isinstance(self.weights_spec, dict):
            self.weights = [float(self.weights_spec.get(n, 1.0)) for n in self.names]
        else:
            w = self.weights_spec if isinstance(self.weights_spec, (list, tuple)) else \
                [self.weights_spec]
            if len(w) != count:
                raise ValueError(f"loss_weights has {len(w)} entries, but the model has "
                                 f"{count} outputs.")
            self.weights = [float(v) for v in w]

    def targets(self, y_true):
        """Targets as a list in output order."""
        if isinstance(y_true, dict):
            missing = [n for n, loss in zip(self.names, self.losses)
                       if loss is not None and n not in y_true]
            if missing:
                raise ValueError(f"Targets are missing for outputs {missing}; y has keys "
                                 f"{sorted(y_true)}.")
            return [y_true.get(n) for n in self.names]
        flat = tree.flatten(y_true) if isinstance(y_true, (list, tuple)) else [y_true]
        if len(flat) != len(self.names):
            raise ValueError(f"The model has {len(self.names)} outputs {self.names}, but "
                             f"{len(flat)} target arrays were given.")
        return flat

    def __call__(self, y_true, y_pred, sample_weight=None):
        """(total, [per-output losses]) as tensors."""
        ops = get_ops()
        preds = tree.flatten(y_pred)
        trues = self.targets(y_true)
        weights = sample_weight if isinstance(sample_weight, (list, tuple)) else \
            [sample_weight] * len(preds)
        total, parts = None, []
        for loss, w, yt, yp, sw in zip(self.losses, self.weights, trues, preds, weights):
            if loss is None:
                parts.append(None)
                continue
            value = loss(yt, yp, sample_weight=sw)
            parts.append(value)
            value = ops.multiply(value, w) if w != 1.0 else value
            total = value if total is None else ops.add(total, value)
        return total, parts


class CompileMetrics:
    """The metrics of each output, resolved on the first batch (Keras resolves
    "accuracy" from the target and output shapes).

    In `model.metrics` it is one metric named "compile_metrics", as in Keras
    3: `update_state(y, y_pred, sample_weight)` takes the targets as given to
    fit (array, list or dict by output name), `result()` is a dict of the
    individual metrics' values, `reset_state()` resets them all.
    """

    name = "compile_metrics"

    def __init__(self, metrics, weighted_metrics=None, model=None):
        self.spec, self.weighted_spec = metrics, weighted_metrics
        self.entries = None  # [(output_index, metric, weighted)]
        self.model = model  # for output names and the targets' layout

    @property
    def built(self):
        return self.entries is not None

    def build(self, model, y_true_list, y_pred):
        from kerasx import metrics as metrics_module

        preds = tree.flatten(y_pred)
        names = _output_names(model, len(preds))
        prefix = len(preds) > 1
        self.entries = []
        for weighted, spec in ((False, self.spec), (True, self.weighted_spec)):
            if spec is None:
                continue
            if isinstance(spec, dict):
                per_output = _per_output(spec, names, "metrics")
            elif len(preds) > 1 and isinstance(spec, (list, tuple)) and spec and all(
                    isinstance(s, (list, tuple)) or s is None for s in spec):
                per_output = _per_output(list(spec), names, "metrics")
            else:
                per_output = [spec] * len(preds)
            for index, items in enumerate(per_output):
                if items is None:
                    continue
                for identifier in items if isinstance(items, (list, tuple)) else [items]:
                    metric = self._resolve(metrics_module, identifier, y_true_list[index],
                                           preds[index])
                    if prefix:
                        metric.name = f"{names[index]}_{metric.name}"
                    self.entries.append((index, metric, weighted))

    def _resolve(self, metrics_module, identifier, y_true, y_pred):
        """A Metric for `identifier`, named as Keras names it (the string given,
        else the object's name). "accuracy"/"acc" pick binary, sparse
        categorical or categorical accuracy from the shapes, as Keras does."""
        if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
            pred_shape = tuple(get_ops().shape(y_pred))
            true_shape = tuple(getattr(y_true, "shape", None) or
                               get_ops().shape(y_true))
            if pred_shape[-1] == 1:
                metric = metrics_module.BinaryAccuracy()
            elif len(true_shape) < len(pred_shape) or (true_shape[-1] == 1 and
                                                       pred_shape[-1] > 1):
                metric = metrics_module.SparseCategoricalAccuracy()
            else:
                metric = metrics_module.CategoricalAccuracy()
        else:
            metric = metrics_module.get(identifier)
            if isinstance(metric, type):
                metric = metric()
        name = identifier if isinstance(identifier, str) else getattr(
            metric, "name", getattr(metric, "__name__", "metric"))
        if not isinstance(metric, metrics_module.Metric):
            metric = metrics_module.MeanMetricWrapper(metric)
        metric.name = name
        return metric

    def update(self, y_true_list, y_pred, sample_weight=None):
        preds = tree.flatten(y_pred)
        weights = sample_weight if isinstance(sample_weight, (list, tuple)) else \
            [sample_weight] * len(preds)
        for index, metric, weighted in self.entries:
            metric.update_state(y_true_list[index], preds[index],
                                sample_weight=weights[index] if weighted else None)

    @property
    def metrics(self):
        return [metric for _, metric, _ in self.entries or []]

    # -- the Metric interface (Keras 3's CompileMetrics) ---------------------------
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Update every compiled metric from targets in fit()'s layout."""
        compile_loss = getattr(self.model, "_compile_loss", None)
        if compile_loss is not None and compile_loss.names is not None:
            targets = compile_loss.targets(y_true)
        elif isinstance(y_true, dict):
            names = _output_names(self.model, len(tree.flatten(y_pred)))
            targets = [y_true.get(n) for n in names]
        else:
            targets = tree.flatten(y_true) if isinstance(y_true, (list, tuple)) else [y_true]
        if not self.built:
            self.build(self.model, targets, y_pred)
        self.update(targets, y_pred, sample_weight)

    def result(self):
        """{metric name: value}; empty before the first update builds the metrics.
        A metric whose result() returns its state Variable gives the value."""
        out = {}
        for metric in self.metrics:
            value = metric.result()
            out[metric.name] = value.value if _is_variable(value) else value
        return out

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()

    @property
    def variables(self):
        return [v for metric in self.metrics for v in metric.variables]
