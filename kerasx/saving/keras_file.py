"""The .keras zip archive: metadata.json, config.json, model.weights.h5.

Writing uses zipfile with stored (uncompressed) members, as Keras does.
Reading treats the archive as hostile: every member name is checked (no
absolute paths, no `..`, no backslashes, no duplicates), sizes declared in
the central directory are compared with caps and with the archive's own size
before anything is read, reads are bounded, and JSON must be strict UTF-8.
Every problem raises LoadingError.
"""
import json
import os
import posixpath
import zipfile

from kerasx.saving.errors import LoadingError

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"

MAX_MEMBERS = 4096
MAX_CONFIG_BYTES = 32 << 20
MAX_METADATA_BYTES = 1 << 20
#: The weights member may not declare more than this many bytes beyond the
#: model's own variables (HDF5 headers: about 1-2 KiB per group/dataset).
WEIGHTS_OVERHEAD_BYTES = 64 << 20


def write(fileobj, config, metadata, weights):
    """Write the archive into a binary file object."""
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(METADATA, json.dumps(metadata).encode("utf-8"))
        zf.writestr(CONFIG, json.dumps(config).encode("utf-8"))
        zf.writestr(WEIGHTS, weights)


def check_member_name(name):
    """Refuse names that could escape a directory if extracted."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or (
            len(name) > 1 and name[1] == ":") or posixpath.isabs(name):
        raise LoadingError(f"Not allowed: archive member name {name!r} is absolute or "
                           "malformed.")
    if ".." in name.split("/"):
        raise LoadingError(f"Not allowed: archive member name {name!r} contains '..'.")
    if len(name) > 4096:
        raise LoadingError("Not allowed: an archive member name is absurdly long.")


class KerasArchive:
    """A .keras file opened for reading (use as a context manager)."""

    def __init__(self, path):
        self.path = os.fspath(path)
        try:
            self.size = os.path.getsize(self.path)
            self._file = open(self.path, "rb")
        except OSError as exc:
            raise LoadingError(f"Cannot open {self.path}: {exc}") from exc
        try:
            self.zip = zipfile.ZipFile(self._file, "r")
            infos = self.zip.infolist()
        except Exception as exc:  # BadZipFile, EOFError, ValueError, OverflowError...
            self._file.close()
            raise LoadingError(f"{self.path} is not a valid .keras file (a zip archive): "
                               f"{type(exc).__name__}: {exc}") from exc
        try:
            self._check(infos)
        except BaseException:
            self.close()
            raise
        self.members = {info.filename: info for info in infos}

    def _check(self, infos):
        if len(infos) > MAX_MEMBERS:
            raise LoadingError(f"{self.path} has {len(infos)} members; refusing to read "
                               f"more than {MAX_MEMBERS}.")
        names = set()
        for info in infos:
            check_member_name(info.filename)
            if info.filename in names:
                raise LoadingError(f"{self.path} holds member {info.filename!r} twice.")
            names.add(info.filename)
            if info.compress_size > self.size:
                raise LoadingError(f"Member {info.filename!r} declares {info.compress_size} "
                                   f"stored bytes, more than the whole file "
                                   f"({self.size}); the archive is corrupt.")
            if info.flag_bits & 0x1:
                raise LoadingError(f"Member {info.filename!r} is encrypted.")

    def has(self, name):
        return name in self.members

    def read(self, name, max_bytes):
        """The bytes of member `name`, refusing more than `max_bytes`."""
        info = self.members.get(name)
        if info is None:
            raise LoadingError(f"{self.path} is not a complete .keras file: member "
                               f"{name!r} is missing.")
        if info.file_size > max_bytes:
            raise LoadingError(f"Member {name!r} declares {info.file_size} bytes, more "
                               f"than the {max_bytes} allowed; refusing to read it.")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise LoadingError(f"Member {name!r} has inconsistent sizes; the archive is "
                               "corrupt.")
        try:
            with self.zip.open(info, "r") as f:
                data = f.read(max_bytes + 1)
        except Exception as exc:  # BadZipFile (CRC), zlib.error, EOFError, ...
            raise LoadingError(f"Member {name!r} of {self.path} is corrupt or truncated: "
                               f"{type(exc).__name__}: {exc}") from exc
        if len(data) != info.file_size:
            raise LoadingError(f"Member {name!r} of {self.path} is truncated.")
        return data

    def read_json(self, name, max_bytes):
        return parse_json(self.read(name, max_bytes), name)

    def close(self):
        try:
            self.zip.close()
        except Exception:
            pass
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def parse_json(data, what):
    """Strict UTF-8 JSON, LoadingError otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadingError(f"{what} is not valid UTF-8 ({exc}).") from exc
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LoadingError(f"{what} is not valid JSON ({exc}).") from exc
