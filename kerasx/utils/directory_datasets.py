"""image_dataset_from_directory and text_dataset_from_directory
(keras.utils; audio_dataset_from_directory, in audio_dataset.py, builds on
them), returning kerasx BatchedDatasets where Keras 3 returns
tf.data.Datasets: the same files, labels, split and (without shuffling)
order; with shuffling the file order is Keras's first permutation (Keras
then also passes the files through tf.data's shuffle buffer)."""
import numpy as np

from kerasx import config
from kerasx.utils import directory_index as index
from kerasx.utils import image_resize
from kerasx.utils.batched_dataset import BatchedDataset

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                  "gaussian", "mitchellcubic")


def build_datasets(paths, labels, class_names, label_mode, validation_split, subset, load,
                   batch_size, directory, what, padded=False):
    """BatchedDatasets of `load(path)` (with encoded labels unless
    label_mode is None) for the files of `subset` ("both": a [training,
    validation] list); `padded` zero-pads each batch's samples to the
    longest. `what` names the files in the error for an empty part.

    Raises:
        ValueError: a part without files.
    """
    num_classes = len(class_names) if class_names else 0

    def make(part_paths, part_labels):
        def sample(i):
            x = load(part_paths[i])
            if not label_mode:
                return x
            return x, index.encode_label(int(part_labels[i]), label_mode, num_classes)

        dataset = BatchedDataset(sample, len(part_paths), batch_size, class_names, padded)
        dataset.file_paths = list(part_paths)
        return dataset

    subsets = ("training", "validation") if subset == "both" else (subset,)
    out = []
    for part in subsets:
        part_paths, part_labels = index.split(paths, labels, validation_split, part)
        if not part_paths:
            kind = {"training": "training ", "validation": "validation "}.get(
                part, "") if subset == "both" else ""
            raise ValueError(f"No {kind}{what} found in directory {directory}.")
        out.append(make(part_paths, part_labels))
    return out if subset == "both" else out[0]


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True):
    """Images from class sub-folders, as keras.utils.image_dataset_from_directory.

    Images (.bmp, .gif, .jpeg, .jpg, .png; decoded with Pillow) are resized
    to `image_size` as tf.image.resize does ("bilinear" or "nearest"), as
    float32 arrays (uint8 for "nearest", as TensorFlow keeps the decoded
    dtype there) of shape (height, width, channels), channels first if
    `data_format` says so. Labels: int32 ("int"), one-hot float32
    ("categorical"), float32 (1,) ("binary") or none (label_mode None).
    Colour images read with color_mode="grayscale" are converted by Pillow,
    whose rounding may differ from TensorFlow's decoder by one grey level.

    Returns:
        A kerasx `BatchedDataset` (PyDataset) of NumPy batches, with
        `class_names` and `file_paths`; a [training, validation] list for
        subset="both".

    Raises:
        ValueError: for bad arguments (Keras's messages), an interpolation
            other than "bilinear"/"nearest", pad_to_aspect_ratio (not
            supported), or a folder without images.
    """
    index.check_labels_arg(labels, label_mode, class_names, "image")
    if labels is None or label_mode is None:
        labels = label_mode = None
    channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if channels is None:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size}")
    interpolation = interpolation.lower()
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Argument `interpolation` should be one of {INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation}")
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError("kerasx's image_dataset_from_directory resizes with "
                         f"interpolation 'bilinear' or 'nearest'; received {interpolation!r}.")
    if pad_to_aspect_ratio:
        raise ValueError("image_dataset_from_directory(pad_to_aspect_ratio=True) is not "
                         "supported by kerasx yet; use crop_to_aspect_ratio=True or resize "
                         "without keeping the aspect ratio.")
    index.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index.index_directory(
        directory, labels, formats=IMAGE_FORMATS, class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={class_names}")
    data_format = data_format or config.image_data_format()
    from kerasx.utils.image_utils import img_to_array, load_img
    mode = {"rgb": "rgb", "rgba": "rgba", "grayscale": "grayscale"}[color_mode]

    def load(path):
        image = img_to_array(load_img(path, color_mode=mode), data_format="channels_last",
                             dtype="uint8")
        if crop_to_aspect_ratio:
            image = image_resize.center_crop_to_aspect(image, image_size)
        # tf.image.resize keeps uint8 for "nearest" and gives float32 otherwise.
        image = image_resize.resize(image, image_size, interpolation).astype(
            "uint8" if interpolation == "nearest" else "float32")
        return image.transpose(2, 0, 1) if data_format == "channels_first" else image

    return build_datasets(paths, labels, class_names, label_mode, validation_split, subset,
                          load, batch_size, directory, "images")


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """Text files (.txt) from class sub-folders, as
    keras.utils.text_dataset_from_directory: each sample is the file's bytes
    (cut to `max_length` bytes), as Keras's tf.string values are; batches are
    NumPy object arrays of bytes (TextVectorization and StringLookup accept
    them).

    Returns:
        A kerasx `BatchedDataset` (PyDataset) with `class_names`; a
        [training, validation] list for subset="both".

    Raises:
        ValueError: for bad arguments (Keras's messages) or a folder without
            text files.
    """
    index.check_labels_arg(labels, label_mode, class_names, "text")
    if labels is None or label_mode is None:
        labels = label_mode = None
    index.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index.index_directory(
        directory, labels, formats=(".txt",), class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={class_names}")

    def load(path):
        with open(path, "rb") as f:
            data = f.read()
        text = np.empty((), dtype=object)
        text[()] = data if max_length is None else data[:max_length]
        return text

    return build_datasets(paths, labels, class_names, label_mode, validation_split, subset,
                          load, batch_size, directory, "text files")
