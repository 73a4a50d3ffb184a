"""Serve the corpus's offline datasets at the `keras.datasets` loaders.

Active only when KERASX_CORPUS_DATASETS names a folder (the corpus runner sets
it and puts this folder on PYTHONPATH). When Keras 3's or kerasx's
`datasets.mnist` / `datasets.fashion_mnist` module is imported, its
`load_data` is replaced by one that reads <folder>/<name>.npz, so programs
call `keras.datasets.mnist.load_data()` unchanged and nothing is downloaded
(both libraries would otherwise reject a cached file whose hash is not the
official one and try to download it).
"""
import importlib.abc
import os
import sys

_FOLDER = os.environ.get("KERASX_CORPUS_DATASETS")
_MODULES = {"keras.src.datasets.mnist": "mnist",
            "keras.src.datasets.fashion_mnist": "fashion_mnist",
            "kerasx.datasets.mnist": "mnist",
            "kerasx.datasets.fashion_mnist": "fashion_mnist"}


def _loader_for(name):
    def load_data(path=None):
        """The corpus's offline copy of the dataset (the `path` is ignored)."""
        import numpy as np
        with np.load(os.path.join(_FOLDER, f"{name}.npz"), allow_pickle=False) as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    return load_data


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, name):
        self.loader, self.name = loader, name

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        module.load_data = _loader_for(self.name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _MODULES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, _MODULES[fullname])
                return spec
        return None


if _FOLDER and os.path.isdir(_FOLDER):
    sys.meta_path.insert(0, _Finder())
