"""TensorBoard, as keras.callbacks.TensorBoard: event files that TensorBoard
reads, written with the `tensorboard` package's protos and record writer (no
framework import: the files are the same on every backend)."""
import itertools
import os
import socket
import time

import numpy as np

from kerasx.callbacks.callback import Callback

_FILE_COUNTER = itertools.count()


def _tensorboard():
    """The tensorboard modules the writer needs, or a clear error."""
    try:
        from tensorboard.compat.proto import event_pb2, summary_pb2
        from tensorboard.plugins.histogram import metadata as histogram_metadata
        from tensorboard.plugins.scalar import metadata as scalar_metadata
        from tensorboard.summary.writer.record_writer import RecordWriter
        from tensorboard.util import tensor_util
    except ImportError as exc:
        raise ImportError(
            "keras.callbacks.TensorBoard needs the `tensorboard` package to write "
            "event files: `pip install tensorboard`.") from exc
    return event_pb2, summary_pb2, scalar_metadata, histogram_metadata, RecordWriter, \
        tensor_util


class _EventWriter:
    """One event file in `logdir`, in the format tf.summary writes: a
    "brain.Event:2" header event, then one event per summary (TF2 tensor
    summaries with the scalars or histograms plugin's metadata)."""

    def __init__(self, logdir):
        (self._event_pb2, self._summary_pb2, self._scalar_metadata,
         self._histogram_metadata, record_writer, self._tensor_util) = _tensorboard()
        os.makedirs(logdir, exist_ok=True)
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}."
                f"{os.getpid()}.{next(_FILE_COUNTER)}.v2")
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "wb")
        self._records = record_writer(self._file)
        self._write(self._event_pb2.Event(wall_time=time.time(),
                                          file_version="brain.Event:2"))

    def _write(self, event):
        self._records.write(event.SerializeToString())

    def _summary(self, tag, tensor, metadata, step):
        value = self._summary_pb2.Summary.Value(tag=tag, metadata=metadata)
        value.tensor.CopyFrom(self._tensor_util.make_tensor_proto(tensor))
        self._write(self._event_pb2.Event(wall_time=time.time(), step=int(step),
                                          summary=self._summary_pb2.Summary(value=[value])))

    def scalar(self, tag, value, step):
        """A float32 scalar, as tf.summary.scalar."""
        metadata = self._scalar_metadata.create_summary_metadata(display_name=None,
                                                                 description=None)
        self._summary(tag, np.asarray(float(value), dtype="float32"), metadata, step)

    def histogram(self, tag, values, step, buckets=30):
        """A histogram of `values`: (left edge, right edge, count) rows, as
        tf.summary.histogram (`buckets` equal-width buckets; one bucket when
        all values are equal)."""
        values = np.asarray(values, dtype="float64").reshape(-1)
        if values.size == 0:
            table = np.zeros((buckets, 3))
        else:
            low, high = float(values.min()), float(values.max())
            if low == high:
                table = np.zeros((buckets, 3))
                table[:, 0], table[:, 1] = low, high
                table[-1, 2] = values.size
            else:
                counts, edges = np.histogram(values, bins=buckets, range=(low, high))
                table = np.stack([edges[:-1], edges[1:], counts], axis=1)
        metadata = self._histogram_metadata.create_summary_metadata(display_name=None,
                                                                    description=None)
        self._summary(tag, table, metadata, step)

    def flush(self):
        self._records.flush()

    def close(self):
        self._records.close()


class TensorBoard(Callback):
    """Write training logs as TensorBoard event files, as Keras 3 does.

    `log_dir/train` gets `epoch_<metric>` scalars (and `epoch_learning_rate`)
    at each epoch's index, `batch_<metric>` scalars every `update_freq`
    batches at the global batch number, and, with `histogram_freq`, a
    histogram of every weight (`<weight path>/histogram`).
    `log_dir/validation` gets the validation metrics as `epoch_<metric>` and,
    after each evaluation, `evaluation_<metric>_vs_iterations` at the
    optimizer's step.

    One deliberate difference: with an integer `update_freq`, Keras 3 also
    drops the epoch-level summaries of epochs whose last global batch number
    is not a multiple of it (its batch-level `record_if` condition stays
    active); kerasx writes every epoch's summaries.

    Args:
        log_dir: the directory of the event files ("logs").
        histogram_freq: write weight histograms every this many epochs (0: no).
        write_graph: accepted for compatibility; kerasx runs no TensorFlow
            graph to draw, so none is written.
        write_images: must be False (weight images are not written).
        write_steps_per_second: also log `epoch_steps_per_second` (and
            `batch_steps_per_second` with batch-level logging).
        update_freq: "epoch", "batch" (= 1) or an int: write batch-level
            scalars every this many batches.
        profile_batch: must be 0 (kerasx has no profiler hook).
        embeddings_freq: must be 0 (the projector is not written).
        embeddings_metadata: must be None.

    Raises:
        ValueError: for write_images, profile_batch, embeddings_freq or
            embeddings_metadata set, or an invalid update_freq.
        ImportError: when the `tensorboard` package is missing (at the first
            write), naming it.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False, update_freq="epoch",
                 profile_batch=0, embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        unsupported = {"write_images": (write_images, False),
                       "profile_batch": (profile_batch, 0),
                       "embeddings_freq": (embeddings_freq, 0),
                       "embeddings_metadata": (embeddings_metadata, None)}
        for arg, (value, default) in unsupported.items():
            if value != default and value not in (None, False, 0, (0, 0), "0,0"):
                raise ValueError(f"kerasx's TensorBoard callback does not support "
                                 f"{arg}={value!r} (use the default, {default!r}).")
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and not (isinstance(update_freq, int)
                                           and update_freq > 0):
            raise ValueError("update_freq must be 'epoch', 'batch' or a positive int. "
                             f"Received: update_freq={update_freq!r}")
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start_time = 0.0
        self._previous_epoch_iterations = 0

    # -- writers ---------------------------------------------------------------
    def set_model(self, model):
        """Set the model; the event files are written under `log_dir`."""
        super().set_model(model)
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._close_writers()

    def _writer(self, key):
        # Created on first use, as Keras (no empty files).
        if key not in self._writers:
            self._writers[key] = _EventWriter(self._train_dir if key == "train"
                                              else self._val_dir)
        return self._writers[key]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # -- hooks -------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and logs:
            step = int(np.asarray(optimizer.iterations))
            writer = self._writer("val")
            for name, value in logs.items():
                if _is_scalar(value):
                    writer.scalar(f"evaluation_{name}_vs_iterations", value, step)
            writer.flush()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = time.time() - self._batch_start_time
            writer.scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-12),
                          self._global_train_batch)
        if isinstance(logs, dict):
            for name, value in logs.items():
                if _is_scalar(value):
                    writer.scalar(f"batch_{name}", value, self._global_train_batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = int(np.asarray(self.model.optimizer.iterations))
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    # -- what is written ---------------------------------------------------------
    def _learning_rates(self):
        """{"learning_rate": lr}, or {"learning_rate_<name>": lr} per
        sub-optimizer of a MultiOptimizer (Keras's tags)."""
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if optimizer is None:
            return {}
        subs = getattr(optimizer, "optimizers", None)
        if isinstance(subs, (list, tuple)):
            return {f"learning_rate_{opt.name}": float(np.asarray(opt.learning_rate))
                    for opt in subs}
        return {"learning_rate": float(np.asarray(optimizer.learning_rate))}

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        train_logs.update(self._learning_rates())
        if self.write_steps_per_second:
            steps = int(np.asarray(self.model.optimizer.iterations)) - \
                self._previous_epoch_iterations
            train_logs["steps_per_second"] = steps / max(time.time() -
                                                         self._epoch_start_time, 1e-12)
        for key, group in (("train", train_logs), ("val", val_logs)):
            if group:
                writer = self._writer(key)
                for name, value in group.items():
                    if _is_scalar(value):
                        writer.scalar(f"epoch_{name}", value, epoch)
                writer.flush()

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                writer.histogram(f"{name}/histogram", weight.numpy(), epoch)
        writer.flush()


def _is_scalar(value):
    try:
        return np.size(np.asarray(value)) == 1
    except Exception:  # a non-numeric log entry (a dict of compile metrics...)
        return False
