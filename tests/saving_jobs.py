"""Jobs run in subprocesses by the saving tests (they are killed with SIGKILL).

    python -m tests.saving_jobs write_loop TARGET
    python -m tests.saving_jobs save_loop {save,save_weights,checkpoint} TARGET
    python -m tests.saving_jobs fit BACKUP_DIR OUT.npz KILL_AT_STEP
"""
import os
import signal
import sys

import numpy as np

STEPS_PER_EPOCH, EPOCHS = 6, 3


def write_loop(target):
    """Atomic writes of 4 MiB files, each all one byte, forever."""
    from kerasx.saving.atomic_write import write_bytes_atomic

    i = 0
    while True:
        write_bytes_atomic(target, bytes([i % 256]) * (4 << 20))
        if i == 0:
            print("READY", flush=True)
        i += 1


def small_model(keras):
    keras.random.set_global_seed(0)
    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(64),
                              keras.layers.Dense(64), keras.layers.Dense(4)])
    model.compile(optimizer="adam", loss="mse")
    return model


def save_loop(kind, target):
    """Save versions 1, 2, 3, ... of a model (every weight equal to the
    version) to `target`, forever."""
    import kerasx as keras

    model = small_model(keras)
    x = np.ones((8, 16), "float32")
    if kind == "checkpoint":
        class SetVersion(keras.callbacks.Callback):
            version = 0

            def on_train_batch_end(self, batch, logs=None):
                SetVersion.version += 1
                model.set_weights([np.full(w.shape, SetVersion.version, w.dtype)
                                   for w in model.get_weights()])
                if SetVersion.version == 2:
                    print("READY", flush=True)

        checkpoint = keras.callbacks.ModelCheckpoint(target, save_freq=1, monitor="loss")
        model.fit(x, np.zeros((8, 4), "float32"), batch_size=8, epochs=10 ** 6, verbose=0,
                  callbacks=[SetVersion(), checkpoint])
        return
    version = 0
    while True:
        version += 1
        model.set_weights([np.full(w.shape, version, w.dtype) for w in model.get_weights()])
        if kind == "save":
            model.save(target)
        else:
            model.save_weights(target)
        if version == 1:
            print("READY", flush=True)


def resume_model(keras):
    keras.random.set_global_seed(42)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dropout(0.4), keras.layers.Dense(3)])
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def resume_data():
    rs = np.random.RandomState(3)
    return rs.rand(STEPS_PER_EPOCH * 8, 5).astype("float32"), rs.randint(0, 3, 48)


def fit(keras, backup_dir=None, kill_at=None):
    """The training run that is interrupted and resumed; returns (model, history)."""
    model = resume_model(keras)
    x, y = resume_data()
    steps = [0]

    class Killer(keras.callbacks.Callback):
        def get_state(self):
            return {}

        def set_state(self, state):
            pass

        def on_train_batch_end(self, batch, logs=None):
            steps[0] += 1
            if kill_at is not None and steps[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    callbacks = [keras.callbacks.EarlyStopping("loss", patience=10)]
    if backup_dir is not None:
        callbacks.insert(0, keras.callbacks.BackupAndRestore(backup_dir, save_freq=2))
    callbacks.append(Killer())
    history = model.fit(x, y, batch_size=8, epochs=EPOCHS, verbose=0, callbacks=callbacks)
    return model, history


def main(argv):
    job = argv[0]
    if job == "write_loop":
        write_loop(argv[1])
    elif job == "save_loop":
        save_loop(argv[1], argv[2])
    elif job == "fit":
        import kerasx as keras

        kill_at = int(argv[3]) if argv[3] != "none" else None
        print("READY", flush=True)
        model, history = fit(keras, argv[1], kill_at)
        np.savez(argv[2], *model.get_weights(), loss=np.asarray(history.history["loss"]))
    else:
        raise SystemExit(f"unknown job {job}")


if __name__ == "__main__":
    main(sys.argv[1:])
