"""keras.preprocessing: the image and sequence helpers and the dataset
utilities Keras 3 keeps under this name."""
from kerasx.preprocessing import image, sequence
from kerasx.utils.directory_datasets import (image_dataset_from_directory,
                                             text_dataset_from_directory)
from kerasx.utils.timeseries_utils import timeseries_dataset_from_array

__all__ = ["image", "image_dataset_from_directory", "sequence", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
