"""get_file: download a file once into the Keras cache, as keras.utils.get_file.

The cache is `$KERAS_HOME` when that variable is set, else `~/.keras` (or
`/tmp/.keras` when the home folder is not writable), exactly as Keras, so
files Keras already downloaded are reused.
"""
import hashlib
import os
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile


class DownloadError(OSError):
    """A file is not in the cache and could not be downloaded."""


def keras_home():
    """The Keras base folder: $KERAS_HOME, else ~/.keras (or /tmp/.keras)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def cache_dir_for(cache_subdir="datasets", cache_dir=None, create=True):
    """The folder get_file stores into."""
    base = os.path.expanduser(cache_dir if cache_dir is not None else keras_home())
    if create:
        try:
            os.makedirs(base, exist_ok=True)
        except OSError:
            pass
        if not os.access(base, os.W_OK):
            base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(),
                                ".keras")
    datadir = os.path.join(base, cache_subdir)
    if create:
        os.makedirs(datadir, exist_ok=True)
    return datadir


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """The hex digest of a file: "sha256" (the default) or "md5"."""
    hasher = hashlib.md5() if algorithm == "md5" else hashlib.sha256()
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's sha256 (64 hex digits) or md5 matches `file_hash`."""
    if algorithm == "auto":
        algorithm = "sha256" if len(str(file_hash)) == 64 else "md5"
    return hash_file(fpath, algorithm, chunk_size) == str(file_hash)


def _download(url, target):
    """Fetch `url` into `target` (tests replace this function)."""
    urllib.request.urlretrieve(url, target)


def _extract(archive, into):
    os.makedirs(into, exist_ok=True)
    root = os.path.realpath(into)
    if tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                dest = os.path.realpath(os.path.join(into, member.name))
                if os.path.commonpath([root, dest]) != root or member.issym() \
                        or member.islnk():
                    raise ValueError(f"Refusing to extract {member.name!r} from {archive}: "
                                     "it points outside the target folder.")
            tar.extractall(into)
        return True
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                dest = os.path.realpath(os.path.join(into, name))
                if os.path.commonpath([root, dest]) != root:
                    raise ValueError(f"Refusing to extract {name!r} from {archive}: it "
                                     "points outside the target folder.")
            zf.extractall(into)
        return True
    return False


def get_file(fname=None, origin=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None,
             force_download=False, untar=False, md5_hash=None):
    """Path of `fname` in the cache, downloading it from `origin` first when
    it is absent (or its hash does not match).

    Args:
        fname: file name in the cache (default: the URL's last part).
        origin: the URL.
        file_hash: expected sha256 (or md5) of the downloaded file.
        cache_subdir: sub-folder of the cache ("datasets").
        extract: the file is an archive (tar or zip) to extract; returns the
            extraction folder.
        cache_dir: instead of $KERAS_HOME / ~/.keras.
        force_download: download even when cached.

    Raises:
        DownloadError: when the file is absent and cannot be downloaded; the
            message says where to put the file by hand.
        ValueError: when the downloaded file's hash does not match.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to '
                         "download).")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = cache_dir_for(cache_subdir, cache_dir)
    fname = os.fspath(fname) if fname else os.path.basename(
        urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'."
                         " Please specify the `fname` argument.")
    if os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To "
                         "specify the file's parent directory, use the `cache_dir` "
                         f"argument. Received: fname={fname}")
    extract = extract or untar
    if extract:
        if "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[:fname.find('.')]}_extracted")
        else:
            target = os.path.join(datadir, f"{fname}_archive")
            extraction_dir = os.path.join(datadir, fname)
    else:
        target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(
            target, file_hash, hash_algorithm):
        print(f"A local file was found, but it seems to be incomplete or outdated because "
              f"its hash does not match the original value of {file_hash} so we will "
              "re-download the data.")
        download = True

    if download:
        print(f"Downloading data from {origin}")
        partial = target + ".part"
        try:
            _download(origin, partial)
        except (Exception, KeyboardInterrupt) as e:
            if os.path.exists(partial):
                os.remove(partial)
            if isinstance(e, KeyboardInterrupt):
                raise
            raise DownloadError(
                f"{fname!r} is not in the cache ({datadir}) and could not be downloaded "
                f"from {origin} ({type(e).__name__}: {e}). To use it offline, download "
                f"{origin} on a machine with network access and copy it to {target} "
                "(the cache folder is $KERAS_HOME/" + cache_subdir + " when KERAS_HOME "
                "is set, else ~/.keras/" + cache_subdir + ").") from e
        if file_hash is not None and not validate_file(partial, file_hash, hash_algorithm):
            os.remove(partial)
            raise ValueError(f"Incomplete or corrupted file downloaded from {origin}: its "
                             f"hash does not match the expected value of {file_hash}.")
        os.replace(partial, target)

    if extract:
        if download or not os.path.isdir(extraction_dir) or not os.listdir(extraction_dir):
            if not _extract(target, extraction_dir):
                raise ValueError(f"Could not extract archive {target}.")
        return extraction_dir
    return target
