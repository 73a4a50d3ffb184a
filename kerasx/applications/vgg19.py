"""VGG19 (Simonyan & Zisserman, ICLR 2015), as `keras.applications.vgg19`."""
from kerasx.applications import imagenet_utils
from kerasx.applications.vgg import vgg

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
_WEIGHTS = {True: ("vgg19_weights_tf_dim_ordering_tf_kernels.h5",
                   "cbe5617147190e668d6c5d5026f83318"),
            False: ("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "253f8cb515780f3b799900260a226db6")}


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    """The VGG19 model: 16 convolutions in 5 blocks, then (with the top) two
    4096-unit layers and the classifier. Layer names are Keras's, so Keras's
    published weights load (`weights="imagenet"` reads them from the Keras
    cache, ~/.keras/models; or pass a file path).

    Inputs are expected preprocessed by `vgg19.preprocess_input` ("caffe").

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    file_name, file_hash = _WEIGHTS[bool(include_top)]
    return vgg((2, 2, 4, 4, 4), include_top, weights, input_tensor, input_shape, pooling,
               classes, classifier_activation, name, (file_name, _BASE + file_name, file_hash))


def preprocess_input(x, data_format=None):
    """Preprocess images for VGG19: RGB to BGR, minus the ImageNet channel
    means (`imagenet_utils.preprocess_input` in "caffe" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
