"""Writes data/draw_bounding_boxes_keras.npz: Keras 3's
keras.visualization.draw_bounding_boxes outputs (it draws with OpenCV,
which the test environment does not install) for the cases in
test_draw_bounding_boxes.CASES.

    PYTHONPATH=<dir with cv2> python -m tests.visualization.make_draw_reference
"""
import os

import numpy as np


def main():
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import cv2
    import keras

    from tests.visualization.test_draw_bounding_boxes import CASES, case_inputs

    out = {"opencv_version": np.array(cv2.__version__),
           "keras_version": np.array(keras.__version__)}
    for name in CASES:
        images, boxes, kwargs = case_inputs(name)
        out[name] = keras.visualization.draw_bounding_boxes(images, boxes, **kwargs)
    path = os.path.join(os.path.dirname(__file__), "data", "draw_bounding_boxes_keras.npz")
    np.savez_compressed(path, **out)
    print(path, sorted(out))


if __name__ == "__main__":
    main()
