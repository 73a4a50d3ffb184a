"""Text classifiers on synthetic integer sequences padded with zeros:
Embedding(mask_zero=True) into LSTM, GRU and Bidirectional(LSTM); the mask
makes the padding irrelevant."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(25)
rng = np.random.default_rng(25)
n, maxlen, vocab = 256, 12, 30
lengths = rng.integers(3, maxlen + 1, n)
x = np.zeros((n, maxlen), dtype="int32")
for i, length in enumerate(lengths):
    x[i, :length] = rng.integers(1, vocab, length)
y = (np.array([(row[row > 0] > vocab // 2).mean() for row in x]) > 0.5).astype("float32")

results = {}
for name, recurrent in [("lstm", layers.LSTM(16)), ("gru", layers.GRU(16)),
                        ("bilstm", layers.Bidirectional(layers.LSTM(8)))]:
    model = keras.Sequential([keras.Input(shape=(maxlen,), dtype="int32"),
                              layers.Embedding(vocab, 8, mask_zero=True), recurrent,
                              layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0], (name, history.history)
    # More zero padding on the right does not change a masked model's output.
    padded = np.concatenate([x[:4], np.zeros((4, 5), dtype="int32")], axis=1)
    longer = keras.Sequential([keras.Input(shape=(maxlen + 5,), dtype="int32")] + model.layers)
    np.testing.assert_allclose(longer.predict(padded, verbose=0), model.predict(x[:4], verbose=0),
                               rtol=1e-4, atol=1e-5)
    results[name] = history.history["accuracy"][-1]
print("RESULT " + " ".join(f"{k}_acc={v:.3f}" for k, v in results.items()))
