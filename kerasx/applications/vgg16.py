"""VGG16 (Simonyan & Zisserman, ICLR 2015), as `keras.applications.vgg16`."""
from kerasx.applications import imagenet_utils
from kerasx.applications.vgg import vgg

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
_WEIGHTS = {True: ("vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                   "64373286793e3c8b2b4e3219cbf3544b"),
            False: ("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "6d6bbae143d832006294945121d1f1fc")}


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    """The VGG16 model: 13 convolutions in 5 blocks, then (with the top) two
    4096-unit layers and the classifier. Layer names are Keras's, so Keras's
    published weights load (`weights="imagenet"` reads them from the Keras
    cache, ~/.keras/models; or pass a file path).

    Inputs are expected preprocessed by `vgg16.preprocess_input` ("caffe").

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    file_name, file_hash = _WEIGHTS[bool(include_top)]
    return vgg((2, 2, 3, 3, 3), include_top, weights, input_tensor, input_shape, pooling,
               classes, classifier_activation, name, (file_name, _BASE + file_name, file_hash))


def preprocess_input(x, data_format=None):
    """Preprocess images for VGG16: RGB to BGR, minus the ImageNet channel
    means (`imagenet_utils.preprocess_input` in "caffe" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
