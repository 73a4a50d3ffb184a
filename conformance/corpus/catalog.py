"""The corpus's programs and what each declares in its header comment:

    # backends: all                    (or a list: tensorflow, torch, mxnet)
    # keras3: tensorflow, torch        (the Keras 3 backends that run it; or: no)
    # needs: tensorflow                (optional: packages it imports itself)
    # quick: yes                       (optional: part of the fast CI subset)
"""
import dataclasses
import os

PROGRAMS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")
KERASX_BACKENDS = ("tensorflow", "torch", "mxnet")
KERAS3_BACKENDS = ("tensorflow", "torch")
_KEYS = ("backends", "keras3", "needs", "quick")


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    path: str
    backends: tuple   # kerasx backends it is written for
    keras3: tuple     # Keras 3 backends that run it unchanged
    needs: tuple      # importable packages it requires
    quick: bool


def _names(value, allowed, what, path):
    value = value.strip().lower()
    if value == "all":
        return tuple(allowed)
    if value in ("no", "none", ""):
        return ()
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValueError(f"{path}: unknown {what} {unknown} in its header; expected "
                         f"'all', 'no' or names from {list(allowed)}.")
    return names


def parse(path):
    """The Program declared by the header comment of the file at `path`.

    Raises:
        ValueError: when the header lacks `# backends:` or `# keras3:` or names
            an unknown backend.
    """
    fields = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            stripped = line.strip()
            if not stripped.startswith("#"):
                if stripped.startswith(("import", "from")):
                    break  # the header ends where the code starts
                continue
            key, sep, value = stripped[1:].partition(":")
            if sep and key.strip() in _KEYS:
                fields[key.strip()] = value
    for key in ("backends", "keras3"):
        if key not in fields:
            raise ValueError(f"{path}: its header must declare '# {key}: ...' "
                             f"(see conformance/corpus/catalog.py).")
    return Program(
        name=os.path.splitext(os.path.basename(path))[0], path=path,
        backends=_names(fields["backends"], KERASX_BACKENDS, "backend", path),
        keras3=_names(fields["keras3"], KERAS3_BACKENDS, "Keras 3 backend", path),
        needs=tuple(v.strip() for v in fields.get("needs", "").split(",") if v.strip()),
        quick=fields.get("quick", "").strip().lower() in ("yes", "true", "1"))


def programs(directory=PROGRAMS_DIR):
    """Every program of the corpus, sorted by name."""
    return [parse(os.path.join(directory, name)) for name in sorted(os.listdir(directory))
            if name.endswith(".py") and not name.startswith("_")]


def select(all_programs, names=None, quick=False):
    """The programs named (all when `names` is empty), the quick ones only if asked.

    Raises:
        ValueError: for a name that is not in the corpus.
    """
    by_name = {p.name: p for p in all_programs}
    if names:
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise ValueError(f"Unknown corpus programs {unknown}; the corpus has: "
                             f"{', '.join(sorted(by_name))}.")
        chosen = [by_name[n] for n in names]
    else:
        chosen = list(all_programs)
    return [p for p in chosen if p.quick] if quick else chosen
