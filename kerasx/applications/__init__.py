"""Keras's application models, as `keras.applications`: the same
architectures with the same layer names and order, so that Keras's published
weight files load (`weights="imagenet"` reads them from the Keras cache,
~/.keras/models, or pass a file path), with each family's
`preprocess_input` and `decode_predictions` in its submodule."""
from kerasx.applications import (convnext, densenet, efficientnet,  # noqa: F401
                                 efficientnet_v2, imagenet_utils, inception_resnet_v2,
                                 inception_v3, mobilenet, mobilenet_v2, mobilenet_v3, nasnet,
                                 resnet, resnet50, resnet_v2, vgg16, vgg19, xception)
from kerasx.applications.convnext import (ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall,
                                          ConvNeXtTiny, ConvNeXtXLarge)
from kerasx.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from kerasx.applications.efficientnet import (EfficientNetB0, EfficientNetB1, EfficientNetB2,
                                              EfficientNetB3, EfficientNetB4, EfficientNetB5,
                                              EfficientNetB6, EfficientNetB7)
from kerasx.applications.efficientnet_v2 import (EfficientNetV2B0, EfficientNetV2B1,
                                                 EfficientNetV2B2, EfficientNetV2B3,
                                                 EfficientNetV2L, EfficientNetV2M,
                                                 EfficientNetV2S)
from kerasx.applications.inception_resnet_v2 import InceptionResNetV2
from kerasx.applications.inception_v3 import InceptionV3
from kerasx.applications.mobilenet import MobileNet
from kerasx.applications.mobilenet_v2 import MobileNetV2
from kerasx.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from kerasx.applications.nasnet import NASNetLarge, NASNetMobile
from kerasx.applications.resnet import ResNet50, ResNet101, ResNet152
from kerasx.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from kerasx.applications.vgg16 import VGG16
from kerasx.applications.vgg19 import VGG19
from kerasx.applications.xception import Xception
