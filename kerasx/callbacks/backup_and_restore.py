"""BackupAndRestore: resume an interrupted fit() exactly where it stopped."""
import json
import os
import warnings

import numpy as np

from kerasx.callbacks.callback import Callback

_STATE_ATTR = "kerasx_training_state"
_ARRAYS = "kerasx_training"
_NOT_STATE = {"model", "params", "validation_data"}


class BackupAndRestore(Callback):
    """Back up the training state regularly; when `fit` is started again
    with the same arguments after an interruption (even SIGKILL), it resumes
    from the last backup and ends exactly as an uninterrupted run would, as
    keras.callbacks.BackupAndRestore (which resumes at epoch boundaries only).

    The backup is one file, `<backup_dir>/latest.weights.h5`, replaced
    atomically. It holds the weights in Keras's layout, the optimizer state,
    the epoch and step to resume at, the portable random state (the global
    generator as it was at the start of the epoch, which fixes the epoch's
    shuffling, and as it was at the backup; every layer's SeedGenerator, such
    as Dropout's), the loss tracker and metrics, and the other callbacks'
    state (their `get_state()` if they define it with `set_state(state)`,
    otherwise their JSON-able attributes and lists of arrays).

    Args:
        backup_dir: directory of the backup (created if needed).
        save_freq: "epoch" (back up at each epoch boundary) or an int N (also
            every N batches). False disables backups (only restores).
        delete_checkpoint: delete the backup when training ends normally.
        double_checkpoint: accepted for Keras compatibility; the single
            backup is already never lost thanks to the atomic replace.

    Raises:
        ValueError: for an invalid `save_freq` or an empty `backup_dir`.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and save_freq is not False and (
                not isinstance(save_freq, int) or isinstance(save_freq, bool)
                or save_freq < 1):
            raise ValueError("Invalid value for argument `save_freq`. Received: "
                             f"save_freq={save_freq}. Expected either 'epoch' or an "
                             "integer value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._callback_list = None
        self._pending = None       # the backup being restored
        self._epoch = 0
        self._epoch_rng = None
        self._batches_since_save = 0
        self._first_epoch = None

    def set_callback_list(self, callback_list):
        self._callback_list = callback_list

    # -- hooks -------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        model = self.model
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        self._first_epoch = None
        if os.path.exists(self._path):
            self._pending = self._read()
            model._initial_epoch = self._pending["epoch"]
            model._initial_step = self._pending["step"]

    def on_epoch_begin(self, epoch, logs=None):
        from kerasx.random.seed_generator import global_seed_generator

        self._epoch = epoch
        self._batches_since_save = 0
        pending = self._pending
        if pending is not None and pending["epoch"] == epoch:
            # The epoch's shuffling is drawn after this hook, from this state.
            global_seed_generator().set_state(pending["epoch_rng"])
            self._restore_callbacks(pending)
            self._epoch_rng = pending["epoch_rng"]
            self._first_epoch = epoch
            if pending["step"] == 0:
                self._restore_step_state(pending)
            return
        self._epoch_rng = global_seed_generator().get_state()
        if self._first_epoch is None:
            self._first_epoch = epoch
        elif self.save_freq is not False:
            self._save(step=0)  # every callback has finished the previous epoch

    def on_train_batch_begin(self, batch, logs=None):
        if self._pending is not None:
            self._restore_step_state(self._pending)
            return
        if isinstance(self.save_freq, int) and self.save_freq is not False \
                and batch > 0 and self._batches_since_save >= self.save_freq:
            self._save(step=batch)

    def on_train_batch_end(self, batch, logs=None):
        self._batches_since_save += 1

    def on_epoch_end(self, epoch, logs=None):
        if self._pending is not None:  # resumed after the epoch's last step
            self._restore_step_state(self._pending)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self._path):
            os.remove(self._path)

    # -- state ---------------------------------------------------------------------
    def _seed_generators(self):
        from kerasx.saving.weights_h5 import saveables, seed_generators
        return {f"{path}:{attr}": gen for path, obj in saveables(self.model, False)
                for attr, gen in seed_generators(obj).items()}

    def _other_callbacks(self):
        from kerasx.callbacks.progbar_logger import ProgbarLogger
        if self._callback_list is None:
            return []
        return [cb for cb in self._callback_list.callbacks
                if cb is not self and not isinstance(cb, ProgbarLogger)]

    def _save(self, step):
        from kerasx.random.seed_generator import global_seed_generator
        from kerasx.saving import weights_h5
        from kerasx.saving.atomic_write import atomic_write

        arrays = {}
        callbacks = []
        for i, cb in enumerate(self._other_callbacks()):
            state, cb_arrays = _callback_state(cb)
            callbacks.append({"class_name": type(cb).__name__, "state": state,
                              "arrays": sorted(cb_arrays)})
            for name, values in cb_arrays.items():
                for j, value in enumerate(values):
                    arrays[f"{_ARRAYS}/callbacks/{i}/{name}/{j}"] = value
        for i, metric in enumerate(self.model.metrics):
            for j, variable in enumerate(metric.variables):
                arrays[f"{_ARRAYS}/metrics/{i}/{j}"] = np.asarray(variable.numpy())
        state = {
            "epoch": self._epoch, "step": step,
            "epoch_rng": self._epoch_rng,
            "rng": global_seed_generator().get_state(),
            "seed_generators": {k: g.get_state()
                                for k, g in self._seed_generators().items()},
            "callbacks": callbacks,
            "metrics": [[m.name, len(m.variables)] for m in self.model.metrics],
        }
        data = weights_h5.to_bytes(self.model, extra=arrays,
                                   attrs={_STATE_ATTR: json.dumps(state)})
        os.makedirs(self.backup_dir, exist_ok=True)
        with atomic_write(self._path) as f:
            f.write(data)
        self._batches_since_save = 0

    def _read(self):
        from kerasx.saving import weights_h5
        from kerasx.saving.errors import LoadingError

        with weights_h5.open_h5(self._path) as f:
            weights_h5.assign(weights_h5.read_values(self.model, f))
            try:
                state = json.loads(f.attrs[_STATE_ATTR])
                state["_arrays"] = _read_arrays(f.get(_ARRAYS))
            except Exception as exc:
                raise LoadingError(f"The backup {self._path} has no valid training "
                                   f"state ({type(exc).__name__}: {exc}).") from exc
        return state

    def _restore_callbacks(self, pending):
        saved = pending["callbacks"]
        others = self._other_callbacks()
        if [c["class_name"] for c in saved] != [type(cb).__name__ for cb in others]:
            warnings.warn("BackupAndRestore: the callbacks differ from those of the "
                          "interrupted run; their state is not restored.", stacklevel=2)
            return
        for i, (cb, entry) in enumerate(zip(others, saved)):
            arrays = {name: pending["_arrays"].get(f"callbacks/{i}/{name}", [])
                      for name in entry["arrays"]}
            _set_callback_state(cb, entry["state"], arrays)

    def _restore_step_state(self, pending):
        from kerasx.random.seed_generator import global_seed_generator

        self._pending = None
        global_seed_generator().set_state(pending["rng"])
        generators = self._seed_generators()
        if set(generators) == set(pending["seed_generators"]):
            for key, gen in generators.items():
                gen.set_state(pending["seed_generators"][key])
        else:
            warnings.warn("BackupAndRestore: the model's random generators differ from "
                          "the backup's; they are not restored.", stacklevel=2)
        # The loss tracker, and compiled metrics when already built (they are
        # built by the first training step of the run).
        saved = {tuple(entry): i for i, entry in enumerate(pending["metrics"])}
        for metric in self.model.metrics:
            i = saved.get((metric.name, len(metric.variables)))
            if i is None:
                continue
            for j, variable in enumerate(metric.variables):
                value = pending["_arrays"].get(f"metrics/{i}/{j}")
                if value is not None and tuple(np.shape(value)) == variable.shape:
                    variable.assign(value)


def _read_arrays(group):
    """{"callbacks/0/best_weights": [arrays], "metrics/0/1": array} from the backup."""
    out = {}
    if group is None:
        return out

    def visit(name, obj):
        if hasattr(obj, "shape"):
            parent, _, index = name.rpartition("/")
            if parent.startswith("callbacks/"):
                values = out.setdefault(parent, {})
                values[int(index)] = np.asarray(obj[()])
            else:
                out[name] = np.asarray(obj[()])

    group.visititems(visit)
    for key, value in list(out.items()):
        if isinstance(value, dict):
            out[key] = [value[i] for i in sorted(value)]
    return out


def _jsonable(value):
    """(True, JSON value) for numbers, strings and nested lists/dicts of them."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True, value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return True, value.item()
    if isinstance(value, (list, tuple)):
        items = [_jsonable(v) for v in value]
        return all(ok for ok, _ in items), [v for _, v in items]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        items = {k: _jsonable(v) for k, v in value.items()}
        return all(ok for ok, _ in items.values()), {k: v for k, (_, v) in items.items()}
    return False, None


def _callback_state(cb):
    """(JSON state, {attribute: [arrays]}) of a callback."""
    if hasattr(cb, "get_state") and hasattr(cb, "set_state"):
        ok, state = _jsonable(cb.get_state())
        if not ok:
            raise ValueError(f"{type(cb).__name__}.get_state() must return JSON-able data.")
        return {"get_state": state}, {}
    state, arrays = {}, {}
    for name, value in vars(cb).items():
        if name in _NOT_STATE:
            continue
        if isinstance(value, list) and value and all(isinstance(v, np.ndarray)
                                                     for v in value):
            arrays[name] = value
            continue
        ok, converted = _jsonable(value)
        if ok:
            state[name] = converted
    return state, arrays


def _set_callback_state(cb, state, arrays):
    if "get_state" in state and hasattr(cb, "set_state"):
        cb.set_state(state["get_state"])
        return
    for name, value in state.items():
        setattr(cb, name, value)
    for name, values in arrays.items():
        setattr(cb, name, list(values))
