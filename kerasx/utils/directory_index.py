"""Listing a folder of class sub-folders, as Keras's dataset utilities do:
file order, labels, the seeded shuffle and the validation split are Keras's,
so kerasx's image/text datasets hold the same files in the same split."""
import os

import numpy as np

from kerasx.utils import io_utils


def _valid_files(directory, follow_links, formats):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links),
                                 key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                yield root, name


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """(file_paths, labels, class_names) of `directory`.

    With labels="inferred", each sub-folder (sorted, or the order of
    `class_names`) is a class; labels=None gives no labels; a list gives one
    label per file (in sorted path order). With `shuffle`, paths and labels
    are permuted by np.random.RandomState(seed) (Keras's permutation).

    Raises:
        ValueError: class names that are not sub-folders, or labels that do
            not match the number of files.
    """
    if labels == "inferred":
        subdirs = [d.rstrip("/") for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError("The `class_names` passed did not match the names of the "
                                 "subdirectories of the target directory. Expected: "
                                 f"{subdirs} (or a subset of it), but received: "
                                 f"class_names={class_names}")
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` "
                                 "cannot be specified.")
            raise ValueError("When argument `labels` is specified, argument `class_names` "
                             "cannot be specified (the `class_names` will be the sorted "
                             "list of labels).")
    class_names = subdirs
    filenames, found_labels = [], []
    for index, subdir in enumerate(subdirs):
        folder = os.path.join(directory, subdir)
        dirname = os.path.basename(folder)
        for root, name in _valid_files(folder, follow_links, formats):
            filenames.append(os.path.join(dirname, os.path.relpath(os.path.join(root, name),
                                                                   folder)))
            found_labels.append(index)
    if labels == "inferred":
        labels = np.asarray(found_labels, dtype="int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError("Expected the lengths of `labels` to match the number of files "
                             f"in the target directory. len(labels) is {len(labels)} while "
                             f"we found {len(filenames)} files in directory {directory}.")
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            io_utils.print_msg(f"Found {len(filenames)} files.")
        else:
            io_utils.print_msg(f"Found {len(filenames)} files belonging to "
                               f"{len(class_names)} classes.")
    paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    """Raise ValueError for an inconsistent validation_split/subset/seed."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: "
                         f"{validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and "
                         "inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must "
                         "provide a `seed` argument, to make sure that there is no "
                         "overlap between the training and validation subset.")


def split(samples, labels, validation_split, subset):
    """The training (all but the last fraction) or validation (the last
    fraction) part of `samples` and `labels`."""
    if not validation_split:
        return samples, labels
    count = int(validation_split * len(samples))
    if subset == "training":
        io_utils.print_msg(f"Using {len(samples) - count} files for training.")
        return samples[:-count], None if labels is None else labels[:-count]
    if subset == "validation":
        io_utils.print_msg(f"Using {count} files for validation.")
        return samples[-count:], None if labels is None else labels[-count:]
    raise ValueError(f'`subset` must be either "training" or "validation", received: '
                     f"{subset}")


def encode_label(label, label_mode, num_classes):
    """A label as Keras's datasets give it: int32 ("int"), float32 of shape
    (1,) ("binary") or one-hot float32 ("categorical")."""
    if label_mode == "binary":
        return np.asarray([label], dtype="float32")
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[label]
    return np.int32(label)


def check_labels_arg(labels, label_mode, class_names, what):
    """Raise ValueError for bad `labels` / `label_mode` arguments."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, "
                             f"of the same size as the number of {what} files in the "
                             "target directory. If you wish to infer the labels from the "
                             'subdirectory names in the target directory, pass `labels='
                             '"inferred"`. If you wish to get a dataset that only contains '
                             f"{what}s (no labels), pass `labels=None`. Received: "
                             f"labels={labels}")
        if class_names:
            raise ValueError('You can only pass `class_names` if `labels="inferred"`. '
                             f"Received: labels={labels}, and class_names={class_names}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode}')
