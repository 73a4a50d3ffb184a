"""Preprocessing layers, as keras.layers: image (resizing, cropping,
augmentation), text and categorical (lookups, hashing, encodings), and
numerical (normalization, discretization) preprocessing."""
from kerasx.layers.preprocessing.aug_mix import AugMix
from kerasx.layers.preprocessing.auto_contrast import AutoContrast
from kerasx.layers.preprocessing.category_encoding import CategoryEncoding
from kerasx.layers.preprocessing.center_crop import CenterCrop
from kerasx.layers.preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization
from kerasx.layers.preprocessing.cut_mix import CutMix
from kerasx.layers.preprocessing.discretization import Discretization
from kerasx.layers.preprocessing.equalization import Equalization
from kerasx.layers.preprocessing.hashed_crossing import HashedCrossing
from kerasx.layers.preprocessing.hashing import Hashing
from kerasx.layers.preprocessing.integer_lookup import IntegerLookup
from kerasx.layers.preprocessing.mel_spectrogram import MelSpectrogram
from kerasx.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes
from kerasx.layers.preprocessing.mix_up import MixUp
from kerasx.layers.preprocessing.normalization import Normalization
from kerasx.layers.preprocessing.pipeline import Pipeline
from kerasx.layers.preprocessing.rand_augment import RandAugment
from kerasx.layers.preprocessing.random_brightness import RandomBrightness
from kerasx.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from kerasx.layers.preprocessing.random_color_jitter import RandomColorJitter
from kerasx.layers.preprocessing.random_contrast import RandomContrast
from kerasx.layers.preprocessing.random_crop import RandomCrop
from kerasx.layers.preprocessing.random_elastic_transform import RandomElasticTransform
from kerasx.layers.preprocessing.random_erasing import RandomErasing
from kerasx.layers.preprocessing.random_flip import RandomFlip
from kerasx.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from kerasx.layers.preprocessing.random_grayscale import RandomGrayscale
from kerasx.layers.preprocessing.random_hue import RandomHue
from kerasx.layers.preprocessing.random_invert import RandomInvert
from kerasx.layers.preprocessing.random_perspective import RandomPerspective
from kerasx.layers.preprocessing.random_posterization import RandomPosterization
from kerasx.layers.preprocessing.random_rotation import RandomRotation
from kerasx.layers.preprocessing.random_saturation import RandomSaturation
from kerasx.layers.preprocessing.random_sharpness import RandomSharpness
from kerasx.layers.preprocessing.random_shear import RandomShear
from kerasx.layers.preprocessing.random_translation import RandomTranslation
from kerasx.layers.preprocessing.random_zoom import RandomZoom
from kerasx.layers.preprocessing.rescaling import Rescaling
from kerasx.layers.preprocessing.resizing import Resizing
from kerasx.layers.preprocessing.solarization import Solarization
from kerasx.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from kerasx.layers.preprocessing.string_lookup import StringLookup
from kerasx.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "AugMix", "AutoContrast", "CategoryEncoding", "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization", "CutMix", "Discretization",
    "Equalization", "HashedCrossing", "Hashing", "IntegerLookup", "MaxNumBoundingBoxes",
    "MelSpectrogram", "MixUp", "Normalization", "Pipeline", "RandAugment", "RandomBrightness",
    "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomCrop",
    "RandomElasticTransform", "RandomErasing", "RandomFlip", "RandomGaussianBlur",
    "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective",
    "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness",
    "RandomShear", "RandomTranslation", "RandomZoom", "Rescaling", "Resizing",
    "Solarization", "STFTSpectrogram", "StringLookup", "TextVectorization",
]
