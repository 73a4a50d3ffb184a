"""The wheel's package list (pyproject.toml lists its packages: the suite in
conformance/ installs as kerasx_conformance, which setuptools' find cannot
rename) matches the folders of the checkout, and the suite imports itself
only relatively, so that it works under either name."""
import os
import re
import tomllib

from tests.conftest import REPO

with open(os.path.join(REPO, "pyproject.toml"), "rb") as _f:
    SETUPTOOLS = tomllib.load(_f)["tool"]["setuptools"]


def folder_of(package):
    """The checkout folder setuptools installs `package` from."""
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        mapped = SETUPTOOLS["package-dir"].get(".".join(parts[:n]))
        if mapped:
            return os.path.join(mapped, *parts[n:])
    return os.path.join(*parts)


def shipped_folders():
    """Every folder of kerasx/, the plugins and conformance/ that holds files."""
    roots = ["kerasx", "conformance"] + [
        os.path.join("backends", d) for d in os.listdir(os.path.join(REPO, "backends"))
        if os.path.isfile(os.path.join(REPO, "backends", d, "__init__.py"))]
    found = set()
    for root in roots:
        for path, dirs, files in os.walk(os.path.join(REPO, root)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            if files:
                found.add(os.path.relpath(path, REPO))
    return found


def test_every_folder_is_a_listed_package():
    listed = {folder_of(p) for p in SETUPTOOLS["packages"]}
    missing = sorted(shipped_folders() - listed)
    assert not missing, ("add these packages to [tool.setuptools] packages in "
                         f"pyproject.toml (folders not installed): {missing}")
    absent = sorted(p for p in SETUPTOOLS["packages"]
                    if not os.path.isdir(os.path.join(REPO, folder_of(p))))
    assert not absent, f"listed in pyproject.toml but no such folder: {absent}"


def test_the_suite_and_plugins_are_mapped():
    assert folder_of("kerasx_conformance.training") == os.path.join("conformance", "training")
    assert folder_of("kerasx_torch") == os.path.join("backends", "kerasx_torch")
    assert "conformance" not in SETUPTOOLS["packages"]  # never installed under that name


def test_the_suite_imports_itself_relatively():
    absolute = re.compile(r"^\s*(from|import)\s+conformance\b", re.MULTILINE)
    offenders = []
    for path, dirs, files in os.walk(os.path.join(REPO, "conformance")):
        if os.path.basename(path) in ("programs", "site"):
            continue  # programs the corpus runs, not the suite
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    if absolute.search(f.read()):
                        offenders.append(os.path.relpath(os.path.join(path, name), REPO))
    assert not offenders, f"use relative imports (the suite installs as kerasx_conformance): " \
                          f"{offenders}"
