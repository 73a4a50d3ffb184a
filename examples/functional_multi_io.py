"""A functional model with two inputs and two outputs: classify a digit and
regress its mean ink, from the image and a noisy hint of the label.

    KERASX_BACKEND=torch python examples/functional_multi_io.py [--epochs 5]
"""
import argparse

import numpy as np

import kerasx as keras
from kerasx import layers

from _data import load_images


def build_model(image_shape):
    image = keras.Input(image_shape, name="image")
    hint = keras.Input((10,), name="hint")
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(image)
    x = layers.AveragePooling2D(2)(x)
    x = layers.Flatten()(x)
    h = layers.Dense(16, activation="relu")(hint)
    joined = layers.Concatenate()([x, h])
    features = layers.Dense(64, activation="relu")(joined)
    digit = layers.Dense(10, activation="softmax", name="digit")(features)
    ink = layers.Dense(1, name="ink")(layers.Add()([layers.Dense(32)(x),
                                                    layers.Dense(32)(features)]))
    return keras.Model(inputs={"image": image, "hint": hint},
                       outputs={"digit": digit, "ink": ink})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(3)
    (x_train, y_train), (x_test, y_test), name = load_images(args.limit)
    rng = np.random.default_rng(0)

    def hints(y):
        noisy = np.where(rng.random(len(y)) < 0.5, y, rng.integers(0, 10, len(y)))
        return keras.utils.to_categorical(noisy, 10)

    def targets(x, y):
        return {"digit": y, "ink": x.mean(axis=(1, 2, 3))[:, None]}

    model = build_model(x_train.shape[1:])
    model.compile(optimizer="adam",
                  loss={"digit": "sparse_categorical_crossentropy", "ink": "mse"},
                  loss_weights={"digit": 1.0, "ink": 10.0},
                  metrics={"digit": ["accuracy"], "ink": ["mae"]})
    model.fit({"image": x_train, "hint": hints(y_train)}, targets(x_train, y_train),
              batch_size=64, epochs=args.epochs, verbose=2)
    results = model.evaluate({"image": x_test, "hint": hints(y_test)},
                             targets(x_test, y_test), verbose=0, return_dict=True)
    print(f"{name} on {keras.backend.backend()}: " +
          ", ".join(f"{k} {v:.4f}" for k, v in sorted(results.items())))
    return results


if __name__ == "__main__":
    main()
