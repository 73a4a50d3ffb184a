"""A subclassed Model with a custom Layer (a learned per-feature gate).

    KERASX_BACKEND=tensorflow python examples/subclassed_model.py [--epochs 5]
"""
import argparse

import kerasx as keras
from kerasx import layers, ops

from _data import load_images


class Gate(layers.Layer):
    """y = x * sigmoid(g), with one learned gate g per feature."""

    def build(self, input_shape):
        self.gate = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                    name="gate")

    def call(self, inputs):
        return ops.multiply(inputs, ops.sigmoid(self.gate))


class GatedClassifier(keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.flatten = layers.Flatten()
        self.gate = Gate()
        self.hidden = layers.Dense(64, activation="relu")
        self.dropout = layers.Dropout(0.2)
        self.out = layers.Dense(classes, activation="softmax")

    def call(self, inputs, training=None):
        x = self.gate(self.flatten(inputs))
        return self.out(self.dropout(self.hidden(x), training=training))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(5)
    (x_train, y_train), (x_test, y_test), name = load_images(args.limit)
    model = GatedClassifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=64, epochs=args.epochs, verbose=2)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"{name} on {keras.backend.backend()}: test accuracy {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    main()
