"""Timeline charts of the cluster scenarios (loadtest/cluster/run.js), one PNG per scenario result.

    python plot.py OUT_DIR RESULT.json...

Five panels over the scenario's seconds: replicas; each autoscaler signal divided by its target (1 = on target);
p95 with the latency target and req/s per api pod; queue depth with failed requests per second; visits served
(301s counted by k6) against visits stored (rows in PostgreSQL). Faults, holds and load changes are vertical lines.
Run with the venv of scripts/matplotlib.sh (headless: the Agg backend).
"""

import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MARK_COLOURS = {"fault": "#d62728", "hold": "#9467bd", "load": "#7f7f7f"}
SIGNAL_NAMES = [("p95", "p95 latency"), ("prometheus", "p95 latency"), ("queue", "queue depth"),
                ("rabbitmq", "queue depth"), ("cpu", "CPU")]


def signal_label(role, name):
    for key, label in SIGNAL_NAMES:
        if key in name:
            return f"{role}: {label}"
    return f"{role}: {name}"


def series(samples, get):
    xs, ys = [], []
    for s in samples:
        try:
            v = get(s)
        except (KeyError, TypeError, IndexError):
            v = None
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            xs.append(s["t"])
            ys.append(v)
    return xs, ys


def failed_per_sec(samples):
    """Client-side failures (anything but 301/201) per second, from the k6 counters of consecutive samples."""
    xs, ys, prev = [], [], None
    for s in samples:
        k6 = s.get("k6")
        if not k6:
            continue
        total = sum(v for k, v in k6["redirect"].items() if k != "301")
        total += sum(v for k, v in k6["create"].items() if k != "201")
        if prev is not None and s["t"] > prev[0]:
            xs.append(s["t"])
            ys.append((total - prev[1]) / (s["t"] - prev[0]))
        prev = (s["t"], total)
    return xs, ys


def hpa_target(samples, role, key):
    for s in samples:
        for m in ((s.get("hpa") or {}).get(role) or {}).get("metrics", []):
            if key in m["name"] and m.get("target") is not None:
                return m["target"]
    return None


def plot(result, out_path):
    samples = result["samples"]
    fig, axes = plt.subplots(5, 1, figsize=(11, 13), sharex=True, constrained_layout=True)
    fig.suptitle(f"{result['mode']} · {result['title']}", fontsize=12)

    ax = axes[0]
    for role, colour in (("api", "#1f77b4"), ("worker", "#2ca02c")):
        ax.step(*series(samples, lambda s: s[role]["ready"]), where="post", color=colour, label=f"{role} ready")
        ax.step(*series(samples, lambda s: s[role]["desired"]), where="post", color=colour, ls="--", alpha=0.7,
                label=f"{role} desired")
    ax.set_ylabel("replicas")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8, ncol=4)

    ax = axes[1]
    names = set()
    for s in samples:
        for role in ("api", "worker"):
            for m in ((s.get("hpa") or {}).get(role) or {}).get("metrics", []):
                names.add((role, m["name"]))
    for role, name in sorted(names):
        def ratio(s, role=role, name=name):
            for m in s["hpa"][role]["metrics"]:
                if m["name"] == name and m.get("ratio") is not None:
                    return max(m["ratio"], 0.01)
            return None
        ax.plot(*series(samples, ratio), label=signal_label(role, name))
    ax.axhline(1.0, color="black", lw=1, ls=":", label="target")
    ax.set_yscale("log")
    ax.set_ylabel("signal ÷ target\n(as the HPA reads it)")
    ax.legend(loc="upper left", fontsize=8, ncol=3)

    ax = axes[2]
    ax.plot(*series(samples, lambda s: s["p95"] * 1000), color="#ff7f0e", label="p95, 30 s window")
    target = hpa_target(samples, "api", "p95") or hpa_target(samples, "api", "prometheus")
    if target:
        ax.axhline(target * 1000, color="#ff7f0e", ls=":", label=f"p95 target {target * 1000:.0f} ms")
    ax.set_ylabel("p95 (ms)")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    right = ax.twinx()
    right.plot(*series(samples, lambda s: s["rps"]), color="#444444", lw=1.5, label="req/s, all pods")
    pods = sorted({p for s in samples for p in (s.get("rpsByPod") or {})})
    for pod in pods:
        right.plot(*series(samples, lambda s, pod=pod: (s.get("rpsByPod") or {}).get(pod)), lw=0.8, alpha=0.7,
                   label=f"{pod.split('-')[-1]}")
    right.set_ylabel("req/s (api, Prometheus)")
    right.set_ylim(bottom=0)
    right.legend(loc="upper right", fontsize=7, ncol=3, title="per pod", title_fontsize=7)

    ax = axes[3]
    ax.plot(*series(samples, lambda s: s["queueDepth"]), color="#8c564b", label="ready messages (worker gauge)")
    ax.plot(*series(samples, lambda s: s["brokerReady"]), color="#8c564b", ls="--", alpha=0.6,
            label="ready messages (broker)")
    ax.set_ylabel("queue depth")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    right = ax.twinx()
    right.plot(*failed_per_sec(samples), color="#d62728", lw=1, label="failed requests/s (k6)")
    right.set_ylabel("failed/s")
    right.set_ylim(bottom=0)
    right.legend(loc="upper right", fontsize=8)

    ax = axes[4]
    ax.plot(*series(samples, lambda s: s["k6"]["redirect"].get("301", 0)), color="#1f77b4",
            label="visits served (301s, k6)")
    ax.plot(*series(samples, lambda s: s["stored"]["rows"]), color="#2ca02c", ls="--",
            label="visits stored (rows, PostgreSQL)")
    ax.set_ylabel("visits")
    ax.set_xlabel("seconds since the scenario started")
    ax.legend(loc="upper left", fontsize=8)

    for m in result.get("marks", []):
        colour = MARK_COLOURS.get(m.get("kind"), "#7f7f7f")
        for a in axes:
            a.axvline(m["t"], color=colour, lw=1, ls="-" if m.get("kind") == "fault" else "--", alpha=0.8)
        axes[0].annotate(m["label"], xy=(m["t"], 1), xycoords=("data", "axes fraction"), rotation=90, fontsize=7,
                         va="top", ha="right", color=colour)
    fig.savefig(out_path, dpi=80)
    plt.close(fig)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        out = os.path.join(out_dir, f"{result['label']}.png")
        plot(result, out)
        print(out)


if __name__ == "__main__":
    main()
