"""Utilities, as keras.utils."""
from kerasx.saving.registry import (get_registered_name, get_registered_object,
                                    register_keras_serializable)
from kerasx.backend import clear_session, is_keras_tensor, standardize_dtype
from kerasx.saving.serialization import (CustomObjectScope, custom_object_scope,
                                         deserialize_keras_object, get_custom_objects,
                                         serialize_keras_object)
from kerasx.utils import bounding_boxes
from kerasx.utils.audio_dataset import audio_dataset_from_directory
from kerasx.utils.config_utils import Config
from kerasx.layers.preprocessing.feature_space import FeatureSpace
from kerasx.utils.directory_datasets import (image_dataset_from_directory,
                                             text_dataset_from_directory)
from kerasx.utils.file_utils import get_file
from kerasx.utils.graph_utils import get_source_inputs
from kerasx.utils.io_utils import (disable_interactive_logging, enable_interactive_logging,
                                   is_interactive_logging_enabled)
from kerasx.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from kerasx.utils.model_visualization import model_to_dot, plot_model
from kerasx.utils.numerical_utils import normalize, to_categorical
from kerasx.utils.progbar import Progbar
from kerasx.utils.py_dataset import PyDataset, Sequence
from kerasx.utils.rng_utils import set_random_seed
from kerasx.utils.sequence_utils import pad_sequences
from kerasx.utils.split_utils import split_dataset
from kerasx.utils.timeseries_utils import timeseries_dataset_from_array
from kerasx.utils.summary_utils import print_summary


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The tuple fit() accepts for a batch: (x,), (x, y) or
    (x, y, sample_weight), as keras.utils.pack_x_y_sample_weight (a lone
    `x` that is a tuple is wrapped so it is not read as (x, y))."""
    if y is None:
        return x if not isinstance(x, tuple) else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """(x, y, sample_weight) of a batch given as x, (x,), (x, y) or
    (x, y, sample_weight), as keras.utils.unpack_x_y_sample_weight.

    Raises:
        ValueError: for a tuple of another length.
    """
    # Imported here: the trainers import kerasx.utils.
    from kerasx.trainers import data_adapters
    return data_adapters.unpack_x_y_sample_weight(data)


__all__ = ["Config", "CustomObjectScope", "FeatureSpace", "audio_dataset_from_directory",
           "bounding_boxes", "clear_session", "custom_object_scope",
           "deserialize_keras_object", "disable_interactive_logging",
           "enable_interactive_logging", "get_custom_objects", "get_source_inputs", "image_dataset_from_directory",
           "text_dataset_from_directory",
           "is_interactive_logging_enabled", "is_keras_tensor", "model_to_dot", "plot_model",
           "serialize_keras_object",
           "split_dataset", "standardize_dtype", "timeseries_dataset_from_array",
           "Progbar", "PyDataset", "Sequence", "array_to_img", "get_file", "img_to_array",
           "load_img", "save_img", "get_registered_name",
           "get_registered_object", "normalize", "pack_x_y_sample_weight", "pad_sequences",
           "print_summary", "register_keras_serializable", "set_random_seed",
           "to_categorical", "unpack_x_y_sample_weight"]
