from kerasx.layers.preprocessing.center_crop import CenterCrop
from kerasx.layers.preprocessing.normalization import Normalization
from kerasx.layers.preprocessing.random_brightness import RandomBrightness
from kerasx.layers.preprocessing.random_contrast import RandomContrast
from kerasx.layers.preprocessing.random_crop import RandomCrop
from kerasx.layers.preprocessing.random_flip import RandomFlip
from kerasx.layers.preprocessing.random_grayscale import RandomGrayscale
from kerasx.layers.preprocessing.random_hue import RandomHue
from kerasx.layers.preprocessing.random_rotation import RandomRotation
from kerasx.layers.preprocessing.random_shear import RandomShear
from kerasx.layers.preprocessing.random_translation import RandomTranslation
from kerasx.layers.preprocessing.random_zoom import RandomZoom
from kerasx.layers.preprocessing.rescaling import Rescaling
from kerasx.layers.preprocessing.resizing import Resizing

__all__ = ["CenterCrop", "Normalization", "RandomBrightness", "RandomContrast", "RandomCrop",
           "RandomFlip", "RandomGrayscale", "RandomHue", "RandomRotation", "RandomShear",
           "RandomTranslation", "RandomZoom", "Rescaling", "Resizing"]
