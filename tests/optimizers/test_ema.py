"""Optimizer(use_ema=True) against Keras 3: the moving averages (slots named
"<var>_average", before the optimizer's own slots), the overwrite every
`ema_overwrite_frequency` steps, and fit's final overwrite."""
import numpy as np
import pytest

import kerasx
from tests.optimizers import optimizer_parity as parity

CASES = {
    "adam_ema": lambda m: m.Adam(learning_rate=0.05, use_ema=True, ema_momentum=0.9),
    "sgd_ema_overwrite": lambda m: m.SGD(learning_rate=0.1, momentum=0.5, use_ema=True,
                                         ema_momentum=0.8, ema_overwrite_frequency=3),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_apply_matches_keras(backend, case, dtype):
    grads = parity.gradients(dtype, steps=7)
    parity.compare(parity.keras_run(CASES[case], dtype, grads),
                   parity.kerasx_run(CASES[case], dtype, grads), dtype)


def test_fit_ends_with_the_averages_as_keras(backend, tmp_path):
    parity.fit_and_save(CASES["sgd_ema_overwrite"], tmp_path)


def test_swap_ema_weights_matches_keras(backend):
    """SwapEMAWeights evaluates with the averages and trains on the raw
    weights, as Keras's callback."""
    import keras

    x, y = parity.data()
    results = []
    for lib in (keras, kerasx):
        model = parity.dense_model(lib, CASES["adam_ema"])
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                            validation_data=(x[:8], y[:8]),
                            callbacks=[lib.callbacks.SwapEMAWeights(swap_on_epoch=True)])
        results.append((history.history, model.get_weights()))
    (k_hist, k_weights), (x_hist, x_weights) = results
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(x_hist[key], k_hist[key], rtol=1e-5)
    for want, have in zip(k_weights, x_weights):
        np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)


def test_swap_ema_weights_around_predict(backend):
    x, y = parity.data()
    model = parity.dense_model(kerasx, CASES["adam_ema"])
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    raw = model.get_weights()
    averages = [np.array(v.numpy()) for v in model.optimizer._model_variables_moving_average]
    swap = kerasx.callbacks.SwapEMAWeights()
    with_averages = model.predict(x, verbose=0, callbacks=[swap])
    model.set_weights(averages)
    np.testing.assert_allclose(with_averages, model.predict(x, verbose=0), rtol=1e-6)
    model.set_weights(raw)
    model.predict(x, verbose=0, callbacks=[swap])
    for want, have in zip(raw, model.get_weights()):  # raw weights restored
        np.testing.assert_array_equal(have, want)
    with pytest.raises(ValueError, match="use_ema=True"):
        plain = parity.dense_model(kerasx, lambda m: m.SGD())
        plain.fit(x, y, verbose=0, validation_data=(x, y),
                  callbacks=[kerasx.callbacks.SwapEMAWeights()])
