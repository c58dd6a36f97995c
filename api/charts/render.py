"""Drawing a decay chart as SVG or PNG with matplotlib (no pyplot, no global figure state).

Why matplotlib (over pygal + cairosvg, the other well-kept option): its output is the same bytes
on every machine and every run, because it ships its own fonts (DejaVu Sans) and rasterizer
(Agg), draws SVG text as paths (`svg.fonttype = path`: no font needed to view it), and takes a
fixed id salt. So ETags agree across API processes, HTTP revalidation works, and tests can
compare output. pygal is far smaller (about 3 MB against about 170 MB with numpy and fontTools)
and draws SVG in about 10 ms, but it puts a random id in every SVG, and its PNGs go through the
system's cairo and fontconfig (a Debian package the runtime image would need, and fonts that
differ between machines). A matplotlib chart costs tens of milliseconds of CPU (see the README's
figures), paid once per chart and data: `api/charts/endpoint.py` caches the rendered bytes under
a hash of what was drawn.

Everything here is synchronous and CPU-bound: callers run it in a worker thread.
"""

# matplotlib's stubs leave `**kwargs` untyped, so strict "unknown" checks can't pass on calls
# into it; every value crossing this module's boundary is typed.
# pyright: reportUnknownMemberType=false, reportUnknownArgumentType=false, reportUnknownVariableType=false

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import matplotlib as mpl
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = ["AVERAGE", "BEST", "COUNTS", "ChartPicture", "ImageFormat", "render"]

ImageFormat = Literal["svg", "png"]

# Element ids in the SVG (matplotlib's `gid`), so pages and tests can find the series.
AVERAGE, BEST, COUNTS = "average", "best", "counts"

mpl.rcParams.update(
    {
        "svg.hashsalt": "dreams-decay-chart",  # deterministic clip-path and glyph ids
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 10,
    }
)

_AVERAGE_COLOR, _BEST_COLOR, _COUNT_COLOR = "#4f46e5", "#059669", "#94a3b8"
_WIDTH, _HEIGHT, _DPI = 8.0, 4.2, 100


@dataclass(frozen=True, slots=True)
class ChartPoint:
    bucket_start: datetime
    average: float
    best: float
    count: int


@dataclass(frozen=True, slots=True)
class ChartPicture:
    """Everything drawn: the picture depends on nothing else (its cache key hashes this)."""

    title: str
    period: str  # e.g. "last 30 days, per day"
    bucket_days: int  # 1 or 7
    points: tuple[ChartPoint, ...]
    trend: float | None

    @property
    def subtitle(self) -> str:
        tests = sum(p.count for p in self.points)
        trend = "no trend yet" if self.trend is None else f"trend {self.trend:+.1f} %"
        return f"Impossibility score, {self.period} · {tests} completed tests · {trend}"

    def describe(self) -> str:
        """The data in words (the SVG's `<desc>`, for screen readers and search)."""
        if not self.points:
            return f"{self.subtitle}. No completed tests in this period."
        rows = "; ".join(
            f"{p.bucket_start:%Y-%m-%d}: average {p.average:.2f}, best {p.best:.2f}, "
            f"{p.count} tests"
            for p in self.points
        )
        return f"{self.subtitle}. {rows}."


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _draw(picture: ChartPicture) -> Figure:
    figure = Figure(figsize=(_WIDTH, _HEIGHT), dpi=_DPI, facecolor="white")
    figure.subplots_adjust(left=0.08, right=0.92, top=0.84, bottom=0.12)
    axes = figure.add_subplot()
    figure.text(0.08, 0.95, _short(picture.title), fontsize=13, fontweight="bold", va="top")
    figure.text(0.08, 0.895, picture.subtitle, fontsize=9, color="#475569", va="top")
    axes.set_ylim(0, 100)
    axes.set_yticks([0, 25, 50, 75, 100])
    axes.set_ylabel("impossibility (lower is better)")
    axes.grid(axis="y", color="#e2e8f0", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if not picture.points:
        axes.set_xticks([])
        axes.text(0.5, 0.5, "No completed tests in this period", ha="center",
                  transform=axes.transAxes, color="#64748b")  # fmt: skip
        return figure
    x = [float(date2num(p.bucket_start)) for p in picture.points]
    counts = axes.twinx()
    counts.set_gid(COUNTS)
    width = picture.bucket_days * 0.6
    counts.bar(x, [p.count for p in picture.points], width=width, color=_COUNT_COLOR,
               alpha=0.25, label="tests", gid=COUNTS)  # fmt: skip
    counts.set_ylim(0, max(p.count for p in picture.points) * 3)
    counts.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    counts.set_ylabel("completed tests", color="#64748b")
    counts.spines["top"].set_visible(False)
    axes.set_zorder(counts.get_zorder() + 1)
    axes.patch.set_visible(False)
    axes.plot(x, [p.average for p in picture.points], color=_AVERAGE_COLOR, marker="o",
              markersize=4, linewidth=2, label="average", gid=AVERAGE)  # fmt: skip
    axes.plot(x, [p.best for p in picture.points], color=_BEST_COLOR, marker="v",
              markersize=4, linewidth=1.2, linestyle="--", label="best", gid=BEST)  # fmt: skip
    locator = AutoDateLocator(minticks=3, maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if len(x) == 1:
        axes.set_xlim(x[0] - 2 * picture.bucket_days, x[0] + 2 * picture.bucket_days)
    handles = [*axes.get_legend_handles_labels()[0], *counts.get_legend_handles_labels()[0]]
    axes.legend(handles=handles, loc="upper right", frameon=False, ncols=3, fontsize=9)
    return figure


def _accessible(svg: bytes, picture: ChartPicture) -> bytes:
    """The SVG with a `<title>` and `<desc>` (what the chart says, in words) after its root
    element's start tag."""
    from xml.sax.saxutils import escape

    start = svg.index(b">", svg.index(b"<svg")) + 1
    text = f"\n <title>{escape(picture.title)}</title>\n <desc>{escape(picture.describe())}</desc>"
    return svg[:start] + text.encode() + svg[start:]


def render(picture: ChartPicture, image_format: ImageFormat) -> bytes:
    """The chart as SVG (text as paths, with a title and description) or PNG (800x420)."""
    figure = _draw(picture)
    buffer = io.BytesIO()
    if image_format == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        return _accessible(buffer.getvalue(), picture)
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
