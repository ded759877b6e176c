"""Server-rendered charts: the geometry of bar and line charts, drawn as SVG by the macros in
``templates/_charts.html``. Colours come from CSS classes (``s0``…``s9``): the CSP forbids inline
``style=``, and nothing is loaded from elsewhere. Every chart is drawn from a ``Table``, which
the page also shows beside it and offers as CSV."""
from __future__ import annotations

import dataclasses
import math

from babel.numbers import format_decimal

WIDTH, HEIGHT = 420, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 30
SERIES_CLASSES = 10


@dataclasses.dataclass
class Table:
    """A figure's data: what the chart draws, the table beside it shows and the CSV holds."""
    name: str
    title: str
    header: list
    rows: list

    def dicts(self):
        for row in self.rows:
            yield dict(zip(self.header, row))


def nice_max(value: float, ticks: int = 4) -> float:
    """The smallest ``ticks`` x step at or above ``value``, the step a whole 1, 2, 3 or 5 x 10^k
    (so every gridline is a round, whole number: counts are whole)."""
    if value <= ticks:
        return ticks
    raw = value / ticks
    exp = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 3, 5, 10):
        if step * exp >= raw:
            return ticks * step * exp
    return ticks * 10 * exp


def _frame(labels, top_value):
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    ymax = nice_max(top_value)
    ticks = [{"y": TOP + plot_h - plot_h * i / 4, "label": _fmt(ymax * i / 4)} for i in range(5)]
    n = max(len(labels), 1)
    band = plot_w / n
    every = max(1, math.ceil(n / max(1, plot_w // 64)))  # a "2026-11" label is ~60 units wide at 14px
    xlabels = [{"x": LEFT + band * (i + .5), "label": str(lab)} for i, lab in enumerate(labels) if i % every == 0]
    return plot_w, plot_h, ymax, ticks, band, xlabels


def _num(v, pattern: str = "#,##0.###") -> str:
    """A number as the reader's language writes it ("1,234.5", "1.234,5", "1 234,5")."""
    from advocacy.i18n import format_locale

    return format_decimal(v, format=pattern, locale=format_locale())


def _fmt(v: float) -> str:
    return _num(v, "#,##0") if v == int(v) or v >= 10 else _num(v, "0.0")


def bar_chart(labels: list, series: list[tuple[str, list]], *, title: str) -> dict:
    """Stacked bars: ``series`` is [(name, [value per label])]."""
    totals = [sum(s[1][i] or 0 for s in series) for i in range(len(labels))]
    plot_w, plot_h, ymax, ticks, band, xlabels = _frame(labels, max(totals, default=0))
    bars = []
    for i, label in enumerate(labels):
        y = TOP + plot_h
        for k, (name, values) in enumerate(series):
            v = values[i] or 0
            if not v:
                continue
            h = plot_h * v / ymax
            y -= h
            bars.append({"x": round(LEFT + band * i + band * .15, 2), "y": round(y, 2), "w": round(band * .7, 2),
                         "h": round(h, 2), "cls": f"s{k % SERIES_CLASSES}", "tip": f"{label} · {name}: {_num(v)}"})
    return {"kind": "bar", "title": title, "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "base": TOP + plot_h, "ticks": ticks, "xlabels": xlabels, "bars": bars,
            "legend": [(name, f"s{k % SERIES_CLASSES}") for k, (name, _) in enumerate(series)]}


def line_chart(labels: list, series: list[tuple[str, list]], *, title: str) -> dict:
    """One line per series: ``series`` is [(name, [value per label])]."""
    top = max((v or 0 for _, values in series for v in values), default=0)
    plot_w, plot_h, ymax, ticks, band, xlabels = _frame(labels, top)
    lines = []
    for k, (name, values) in enumerate(series):
        pts = [(round(LEFT + band * (i + .5), 2), round(TOP + plot_h - plot_h * (v or 0) / ymax, 2))
               for i, v in enumerate(values)]
        lines.append({"points": " ".join(f"{x},{y}" for x, y in pts), "cls": f"s{k % SERIES_CLASSES}",
                      "dots": [{"x": x, "y": y, "tip": f"{labels[i]} · {name}: {_num(values[i] or 0)}"}
                               for i, (x, y) in enumerate(pts)]})
    return {"kind": "line", "title": title, "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "base": TOP + plot_h, "ticks": ticks, "xlabels": xlabels, "lines": lines,
            "legend": [(name, f"s{k % SERIES_CLASSES}") for k, (name, _) in enumerate(series)]}


def hbar_chart(labels: list, values: list, *, title: str, unit: str = "") -> dict:
    """Horizontal bars, one per category, labelled on the left: for categories with long names."""
    row, label_w, pad = 24, 170, 6
    height = TOP + row * max(len(labels), 1) + 6
    plot_w = WIDTH - label_w - RIGHT - 50
    vmax = nice_max(max((v or 0 for v in values), default=0))
    bars = []
    for i, (label, v) in enumerate(zip(labels, values)):
        y = TOP + row * i
        w = plot_w * (v or 0) / vmax
        bars.append({"x": label_w, "y": y + pad / 2, "w": round(w, 2), "h": row - pad, "cls": f"s{i % SERIES_CLASSES}",
                     "tip": f"{label}: {_num(v, '0.0')}{unit}", "label": label, "label_y": y + row / 2 + 4,
                     "value": f"{_num(v, '0.0')}{unit}", "value_x": label_w + w + 4})
    return {"kind": "hbar", "title": title, "width": WIDTH, "height": height, "left": label_w, "right": WIDTH - RIGHT,
            "base": height - 3, "ticks": [], "xlabels": [], "bars": bars, "legend": []}
