"""Keras 2 step API that Keras 3 keeps as deprecated shims
(`self.compiled_loss(...)`, `self.compiled_metrics.update_state(...)`), for
custom train steps written in the Keras 2 style."""
import warnings


class DeprecatedStepShims:
    """Mixed into Trainer: each shim warns and does what Keras 3's does."""

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Deprecated (Keras 3 too): use `compute_loss`."""
        warnings.warn("`model.compiled_loss()` is deprecated. Instead, use "
                      "`model.compute_loss(x, y, y_pred, sample_weight, training)`.",
                      stacklevel=2)
        return self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=sample_weight)

    @property
    def compiled_metrics(self):
        """Deprecated (Keras 3 too): `compiled_metrics.update_state(y, y_pred)`
        updates every metric of `metrics` (Mean trackers with y_pred)."""
        model = self

        class _DeprecatedCompiledMetrics:
            def update_state(self, y, y_pred, sample_weight=None):
                from kerasx.metrics import Mean
                warnings.warn("`model.compiled_metrics()` is deprecated. Instead, use "
                              "`for metric in self.metrics: metric.update_state(y, "
                              "y_pred)`.", stacklevel=2)
                for metric in model.metrics:
                    if isinstance(metric, Mean):
                        metric.update_state(y_pred, sample_weight=sample_weight)
                    else:
                        metric.update_state(y, y_pred, sample_weight=sample_weight)

        return _DeprecatedCompiledMetrics()
