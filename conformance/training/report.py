"""The report of a suite run: the table, the JSON file and the PNG figure."""
import json
import os

import numpy as np


def _fmt(value, spec=".2e"):
    if value is None:
        return "-"
    if isinstance(value, float) and not np.isfinite(value):
        return "inf"
    return format(value, spec)


def table(report):
    """The run table (model x dtype x device x backend) and the comparisons
    that failed, as text."""
    head = ("model", "dtype", "device", "backend", "final loss", "test acc",
            "max loss dev", "max weight dev", "s/epoch", "verdict")
    lines = [head]
    for r in report["rows"]:
        if r["status"] == "ERROR":
            lines.append((r["model"], r["dtype"], r["device"], r["backend"], "-", "-", "-",
                          "-", "-", "ERROR"))
            continue
        lines.append((r["model"], r["dtype"], r["device"], r["backend"],
                      _fmt(r["final_loss"], ".6f"), _fmt(r["accuracy"], ".4f"),
                      _fmt(r["max_loss_rel"]), _fmt(r["max_weight_abs"]),
                      _fmt(r["seconds_per_epoch"], ".2f"), r["status"]))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip()
           for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    out.append("")
    out.append("max loss dev: largest per-step relative loss deviation from every run it is "
               "compared with; max weight dev: largest final-weight absolute deviation.")
    out.append(_pair_summary(report))
    notes = list(dict.fromkeys(f"{c['model']} {c['dtype']} vs {c['b'].split('/')[0]}: "
                               f"{c['note']}" for c in report["comparisons"] if c.get("note")))
    if notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"  - {n}" for n in notes)
    failed = [c for c in report["comparisons"] if c["enforced"] and not c["passed"]]
    for c in failed:
        out.append(f"FAIL {c['model']} {c['dtype']}: {c['a']} vs {c['b']}: "
                   + "; ".join(c["failures"]))
        loc = c.get("localisation")
        if loc:
            out.append("     " + describe_localisation(loc))
    for k, err in report["failed_runs"].items():
        out.append(f"ERROR {k}:\n{err}")
    for s in report["skipped"]:
        out.append(f"SKIP {s}")
    out.append(f"{'PASS' if report['passed'] else 'FAIL'}: "
               f"{sum(c['passed'] for c in report['comparisons'] if c['enforced'])}/"
               f"{sum(1 for c in report['comparisons'] if c['enforced'])} comparisons within "
               f"the bars; wall time {report['wall_seconds']:.0f} s")
    return "\n".join(out)


def largest_deviation(report):
    """The enforced comparison closest to (or furthest past) its bars: the
    largest of loss deviation / loss bar and weight deviation / weight bar;
    None when nothing was compared."""
    enforced = [c for c in report["comparisons"] if c["enforced"]]

    def share(c):
        bars = c["bars"]
        return max(c["loss_rel"] / bars["loss_rel"], c["weight_abs"] / bars["weight_abs"])

    return max(enforced, key=share, default=None)


def verdict_line(report):
    """One line: PASS or FAIL, how many comparisons are within the bars, and
    the largest deviation (which pair, loss and weights against their bars)."""
    enforced = [c for c in report["comparisons"] if c["enforced"]]
    parts = [f"{sum(c['passed'] for c in enforced)}/{len(enforced)} comparisons within "
             "the bars"]
    if report["failed_runs"]:
        parts.insert(0, f"{len(report['failed_runs'])} run(s) failed")
    worst = largest_deviation(report)
    if worst is None:
        parts.append("nothing compared (this needs two backends or the Keras 3 reference)")
    else:
        bars = worst["bars"]
        parts.append(f"largest deviation: {worst['a'].split('/')[0]} vs "
                     f"{worst['b'].split('/')[0]} ({worst['model']} {worst['dtype']}): loss "
                     f"{_fmt(worst['loss_rel'])} (bar {bars['loss_rel']:g}), weights "
                     f"{_fmt(worst['weight_abs'])} (bar {bars['weight_abs']:g})")
    if any(s.startswith("Keras 3 not installed") for s in report["skipped"]):
        parts.append("Keras 3 not installed, reference skipped")
    return f"{'PASS' if report['passed'] else 'FAIL'}: " + "; ".join(parts)


def pair_maxima(report):
    """{(kind, pair, dtype): (max loss rel dev, max weight abs dev, min same class)}
    over the models, pairs named without the model."""
    out = {}
    for c in report["comparisons"]:
        pair = f"{c['a']} vs {c['b']}"
        key = (pair, c["dtype"])
        prev = out.get(key, (0.0, 0.0, 1.0, True))
        out[key] = (max(prev[0], c["loss_rel"]), max(prev[1], c["weight_abs"]),
                    min(prev[2], c["same_class"]), prev[3] and c["enforced"])
    return out


def _pair_summary(report):
    lines = ["", "pair (max over models)                        dtype    loss dev  "
             "weight dev  same class"]
    for (pair, dtype), (loss, w, same, enforced) in sorted(pair_maxima(report).items()):
        lines.append(f"{pair:<46}{dtype:<9}{_fmt(loss):<10}{_fmt(w):<12}{same:.2%}"
                     + ("" if enforced else "  (information only)"))
    return "\n".join(lines)


def describe_localisation(loc):
    if loc.get("where") is None:
        return f"first diverging step {loc.get('step')}: {loc.get('note', '')}"
    what = loc["layer"] + (f" ({loc['weight']})" if loc.get("weight") else "")
    return (f"first diverging step {loc['step']}, first layer: {what}, {loc['where']} "
            f"rel dev {loc['rel_dev']:.2e} > {loc['tolerance']:g} at {loc.get('index')}: "
            f"{loc.get('a')!r} vs {loc.get('b')!r}")


def write_json(report, path):
    with open(path, "w") as f:
        json.dump(report, f, indent=1, default=lambda o: o.tolist()
                  if hasattr(o, "tolist") else str(o))


def figure(report, path):
    """One row per model: every run's per-step loss overlaid (left) and the
    per-step relative loss deviation on a log scale (right): the largest over
    kerasx backend pairs and the largest against Keras 3, per dtype, with the
    bars dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = list(dict.fromkeys(r["model"] for r in report["rows"]))
    if not models:
        return None
    fig, axes = plt.subplots(len(models), 2, figsize=(13, 3.4 * len(models)), squeeze=False)
    colors = {"kerasx-tensorflow": "#ff7f0e", "kerasx-torch": "#d62728",
              "kerasx-mxnet": "#1f77b4", "keras-tensorflow": "#2ca02c",
              "keras-torch": "#9467bd"}
    widths = {"kerasx-tensorflow": 3.5, "kerasx-torch": 2.2, "kerasx-mxnet": 1.2,
              "keras-tensorflow": 1.0, "keras-torch": 1.0}
    for row, model in zip(axes, models):
        left, right = row
        for key, curve in report["curves"].items():
            m, dtype, device, who = key.split("/")
            if m != model:
                continue
            lib, backend = who.split("-", 1)
            name = f"{'keras' if lib == 'keras' else 'kerasx'}-{backend}"
            style = "-" if dtype == "float64" else ":"
            if device == "gpu":
                style = "-."
            left.plot(np.arange(1, len(curve) + 1), curve, style,
                      color=colors.get(name, "k"), lw=widths.get(name, 1.0),
                      label=f"{name} {dtype}{' gpu' if device == 'gpu' else ''}")
        left.set_title(f"{model}: training loss per step (all runs overlaid)", fontsize=10)
        left.set_xlabel("step")
        left.set_ylabel("loss (running epoch mean)")
        left.legend(fontsize=7, ncol=2)
        left.grid(alpha=0.3)
        floor = 1e-17
        for dtype, color in (("float64", "#1f77b4"), ("float32", "#d62728")):
            groups = {"kerasx backend vs backend": ("backend", "device"),
                      "kerasx vs Keras 3": ("keras",),
                      "kerasx compiled vs eager": ("mode",)}
            for (title, kinds), style in zip(groups.items(), ("-", "--", ":")):
                cs = [c for c in report["comparisons"] if c["model"] == model
                      and c["dtype"] == dtype and c["kind"] in kinds and c["enforced"]
                      and c["loss_rel_steps"]]
                if not cs:
                    continue
                dev = np.max([c["loss_rel_steps"] for c in cs], axis=0)
                right.semilogy(np.arange(1, len(dev) + 1), np.maximum(dev, floor), style,
                               color=color, lw=1.4, label=f"{dtype}: {title} (max)")
            bar = report["bars"][dtype]["loss_rel"]
            right.axhline(bar, color=color, ls=(0, (6, 3)), lw=0.9, alpha=0.8)
            right.annotate(f"{dtype} bar {bar:g}", xy=(1.0, bar), xycoords=("axes fraction",
                           "data"), xytext=(-4, 3), textcoords="offset points",
                           ha="right", color=color, fontsize=7)
        right.set_ylim(floor / 2, 1e3)
        right.set_title(f"{model}: relative loss deviation per step "
                        f"(0 drawn at {floor:g})", fontsize=10)
        right.set_xlabel("step")
        right.set_ylabel("|loss_a - loss_b| / |loss_b|")
        right.legend(fontsize=7, loc="upper center", ncol=2)
        right.grid(alpha=0.3, which="both")
    verdict = "PASS" if report["passed"] else "FAIL"
    fig.suptitle(f"kerasx training conformance on {report['options'].get('data')}: "
                 f"{verdict}", fontsize=12)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
