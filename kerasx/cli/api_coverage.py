"""`kerasx api-coverage`: kerasx's public names against the installed Keras 3,
module by module: how many of Keras's names kerasx offers, which are missing,
and which kerasx deliberately does not offer (with the reason).

    kerasx api-coverage                  the table, then the missing names
    kerasx api-coverage --module layers  one module (repeatable)
    kerasx api-coverage --json out.json  the same, as JSON
    kerasx api-coverage --min 90         exit 1 when a targeted module is below 90%

A module's coverage is the share of Keras's names kerasx offers, counted
over the names it does not deliberately leave out (`EXCLUDED`); the raw
share over all of Keras's names is printed beside it. Needs Keras 3 (the
`reference` extra: pip install 'kerasx[reference]').
"""
import argparse
import dataclasses
import importlib
import json
import os
import sys

#: (module under keras/kerasx, "" for the top level) that users import, in
#: table order.
TARGETED = ("", "layers", "ops", "ops.numpy", "ops.nn", "ops.linalg", "ops.image", "losses",
            "metrics", "optimizers", "optimizers.schedules", "callbacks", "activations",
            "initializers", "regularizers", "constraints", "models", "utils", "saving",
            "random", "backend", "config", "tree", "datasets", "preprocessing",
            "mixed_precision", "dtype_policies", "quantizers", "applications",
            "visualization", "distillation")
#: Keras modules outside issue 14 (distribution, export...): reported, not
#: targeted.
OTHERS = ("export", "distribution", "wrappers")
#: The share of its names each targeted module must reach (`--min` default),
#: where it differs from DEFAULT_TARGET.
TARGET = {}
DEFAULT_TARGET = 90.0

_COMPLEX = ("kerasx has no complex dtype (the contract's dtypes are float, int and bool; "
            "MXNet 1.9's NumPy arrays support complex numbers in few operators)")
_JAX = "JAX only: kerasx has no JAX backend yet"

#: "module.name" -> why kerasx does not offer it.
EXCLUDED = {
    "src": "Keras's private implementation package, not API",
    "legacy": "Keras 2 (tf.keras) compatibility namespace; Keras 3 points to tf_keras",
    "optimizers.legacy": "stubs that raise in Keras 3, pointing to tf_keras",
    "utils.legacy": "Keras 2 (tf.keras) compatibility namespace",
    "layers.JaxLayer": _JAX,
    "layers.FlaxLayer": _JAX,
    "config.is_nnx_enabled": _JAX + " (Flax NNX)",
    "callbacks.OrbaxCheckpoint": _JAX + " (Orbax checkpoints)",
    "layers.TFSMLayer": "loads a TensorFlow SavedModel as a layer: TensorFlow only",
    "distribution": "data-parallel training is a later issue (its operations go through "
                    "the contract); Keras 3 implements this module for JAX and, in part, "
                    "TensorFlow only",
    "export": "exporting for serving (SavedModel, ONNX...) belongs to the model-server "
              "issue that comes later",
    **{f"ops.{n}": _COMPLEX for n in ("angle", "conj", "conjugate", "real", "imag",
                                      "view_as_complex", "view_as_real")},
    **{f"ops.numpy.{n}": _COMPLEX for n in ("angle", "conj", "conjugate", "real", "imag")},
    "ops.nn.polar": _COMPLEX,
    "ops.linalg.eig": _COMPLEX + "; a general matrix's eigenvalues are complex "
                      "(eigh covers symmetric matrices)",
    "ops.eig": _COMPLEX + "; a general matrix's eigenvalues are complex (eigh covers "
               "symmetric matrices)",
    "ops.polar": _COMPLEX,
}


@dataclasses.dataclass
class ModuleCoverage:
    """The coverage of one module: Keras's names split into those kerasx has,
    those it lacks and those it leaves out on purpose."""

    module: str
    keras: list
    present: list
    missing: list
    excluded: dict
    targeted: bool

    @property
    def percent(self):
        """Share of Keras's names kerasx offers, over the names not excluded."""
        counted = len(self.keras) - len(self.excluded)
        return 100.0 * len(self.present) / counted if counted else 100.0

    @property
    def raw_percent(self):
        """Share of all of Keras's names kerasx offers."""
        return 100.0 * len(self.present) / len(self.keras) if self.keras else 100.0

    @property
    def target(self):
        return TARGET.get(self.module, DEFAULT_TARGET) if self.targeted else None


def _public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def _import(root, module):
    try:
        return importlib.import_module(f"{root}.{module}" if module else root)
    except ImportError:
        return None


def module_coverage(module, targeted=True):
    """ModuleCoverage of `module` ("" for the top level, "ops.image"...).

    Raises:
        ImportError: Keras 3 is not installed, with the pip extra to install.
    """
    _import_keras()
    keras_module = _import("keras", module)
    names = _public(keras_module) if keras_module is not None else []
    ours = _import("kerasx", module)
    have = set(_public(ours)) if ours is not None else set()
    prefix = f"{module}." if module else ""
    excluded = {n: EXCLUDED[prefix + n] for n in names
                if prefix + n in EXCLUDED and n not in have}
    return ModuleCoverage(module or "(top level)", names, [n for n in names if n in have],
                          [n for n in names if n not in have and n not in excluded],
                          excluded, targeted)


def coverage(modules=None):
    """[ModuleCoverage] of `modules` (default: every targeted module, then
    the others)."""
    if modules:
        return [module_coverage("" if m in ("", "top", "(top level)") else m, m in TARGETED)
                for m in modules]
    return ([module_coverage(m) for m in TARGETED]
            + [module_coverage(m, targeted=False) for m in OTHERS])


def _import_keras():
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import keras  # noqa: F401
    except ImportError as exc:
        raise ImportError("kerasx api-coverage compares kerasx with Keras 3, which is not "
                          "installed: pip install 'kerasx[reference]'") from exc
    return keras


def table(rows):
    """The coverage table in Markdown: module, kerasx, Keras, share, raw share,
    excluded, target."""
    out = ["| module | kerasx | Keras | coverage | of all names | left out | target |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        target = "-" if r.target is None else (
            f"{r.target:.0f}% {'met' if r.percent >= r.target else 'not met'}")
        out.append(f"| `{r.module}` | {len(r.present)} | {len(r.keras)} | {r.percent:.1f}% "
                   f"| {r.raw_percent:.1f}% | {len(r.excluded)} | {target} |")
    present = sum(len(r.present) for r in rows)
    total = sum(len(r.keras) for r in rows)
    out.append(f"| all | {present} | {total} | | {100.0 * present / max(total, 1):.1f}% | "
               f"{sum(len(r.excluded) for r in rows)} | |")
    return "\n".join(out)


def details(rows):
    """Per module, the missing names and the ones left out with the reason."""
    out = []
    for r in rows:
        if not (r.missing or r.excluded):
            continue
        out += [f"### `{r.module}`", ""]
        if r.missing:
            out += [f"Missing ({len(r.missing)}): " + ", ".join(f"`{n}`" for n in r.missing), ""]
        for name, reason in r.excluded.items():
            out.append(f"- `{name}` left out: {reason}")
        if r.excluded:
            out.append("")
    return "\n".join(out)


def report(rows=None):
    """The whole report in Markdown: the table, then the details."""
    rows = coverage() if rows is None else rows
    import keras

    return "\n".join([f"kerasx's public names against Keras {keras.__version__}.", "",
                      table(rows), "", details(rows)])


def main(argv=None, prog="kerasx api-coverage"):
    p = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    p.add_argument("--module", action="append", default=None,
                   help="a module to report (e.g. layers, ops.image; 'top' for the top "
                        "level); repeatable; default: all")
    p.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    p.add_argument("--min", type=float, default=None, metavar="PERCENT",
                   help="exit 1 when a targeted module is below PERCENT (its own "
                        "target when lower, e.g. applications 50)")
    options = p.parse_args(argv)
    try:
        rows = coverage(options.module)
    except ImportError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    print(report(rows))
    if options.json:
        with open(options.json, "w") as f:
            json.dump([dict(dataclasses.asdict(r), percent=r.percent) for r in rows], f,
                      indent=1)
    if options.min is not None:
        below = [r.module for r in rows
                 if r.targeted and r.percent < min(options.min, r.target)]
        if below:
            print(f"\nBelow target: {', '.join(below)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
