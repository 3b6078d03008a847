"""Draws one Grafana dashboard as a PNG from the series its panels returned, laid out on Grafana's 24-column grid.

Usage: render.py PANELS.json OUT.png (see render.sh). The picture is for readers of the repository: it shows what
each panel plots, in Grafana's dark colours, not a pixel copy of Grafana. The source dashboard's SHA-256 goes into
the PNG's metadata, so a test can tell a picture that no longer matches its dashboard.
"""

import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

BACKGROUND = "#111217"
PANEL = "#181b1f"
BORDER = "#2c3235"
TEXT = "#ccccdc"
MUTED = "#8e8e9e"
PALETTE = ["#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9", "#705da0", "#37872d", "#fade2a"]

COLUMN_IN = 0.78  # inches per grid column
ROW_IN = 0.36  # inches per grid row
HEADER_IN = 0.9  # title and caption above the grid


def scaled(value, unit):
    """Formats a value in the panel's unit, as Grafana would roughly show it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "percentunit":
        return f"{value * 100:.3g}%"
    if unit == "s":
        if value == 0:
            return "0 s"
        if abs(value) < 1:
            return f"{value * 1000:.3g} ms"
        return f"{value:.3g} s"
    if unit == "bytes":
        for suffix, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if abs(value) >= size:
                return f"{value / size:.3g} {suffix}"
        return f"{value:.0f} B"
    suffix = {"reqps": " req/s", "ops": "/s"}.get(unit, "")
    if abs(value) >= 1e6:
        return f"{value / 1e6:.3g}M{suffix}"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.3g}k{suffix}"
    return f"{value:.3g}{suffix}"


def panel_axes(fig, grid, width_in, height_in, title, inner):
    """A panel's box on the grid (background, border, title) and the axes inside it, leaving room for the
    title and, when `inner`, for tick labels."""
    gutter = 0.05
    left_in = grid["x"] * COLUMN_IN + gutter
    top_in = HEADER_IN + grid["y"] * ROW_IN + gutter
    box_w, box_h = grid["w"] * COLUMN_IN - 2 * gutter, grid["h"] * ROW_IN - 2 * gutter
    box = fig.add_axes([left_in / width_in, 1 - (top_in + box_h) / height_in, box_w / width_in, box_h / height_in])
    box.set_facecolor(PANEL)
    box.set_xticks([])
    box.set_yticks([])
    for spine in box.spines.values():
        spine.set_color(BORDER)
    box.text(0.08 / box_w, 1 - 0.08 / box_h, title, transform=box.transAxes, ha="left", va="top", color=TEXT,
             fontsize=9)
    pad_left, pad_right, pad_top, pad_bottom = (0.75, 0.15, 0.32, 0.3) if inner else (0.1, 0.1, 0.3, 0.05)
    ax = fig.add_axes([(left_in + pad_left) / width_in, 1 - (top_in + box_h - pad_bottom) / height_in,
                       (box_w - pad_left - pad_right) / width_in, (box_h - pad_top - pad_bottom) / height_in])
    ax.set_facecolor(PANEL)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(colors=MUTED, labelsize=7, length=0)
    return ax


def draw_stat(ax, panel, start, end):
    ax.set_xticks([])
    ax.set_yticks([])
    series = panel["series"]
    last = [s["v"][-1] for s in series if s["v"]]
    value = sum(v for v in last if not math.isnan(v)) if last else None
    if series and series[0]["v"]:
        spark = ax.twinx()
        spark.set_axis_off()
        spark.fill_between(series[0]["t"], series[0]["v"], color=PALETTE[0], alpha=0.15, linewidth=0)
        spark.set_xlim(start, end)
        ax.set_xlim(start, end)
    ax.text(0.5, 0.45, scaled(value, panel["unit"]) if last else "No data", transform=ax.transAxes,
            ha="center", va="center", color=PALETTE[0] if last else MUTED, fontsize=20, fontweight="bold")


def with_gaps(times, values, step):
    """Breaks a line where samples are missing (a target was down), instead of drawing across the gap."""
    xs, ys = [], []
    for i, (t, v) in enumerate(zip(times, values)):
        if i > 0 and t - times[i - 1] > 1.5 * step:
            xs.append(times[i - 1] + step)
            ys.append(float("nan"))
        xs.append(t)
        ys.append(v)
    return xs, ys


def draw_timeseries(ax, panel, start, end, step):
    ax.grid(color=BORDER, linewidth=0.5)
    ax.set_xlim(start, end)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _: f"{int(t - start) // 60}:{int(t - start) % 60:02d}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: scaled(v, panel["unit"])))
    for i, series in enumerate(panel["series"]):
        xs, ys = with_gaps(series["t"], series["v"], step)
        ax.plot(xs, ys, color=PALETTE[i % len(PALETTE)], linewidth=1.2, label=series["name"])
    if not panel["series"]:
        ax.text(0.5, 0.5, "No data", transform=ax.transAxes, ha="center", va="center", color=MUTED)
    elif len(panel["series"]) <= 12:
        legend = ax.legend(loc="upper left", fontsize=6, frameon=False, ncol=min(4, len(panel["series"])),
                           labelcolor=TEXT)
        legend.set_zorder(5)
    values = [v for series in panel["series"] for v in series["v"] if not math.isnan(v)]
    top = max(values, default=0)
    # A line at 0 (nothing happened) sits on the floor of the panel, as in Grafana.
    ax.set_ylim(bottom=min(0, min(values, default=0)), top=top * 1.15 if top > 0 else 1)


def main(source, target):
    with open(source, encoding="utf-8") as f:
        dashboard = json.load(f)
    panels = dashboard["panels"]
    total_rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    width_in = 24 * COLUMN_IN
    height_in = HEADER_IN + total_rows * ROW_IN + 0.2
    fig = plt.figure(figsize=(width_in, height_in), dpi=80, facecolor=BACKGROUND)
    fig.text(0.01, 1 - 0.35 / height_in, dashboard["title"], color=TEXT, fontsize=16, fontweight="bold")
    fig.text(0.01, 1 - 0.7 / height_in, dashboard["caption"], color=MUTED, fontsize=9)
    start, end = dashboard["start"], dashboard["end"]
    for panel in panels:
        grid = panel["gridPos"]
        if panel["type"] == "row":
            y = 1 - (HEADER_IN + (grid["y"] + 0.75) * ROW_IN) / height_in
            fig.text(0.01, y, panel["title"], color=TEXT, fontsize=11, fontweight="bold")
            continue
        ax = panel_axes(fig, grid, width_in, height_in, panel["title"], panel["type"] != "stat")
        if panel["type"] == "stat":
            draw_stat(ax, panel, start, end)
        else:
            draw_timeseries(ax, panel, start, end, dashboard["step"])
    fig.savefig(target, facecolor=BACKGROUND,
                metadata={"Title": dashboard["title"], "Source": dashboard["source"]["file"],
                          "Source-SHA256": dashboard["source"]["sha256"], "Description": dashboard["caption"]})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
