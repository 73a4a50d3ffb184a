"""`kerasx backends`: the registered backend plugins, each with its framework's
version, its devices and whether it imports (and if not, why).

Each backend is loaded in a process of its own (kerasx never imports two
frameworks into one process), all at once; a backend whose framework is not
installed is reported from the plugin's declared requirements, without a
process. Exits 1 when a backend whose framework is installed fails to load.
"""
import argparse
import json
import os
import subprocess
import sys

from kerasx.backend import registry

#: Seconds a backend may take to import its framework and list its devices.
PROBE_TIMEOUT = 300


def probe(name):
    """Load backend `name` in this process: {"ok", "versions", "devices"} or
    {"ok": False, "error"}."""
    plugin = registry.discover()[name]
    try:
        ops = registry.load(name)
        devices = list(ops.list_devices())
    except Exception as exc:  # noqa: BLE001 - any failure is what we report
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    versions = {m: getattr(sys.modules.get(m), "__version__", "unknown version")
                for m in plugin.requires}
    return {"ok": True, "versions": versions, "devices": devices}


def _start_probe(name):
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    # The probe's `import kerasx` selects this backend, whatever this
    # process's environment asks for.
    env.update(KERASX_BACKEND=name, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.Popen([sys.executable, "-m", "kerasx.cli.backends", "--probe", name], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish_probe(proc):
    try:
        out, err = proc.communicate(timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"ok": False, "error": f"did not load within {PROBE_TIMEOUT} s"}
    lines = out.strip().splitlines()
    if proc.returncode == 0 and lines:
        return json.loads(lines[-1])
    tail = [line for line in err.strip().splitlines() if line.strip()]
    return {"ok": False, "error": tail[-1] if tail else f"exit status {proc.returncode}"}


def survey():
    """[(plugin name, report dict)] for every registered plugin, in name order.

    A report has "status" ("ok", "not installed", "fails" or "broken"),
    "framework" (module names and versions), "devices", "aliases" and
    "detail" (why it is not usable, and what to do)."""
    plugins = registry.discover()
    procs = {}
    rows = {}
    for name, plugin in sorted(plugins.items()):
        row = {"aliases": list(plugin.aliases), "framework": ", ".join(plugin.requires),
               "devices": [], "detail": ""}
        missing = plugin.missing_requirements()
        if missing:
            row.update(status="not installed", detail=f"needs {', '.join(missing)}. "
                       f"{plugin.install_hint}".strip())
        else:
            procs[name] = _start_probe(name)
        rows[name] = row
    for name, proc in procs.items():
        result = _finish_probe(proc)
        row = rows[name]
        if result["ok"]:
            row.update(status="ok", devices=result["devices"], framework=", ".join(
                f"{m} {v}" for m, v in result["versions"].items()))
        else:
            row.update(status="fails", detail=result["error"])
    # Entry points that cannot even be read (a broken plugin package), when
    # the registry records them.
    broken = getattr(registry, "broken_plugins", dict)()
    for name, why in sorted(broken.items()):
        rows[name] = {"aliases": [], "framework": "", "devices": [], "status": "broken",
                      "detail": why}
    return list(rows.items())


def selected():
    """Which backend kerasx selects here, and why (as one phrase)."""
    for var in registry.ENV_VARS:
        value = os.environ.get(var, "").strip()
        if value:
            return f"{value} (from {var})"
    return f"{registry.DEFAULT_BACKEND} (the default; set KERASX_BACKEND to choose)"


def table(rows):
    """The survey as text: one line per backend, then the details."""
    head = ("backend", "status", "framework", "devices", "aliases")
    lines = [head] + [(name, r["status"], r["framework"] or "-",
                       ", ".join(r["devices"]) or "-", ", ".join(r["aliases"]) or "-")
                      for name, r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    out += [f"{name}: {r['detail']}" for name, r in rows if r["detail"]]
    return "\n".join(out)


def main(argv, prog="kerasx backends"):
    parser = argparse.ArgumentParser(prog=prog, description=" ".join(
        __doc__.split("\n\n")[0].split()))
    parser.add_argument("--json", action="store_true", help="print the survey as JSON")
    parser.add_argument("--probe", metavar="NAME", help=argparse.SUPPRESS)  # one backend, here
    options = parser.parse_args(argv)
    if options.probe:
        print(json.dumps(probe(options.probe)))
        return 0
    rows = survey()
    if options.json:
        print(json.dumps(dict(rows), indent=1))
    else:
        print(table(rows) if rows else "No backend plugin is registered: pip install "
              "'kerasx[torch]' (or tensorflow, mxnet, all).")
        print(f"selected: {selected()}")
    return 1 if any(r["status"] in ("fails", "broken") for _, r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
