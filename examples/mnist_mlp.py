"""A multilayer perceptron on MNIST (or the offline digits), on any backend.

    KERASX_BACKEND=mxnet python examples/mnist_mlp.py [--epochs 5] [--limit N]
"""
import argparse

import kerasx as keras
from kerasx import layers

from _data import load_images


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(42)
    (x_train, y_train), (x_test, y_test), name = load_images(args.limit)
    x_train = x_train.reshape(len(x_train), -1)
    x_test = x_test.reshape(len(x_test), -1)
    model = keras.Sequential([
        keras.Input((x_train.shape[1],)),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=64, epochs=args.epochs, verbose=2,
              validation_data=(x_test, y_test))
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"{name} on {keras.backend.backend()}: test accuracy {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    main()
