"""Atomic file replacement: write to a temporary file in the target's
directory, flush it to disk, then rename it over the target.

A process killed at any moment leaves either the old complete file or the
new complete file at the target (plus, at worst, a stray temporary file whose
name starts with ".<target name>.tmp-").
"""
import contextlib
import os
import tempfile


def _fsync_dir(dirname):
    try:
        fd = os.open(dirname or ".", os.O_RDONLY)
    except OSError:
        return  # e.g. platforms without directory file descriptors
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path, overwrite=True):
    """Context manager yielding a binary file object; on a clean exit its
    content replaces `path` atomically, on an exception nothing changes.

    Raises:
        FileExistsError: when `path` exists and `overwrite` is False.
    """
    path = os.fspath(path)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False.")
    dirname = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.tmp-", dir=dirname)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(dirname)


def write_bytes_atomic(path, data, overwrite=True):
    """Write `data` to `path` atomically."""
    with atomic_write(path, overwrite=overwrite) as f:
        f.write(data)
