"""MkDocs hook: the pages written at build time from kerasx itself.

- supported-api.md: `<!-- api-coverage -->` becomes the report of `kerasx
  api-coverage` (kerasx's names against the installed Keras 3, what is
  missing and what is left out on purpose); `<!-- supported-api -->` becomes
  `supported_api()`, the public names of every kerasx module.
- reference/*.md: `<!-- reference: MODULE -->` becomes one mkdocstrings block
  per public name of MODULE, pointed at where griffe (static analysis) finds
  its documentation: its public path, where it is defined, or, for an
  operation kerasx.ops generates from the backend contract, the contract's
  method; an object made at run time (a closure) gets its signature and
  docstring from Python.

kerasx is imported (no framework is: importing kerasx imports none); a public
name without a docstring is a warning, which `mkdocs build --strict` turns
into a failed build.
"""
import importlib
import inspect
import logging
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
log = logging.getLogger("mkdocs.hooks.kerasx")

#: The modules of the supported-API page, in page order.
API_MODULES = ("kerasx", "kerasx.layers", "kerasx.models", "kerasx.ops", "kerasx.applications",
               "kerasx.activations",
               "kerasx.losses", "kerasx.metrics", "kerasx.optimizers",
               "kerasx.optimizers.schedules", "kerasx.callbacks", "kerasx.initializers",
               "kerasx.regularizers", "kerasx.constraints", "kerasx.saving", "kerasx.datasets",
               "kerasx.utils", "kerasx.random", "kerasx.config", "kerasx.preprocessing",
               "kerasx.backend", "kerasx.utils.bounding_boxes", "kerasx.visualization",
               "kerasx.quantizers", "kerasx.dtype_policies", "kerasx.mixed_precision",
               "kerasx.distillation")
#: mkdocstrings options per reference page (layers: the class and its
#: constructor; the methods every layer shares are on Layer, in kerasx.md).
REFERENCE_OPTIONS = {"kerasx.layers": {"members": False}}
_MARKER = re.compile(r"<!--\s*(api-coverage|supported-api|reference:\s*([\w.]+))\s*-->")


def _import_kerasx():
    """Import kerasx from this checkout.

    Raises:
        RuntimeError: kerasx cannot be imported here (its plugins are found
            through the installed distribution's entry points).
    """
    for path in (REPO, os.path.join(REPO, "backends")):
        if path not in sys.path:
            sys.path.insert(0, path)
    try:
        importlib.import_module("kerasx")
    except Exception as exc:
        raise RuntimeError(
            "The documentation build imports kerasx to list its public names: install "
            "this checkout with the docs extra first (pip install -e '.[docs]', or "
            f"`make docs`). Importing kerasx failed with: {exc}") from exc


def _from_kerasx(value):
    origin = value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", None)
    return (origin or "").split(".")[0] == "kerasx"


def public_names(module_name):
    """[(name, object)] of `module_name`'s public API: its `__all__`, else its
    public classes, functions and submodules that come from kerasx."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_") and (
            inspect.isclass(v) or inspect.isfunction(v) or inspect.ismodule(v))
            and _from_kerasx(v)]
    return sorted(((n, getattr(module, n)) for n in set(names)), key=lambda p: p[0].lower())


def _kind(obj):
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return type(obj).__name__


def _summary(obj):
    """The first sentence of the docstring, on one line."""
    doc = inspect.getdoc(obj) if not isinstance(obj, (int, float, str, tuple)) else None
    if not doc:
        return ""
    paragraph = " ".join(doc.split("\n\n")[0].split())
    end = paragraph.find(". ")
    return (paragraph if end < 0 else paragraph[:end + 1]).replace("|", "\\|")


def supported_api():
    """The supported-API page's body: per module, each public name with its
    kind and the first sentence of its documentation."""
    _import_kerasx()
    out = []
    total = 0
    for module_name in API_MODULES:
        names = public_names(module_name)
        total += len(names)
        out += [f"## {module_name}", "", f"{len(names)} public names.", "",
                "| name | kind | summary |", "| --- | --- | --- |"]
        out += [f"| `{name}` | {_kind(obj)} | {_summary(obj)} |" for name, obj in names]
        out.append("")
    return "\n".join([f"{total} public names in {len(API_MODULES)} modules.", ""] + out)


def api_coverage():
    """The coverage report of `kerasx api-coverage` (Markdown), its headings
    one level down so that they sit under the page's own."""
    _import_kerasx()
    from kerasx.cli import api_coverage as coverage

    return coverage.report().replace("\n### ", "\n#### ")


def _griffe_modules():
    """kerasx as griffe sees it (static analysis), loaded once."""
    global _GRIFFE
    if _GRIFFE is None:
        import griffe

        loader = griffe.GriffeLoader(search_paths=[REPO, os.path.join(REPO, "backends")])
        loader.load("kerasx")
        loader.resolve_aliases(implicit=True, external=False)
        _GRIFFE = loader.modules_collection
    return _GRIFFE


_GRIFFE = None


def _documented_path(module_name, name, obj):
    """Where griffe finds the documentation of `module_name.name`, or None."""
    collection = _griffe_modules()
    target = inspect.unwrap(obj) if callable(obj) else obj
    candidates = [f"{module_name}.{name}"]
    if getattr(target, "__module__", None) and getattr(target, "__qualname__", None):
        candidates.append(f"{target.__module__}.{target.__qualname__}")
    for path in candidates:
        try:
            found = collection[path]
        except KeyError:
            continue
        try:
            found.target  # an alias must resolve
        except Exception:  # noqa: BLE001 - griffe's alias errors vary by version
            if found.is_alias:
                continue
        return found.path if not found.is_alias else found.target.path
    return None


def reference(module_name):
    """One mkdocstrings block per public class and function of `module_name`,
    each headed by its public name."""
    _import_kerasx()
    options = REFERENCE_OPTIONS.get(module_name, {})
    out = []
    for name, obj in public_names(module_name):
        if inspect.ismodule(obj) or not (inspect.isclass(obj) or callable(obj)):
            continue
        path = _documented_path(module_name, name, obj)
        if path is None:  # made at run time (e.g. a closure): what Python knows
            out += _runtime_entry(module_name, name, obj)
            continue
        out += [f"::: {path}", "    options:", f"      heading: \"{module_name}.{name}\"",
                f"      toc_label: \"{name}\"", "      heading_level: 2"]
        out += [f"      {key}: {str(value).lower()}" for key, value in options.items()]
        out.append("")
    return "\n".join(out)


def _runtime_entry(module_name, name, obj):
    """The reference entry of an object static analysis cannot see (made at
    run time): its signature and docstring, from the object itself.

    A public name without a docstring is a warning (a failed strict build)."""
    doc = inspect.getdoc(obj)
    if not doc:
        log.warning("reference: %s.%s has no docstring", module_name, name)
        doc = ""
    try:
        signature = f"{name}{inspect.signature(obj)}"
    except (TypeError, ValueError):
        signature = name
    return [f"## `{module_name}.{name}` {{ #{module_name}.{name} }}", "",
            "```python", signature, "```", "", "```text", doc, "```", ""]


def on_page_markdown(markdown, page, config, files):
    def replace(match):
        if match.group(1) == "supported-api":
            return supported_api()
        if match.group(1) == "api-coverage":
            return api_coverage()
        return reference(match.group(2))

    return _MARKER.sub(replace, markdown)
