"""Asset files of a .keras archive (assets/<layer path>/...), which Keras 3
writes for layers whose state is not a tensor (the adapted vocabularies of
StringLookup, IntegerLookup and TextVectorization). kerasx reads them on
load; it writes none (those layers keep their vocabulary in the config)."""
import os
import tempfile

from kerasx.saving import weights_h5
from kerasx.saving.errors import LoadingError

#: The most bytes of asset files read for one model.
MAX_ASSET_BYTES = 256 * 1024 * 1024
PREFIX = "assets/"


def load_assets(model, archive):
    """Give every layer with a `load_assets(dir_path)` method the files
    stored under its path, copied to a temporary folder.

    Raises:
        LoadingError: assets larger than MAX_ASSET_BYTES in total.
    """
    names = [n for n in archive.members if n.startswith(PREFIX) and not n.endswith("/")]
    if not names:
        return
    budget = MAX_ASSET_BYTES
    for path, obj in weights_h5.saveables(model, include_optimizer=False):
        if not callable(getattr(obj, "load_assets", None)):
            continue
        prefix = f"{PREFIX}{path}/" if path else PREFIX
        mine = [n for n in names if n.startswith(prefix) and "/" not in n[len(prefix):]]
        if not mine:
            continue
        with tempfile.TemporaryDirectory() as folder:
            for name in mine:
                size = archive.members[name].file_size
                if size > budget:
                    raise LoadingError(f"The asset files of {archive.path} exceed "
                                       f"{MAX_ASSET_BYTES} bytes; refusing to read them.")
                budget -= size
                with open(os.path.join(folder, name[len(prefix):]), "wb") as f:
                    f.write(archive.read(name, size))
            obj.load_assets(folder)
