"""Chart rendering benchmark: milliseconds of CPU per decay chart, SVG and PNG.

    .venv/bin/python bench/charts.py [--repeat 20]

Prints the median and the 90th percentile per format for a 90-day weekly chart (13 points) and
a 30-day daily chart (30 points), with the load average (the machine is shared: give it with
every figure). A served chart is drawn once per distinct picture (api/charts/endpoint.py caches
the bytes under a hash of what is drawn); this is the cost of that one drawing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.charts.render import ChartPicture, ChartPoint, ImageFormat, render


def _picture(points: int, days: int) -> ChartPicture:
    start = datetime(2026, 3, 2, tzinfo=UTC)
    drawn = tuple(
        ChartPoint(
            start + timedelta(days=days * i),
            average=80 - 4 * i * 13 / points + (i % 3),
            best=70 - 4 * i * 13 / points,
            count=2 + i % 5,
        )
        for i in range(points)
    )
    period = "last 90 days, per week" if days == 7 else "last 30 days, per day"
    return ChartPicture("Compose a symphony from a hum", period, days, drawn, -48.2)


def main() -> None:
    parser = argparse.ArgumentParser(description="Milliseconds of CPU per decay chart.")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    render(_picture(3, 7), "svg")  # imports matplotlib, loads the font
    print(
        f"first chart (matplotlib import included): {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    formats: tuple[ImageFormat, ...] = ("svg", "png")
    for label, picture in (
        ("weekly, 13 points", _picture(13, 7)),
        ("daily, 30 points", _picture(30, 1)),
    ):
        for image_format in formats:
            times: list[float] = []
            body = b""
            for _ in range(args.repeat):
                tick = time.process_time()
                body = render(picture, image_format)
                times.append((time.process_time() - tick) * 1000)
            p90 = statistics.quantiles(times, n=10)[-1]
            print(
                f"{label:<18} {image_format}: median {statistics.median(times):6.1f} ms CPU, "
                f"p90 {p90:6.1f} ms, {len(body) / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
