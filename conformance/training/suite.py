"""Run the training conformance suite: every (model, dtype, device, backend,
execution mode) in its own process, the Keras 3 reference beside it, every comparison, and
the localisation of any failure."""
import concurrent.futures
import importlib.util
import json
import os
import subprocess
import sys
import time

import numpy as np

from .. import paths
from . import models as models_module, verdict

BACKENDS = ("tensorflow", "torch", "mxnet")
KERAS_BACKENDS = ("tensorflow", "torch")
KERAS_HINT = "pip install 'kerasx[reference]' to compare with it"
DTYPES = ("float32", "float64")
#: Execution modes: eager (run_eagerly=True), graph (jit_compile=False) and
#: jit (jit_compile=True). Each backend runs eager, plus the compiled modes its
#: plugin really compiles (compiled_modes); those are compared with its eager run.
MODES = ("eager", "graph", "jit")

#: Deterministic GPU settings, given to every GPU run's environment: TF32
#: off (cuBLAS/cuDNN, every framework), deterministic cuDNN / cuBLAS
#: algorithms, no autotuning.
GPU_ENV = {"NVIDIA_TF32_OVERRIDE": "0", "TF_DETERMINISTIC_OPS": "1",
           "TF_CUDNN_DETERMINISTIC": "1", "TF_ENABLE_ONEDNN_OPTS": "0",
           "MXNET_ENFORCE_DETERMINISM": "1", "MXNET_CUDNN_AUTOTUNE_DEFAULT": "0",
           "CUBLAS_WORKSPACE_CONFIG": ":4096:8"}


def _mode_suffix(mode):
    return "" if mode in (None, "eager") else f"+{mode}"


def run_id(lib, backend, device, dtype, model, mode=None):
    return f"{model}/{dtype}/{device}/{lib}-{backend}{_mode_suffix(mode)}"


def label(lib, backend, device, mode=None):
    return (f"{'keras' if lib == 'keras' else 'kerasx'}-{backend}{_mode_suffix(mode)}"
            f"/{device}")


def spec_id(spec):
    return run_id(spec["lib"], spec["backend"], spec["device"], spec["dtype"], spec["model"],
                  spec.get("mode"))


def _env(lib, backend, device):
    env = {k: v for k, v in os.environ.items()
           if k not in ("KERASX_BACKEND", "KERAS_BACKEND")}
    env["KERASX_BACKEND" if lib == "kerasx" else "KERAS_BACKEND"] = backend
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    else:
        env.update(GPU_ENV)
    return paths.subprocess_env(env)


def run_worker(spec, timeout=1800):
    """Run one spec in a fresh interpreter; returns (ok, seconds, stderr tail)."""
    os.makedirs(os.path.dirname(spec["out"]), exist_ok=True)
    path = spec["out"] + ".spec.json"
    with open(path, "w") as f:
        json.dump(spec, f)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", paths.module("training.worker"), path],
                          env=_env(spec["lib"], spec["backend"], spec["device"]),
                          capture_output=True, text=True, timeout=timeout)
    tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
    return proc.returncode == 0, time.perf_counter() - t0, tail


def gpu_backends(backends):
    """The backends that see a GPU here (each asked in its own process)."""
    found = []
    for b in backends:
        code = ("from kerasx.backend import get_ops; "
                "print('gpu:0' in get_ops().list_devices())")
        proc = subprocess.run([sys.executable, "-c", code], env=_env("kerasx", b, "gpu"),
                              capture_output=True, text=True, timeout=600)
        if proc.returncode == 0 and proc.stdout.strip().endswith("True"):
            found.append(b)
    return found


def compiled_modes(backends, modes):
    """{backend: the compiled modes among `modes` that its plugin really
    compiles} (each backend asked in its own process)."""
    wanted = [m for m in modes if m != "eager"]
    if not wanted:  # eager only: no process to start
        return {b: [] for b in backends}
    found = {}
    for b in backends:
        code = ("from kerasx.backend import get_ops; ops = get_ops(); "
                f"print([m for m in {wanted!r} if ops.compile_function("
                "lambda: None, m == 'jit') is not None])")
        proc = subprocess.run([sys.executable, "-c", code], env=_env("kerasx", b, "cpu"),
                              capture_output=True, text=True, timeout=600)
        lines = proc.stdout.strip().splitlines()
        found[b] = json.loads(lines[-1].replace("'", '"')) if proc.returncode == 0 and \
            lines else []
    return found


def make_spec(lib, backend, device, dtype, model, options, out_dir, mode=None, **extra):
    spec = {"lib": lib, "backend": backend, "device": device, "dtype": dtype, "mode": mode,
            "model": model, "epochs": options["epochs"],
            "batch_size": options["batch_size"], "seed": options["seed"],
            "data": options["data"], "n_train": options.get("n_train"),
            "n_test": options.get("n_test"),
            "out": os.path.join(out_dir, run_id(lib, backend, device, dtype, model, mode)
                                .replace("/", "__").replace("+", "__"))}
    spec.update(extra)
    return spec


def _parallel(specs, jobs, log):
    results = {}
    if not specs:
        return results
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(run_worker, s): s for s in specs}
        for fut in concurrent.futures.as_completed(futures):
            s = futures[fut]
            key = spec_id(s)
            try:
                ok, secs, tail = fut.result()
            except subprocess.TimeoutExpired:
                ok, secs, tail = False, float("nan"), "timed out"
            results[key] = {"spec": s, "ok": ok, "seconds": secs,
                            "error": None if ok else tail}
            log(f"  {'ok  ' if ok else 'FAIL'} {key}  ({secs:.1f} s)")
    return results


def _load(run):
    npz = np.load(run["spec"]["out"] + ".npz")
    with open(run["spec"]["out"] + ".json") as f:
        meta = json.load(f)
    return npz, meta


def run_suite(options, log=print):
    """Run everything `options` asks for; returns the report dict.

    options: models, backends, devices ("cpu" / "gpu"), dtypes, epochs,
    batch_size, seed, data, n_train, n_test, keras (bool), localise (bool),
    jobs, out_dir, modes (default: all of MODES).
    """
    t_start = time.perf_counter()
    out_dir = os.path.abspath(options["out_dir"])
    runs_dir = os.path.join(out_dir, "runs")
    devices = list(options["devices"])
    backends = list(options["backends"])
    skipped = []
    gpu_ok = []
    if "gpu" in devices:
        gpu_ok = gpu_backends(backends)
        for b in backends:
            if b not in gpu_ok:
                skipped.append(f"kerasx-{b}/gpu: no GPU visible to this backend here")
        if "cpu" not in devices:
            devices = ["cpu", "gpu"]  # GPU runs are compared with CPU runs too
    compiled = compiled_modes(backends, options.get("modes", MODES))
    specs = []
    for model in options["models"]:
        for dtype in options["dtypes"]:
            for device in devices:
                for b in (backends if device == "cpu" else gpu_ok):
                    for mode in ("eager",) + tuple(compiled[b] if device == "cpu" else ()):
                        specs.append(make_spec("kerasx", b, device, dtype, model, options,
                                               runs_dir, mode=mode))
    log(f"kerasx runs: {len(specs)} (one process each; compiled modes: "
        + ", ".join(f"{b} {'/'.join(m) or 'none'}" for b, m in compiled.items()) + ")")
    runs = _parallel(specs, options["jobs"], log)

    keras_specs = []
    if options.get("keras", True) and importlib.util.find_spec("keras") is None:
        skipped.append(f"Keras 3 not installed, reference skipped ({KERAS_HINT})")
        log(skipped[-1])
    elif options.get("keras", True):
        keras_backends = []
        for kb in options.get("keras_backends", KERAS_BACKENDS):
            if importlib.util.find_spec(kb) is None:  # Keras needs the framework too
                skipped.append(f"keras-{kb}: {kb} not installed, this reference skipped")
                log(skipped[-1])
            else:
                keras_backends.append(kb)
        for model in options["models"]:
            if model in models_module.HAS_DROPOUT:
                continue
            for dtype in options["dtypes"]:
                source = next((r for k, r in runs.items() if r["ok"]
                               and r["spec"]["model"] == model and r["spec"]["dtype"] == dtype
                               and r["spec"]["device"] == "cpu"
                               and r["spec"]["mode"] == "eager"), None)
                if source is None:
                    continue
                for kb in keras_backends:
                    keras_specs.append(make_spec("keras", kb, "cpu", dtype, model, options,
                                                 runs_dir,
                                                 init=source["spec"]["out"] + ".npz"))
        log(f"Keras 3 reference runs: {len(keras_specs)}")
        runs.update(_parallel(keras_specs, options["jobs"], log))

    loaded = {k: _load(r) for k, r in runs.items() if r["ok"]}
    comparisons = []
    for model in options["models"]:
        for dtype in options["dtypes"]:
            comparisons += _compare_group(model, dtype, runs, loaded, devices, backends,
                                          compiled)
    if options.get("localise", True):
        for c in comparisons:
            if not c["passed"] and c["enforced"]:
                log(f"localising {c['a']} vs {c['b']} ({c['model']}, {c['dtype']})")
                c["localisation"] = _localise(c, runs, loaded, options, out_dir)
    rows = _rows(runs, loaded, comparisons)
    failed_runs = [k for k, r in runs.items() if not r["ok"]]
    passed = not failed_runs and all(c["passed"] for c in comparisons if c["enforced"])
    return {"passed": passed, "options": {k: v for k, v in options.items()},
            "bars": {"float64": verdict.bars("cnn", "float64"),
                     "float32": verdict.bars("cnn", "float32"),
                     "float32 BatchNormalization + Adam": verdict.bars("cnn_bn", "float32")},
            "rows": rows, "comparisons": comparisons,
            "failed_runs": {k: runs[k]["error"] for k in failed_runs},
            "skipped": skipped, "wall_seconds": time.perf_counter() - t_start,
            "curves": _curves(runs, loaded)}


def _compare_group(model, dtype, runs, loaded, devices, backends, compiled=None):
    def key(lib, b, dev, mode=None):
        return run_id(lib, b, dev, dtype, model, mode)

    pairs = []
    for dev in devices:
        present = [b for b in backends if key("kerasx", b, dev) in loaded]
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                pairs.append(("backend", ("kerasx", a, dev), ("kerasx", b, dev), dtype, True,
                              None))
    for b, modes in (compiled or {}).items():
        for mode in modes:  # compiled against eager, on the same backend
            if key("kerasx", b, "cpu") in loaded and key("kerasx", b, "cpu", mode) in loaded:
                why = models_module.COMPILED_FLOAT32_IN_FLOAT64.get((model, b))
                held, note = dtype, None
                if dtype == "float64" and why:
                    held, note = "float32", f"held to the float32 bars: {why}"
                pairs.append(("mode", ("kerasx", b, "cpu"), ("kerasx", b, "cpu", mode), held,
                              True, note))
    if "gpu" in devices:
        for b in backends:
            if key("kerasx", b, "gpu") in loaded and key("kerasx", b, "cpu") in loaded:
                why = models_module.DEVICE_FLOAT32_IN_FLOAT64.get(model)
                held, note = dtype, None
                if dtype == "float64" and why:
                    held, note = "float32", f"held to the float32 bars: {why}"
                pairs.append(("device", ("kerasx", b, "gpu"), ("kerasx", b, "cpu"), held,
                              True, note))
    for kb in KERAS_BACKENDS:
        if key("keras", kb, "cpu") not in loaded:
            continue
        # float32 against both Keras backends; float64 against Keras's
        # TensorFlow backend (its torch backend does not keep float64: shown
        # for information, held to the float32 bars).
        enforced = dtype == "float32" or kb == "tensorflow"
        held = dtype if kb == "tensorflow" else "float32"
        note = None
        if not enforced:
            note = ("information only: Keras's torch backend does not keep float64 end to "
                    "end (its step-0 loss already differs by ~1e-7); held to the float32 "
                    "bars")
        elif dtype == "float64" and model in models_module.KERAS_FLOAT32_IN_FLOAT64:
            held = "float32"
            note = ("held to the float32 bars: "
                    + models_module.KERAS_FLOAT32_IN_FLOAT64[model])
        for b in backends:
            if key("kerasx", b, "cpu") in loaded:
                pairs.append(("keras", ("kerasx", b, "cpu"), ("keras", kb, "cpu"), held,
                              enforced, note))
    out = []
    for kind, a, b, held, enforced, note in pairs:
        ra, rb = loaded[key(*a)][0], loaded[key(*b)][0]
        c = verdict.compare(ra, rb, model, dtype, held_to=held)
        c.update(kind=kind, model=model, dtype=dtype, held_to=held, enforced=enforced,
                 a=label(*a), b=label(*b), run_a=key(*a), run_b=key(*b))
        if note:
            c["note"] = note
        out.append(c)
    return out


def _localise(c, runs, loaded, options, out_dir):
    """Re-run the first diverging step in both kerasx runs (each in its own
    process, from identical weights) and compare layer by layer."""
    if c["kind"] == "keras":
        return {"step": c["first_step"], "where": None,
                "note": "first diverging step only: per-layer probes run on kerasx backends"}
    step = c["first_step"]
    if step is None:  # only the final weights failed: probe the worst step
        step = int(np.argmax(c["loss_rel_steps"])) if c["loss_rel_steps"] else 0
    sa, sb = runs[c["run_a"]]["spec"], runs[c["run_b"]]["spec"]
    probe_dir = os.path.join(out_dir, "probes")
    pa_spec = dict(sa, probe={"step": step}, out=os.path.join(
        probe_dir, os.path.basename(sa["out"]) + f"__step{step}"))
    ok, _, err = run_worker(pa_spec)
    if not ok:
        return {"step": step, "where": None, "note": f"probe failed: {err}"}
    pb_spec = dict(sb, probe={"step": step, "weights": pa_spec["out"] + ".npz"},
                   out=os.path.join(probe_dir, os.path.basename(sb["out"])
                                    + f"__step{step}__weights_of_a"))
    ok, _, err = run_worker(pb_spec)
    if not ok:
        return {"step": step, "where": None, "note": f"probe failed: {err}"}
    pa = np.load(pa_spec["out"] + ".npz")
    pb = np.load(pb_spec["out"] + ".npz")
    with open(pa_spec["out"] + ".json") as f:
        meta_a = json.load(f)
    result = verdict.localise(pa, pb, meta_a, sa["dtype"])
    result["a"], result["b"] = c["a"], c["b"]
    return result


def _rows(runs, loaded, comparisons):
    rows = []
    for key, run in sorted(runs.items()):
        s = run["spec"]
        row = {"run": key, "model": s["model"], "dtype": s["dtype"], "device": s["device"],
               "backend": label(s["lib"], s["backend"], s["device"],
                                s.get("mode")).split("/")[0]}
        if key not in loaded:
            row.update(status="ERROR", error=run["error"])
            rows.append(row)
            continue
        npz, meta = loaded[key]
        mine = [c for c in comparisons if key in (c["run_a"], c["run_b"]) and c["enforced"]]
        info = not mine
        if info:  # e.g. Keras's torch backend in float64: shown, not judged
            mine = [c for c in comparisons if key in (c["run_a"], c["run_b"])]
        epochs = meta["epoch_time"]
        row.update(final_loss=float(npz["step_loss"][-1]),
                   accuracy=meta["test"].get("accuracy"),
                   max_loss_rel=max((c["loss_rel"] for c in mine), default=0.0),
                   max_weight_abs=max((c["weight_abs"] for c in mine), default=0.0),
                   seconds_per_epoch=float(np.mean(epochs)) if epochs else None,
                   weight_dtypes=meta["weight_dtypes"], compared_with=len(mine),
                   status="info" if info else
                   "PASS" if all(c["passed"] for c in mine) else "FAIL")
        rows.append(row)
    return rows


def _curves(runs, loaded):
    return {k: loaded[k][0]["step_loss"].tolist() for k in sorted(loaded)}
