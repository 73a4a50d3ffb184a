"""A custom Callback implementing every hook and reading the keys of `logs`
(a dict in every hook, as Keras passes), self.model and self.params."""
# backends: all
# keras3: tensorflow, torch
# quick: yes
import numpy as np

import keras


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = {}

    def _record(self, hook, logs):
        assert isinstance(logs, dict), f"{hook} received logs={logs!r}"
        self.calls.setdefault(hook, []).append(sorted(logs.keys()))

    def on_train_begin(self, logs=None):
        self._record("on_train_begin", logs)
        assert self.params["epochs"] == 2 and self.params["steps"] == 4, self.params

    def on_train_end(self, logs=None): self._record("on_train_end", logs)
    def on_epoch_begin(self, epoch, logs=None): self._record("on_epoch_begin", logs)
    def on_epoch_end(self, epoch, logs=None): self._record("on_epoch_end", logs)
    def on_train_batch_begin(self, batch, logs=None): self._record("on_train_batch_begin", logs)
    def on_train_batch_end(self, batch, logs=None): self._record("on_train_batch_end", logs)
    def on_test_begin(self, logs=None): self._record("on_test_begin", logs)
    def on_test_end(self, logs=None): self._record("on_test_end", logs)
    def on_test_batch_begin(self, batch, logs=None): self._record("on_test_batch_begin", logs)
    def on_test_batch_end(self, batch, logs=None): self._record("on_test_batch_end", logs)
    def on_predict_begin(self, logs=None): self._record("on_predict_begin", logs)
    def on_predict_end(self, logs=None): self._record("on_predict_end", logs)
    def on_predict_batch_begin(self, batch, logs=None): self._record("on_predict_batch_begin", logs)
    def on_predict_batch_end(self, batch, logs=None): self._record("on_predict_batch_end", logs)


keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)
x = rng.normal(size=(64, 3)).astype("float32")
y = (x.sum(axis=1) > 0).astype("float32")
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
recorder = Recorder()
model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[recorder],
          validation_data=(x[:32], y[:32]))
model.evaluate(x, y, batch_size=32, verbose=0, callbacks=[recorder])
model.predict(x, batch_size=32, verbose=0, callbacks=[recorder])
calls = recorder.calls
assert len(calls["on_train_batch_end"]) == 8, len(calls["on_train_batch_end"])
assert calls["on_train_batch_end"][0] == ["accuracy", "loss"], calls["on_train_batch_end"][0]
assert calls["on_epoch_end"][-1] == ["accuracy", "loss", "val_accuracy", "val_loss"], \
    calls["on_epoch_end"][-1]
assert calls["on_test_end"][-1] == ["accuracy", "loss"], calls["on_test_end"][-1]
assert calls["on_predict_batch_end"][0] == ["outputs"], calls["on_predict_batch_end"][0]
assert len(calls["on_predict_batch_end"]) == 2
print(f"RESULT hooks={len(calls)} train_batches={len(calls['on_train_batch_end'])}")
