"""Screenshots of pages in headless Chromium, and comparing them with committed references.

`compare(actual, reference, masks)` tolerates what differs between machines and days without
hiding a broken page: regions known to change (dates on axes) are masked in both, both images
are shrunk to half their size (which blurs away font antialiasing and hinting), a pixel counts
as different only when a channel moves by more than `TOLERANCE`, and at most `BUDGET` of the
pixels may differ (a chart missing from a page of three is about 1 %). Set
`UPDATE_SCREENSHOTS=1` to write new references instead of comparing (then look at them before
committing).
"""

from __future__ import annotations

import asyncio
import base64
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from orm.runtime.types import JsonValue
from tests.api.test_graphiql import DevTools

__all__ = [
    "BUDGET",
    "TOLERANCE",
    "Box",
    "Difference",
    "Page",
    "check_against_reference",
    "compare",
    "open_page",
]

REFERENCES = Path(__file__).parent / "reference"
TOLERANCE = 24  # of 255, per channel, after shrinking
BUDGET = 0.004  # share of the shrunk pixels that may differ
SHRINK = 2

Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True, slots=True)
class Difference:
    share: float  # of the pixels that differ beyond the tolerance
    size_matches: bool

    @property
    def acceptable(self) -> bool:
        return self.size_matches and self.share <= BUDGET


def _masked(image: Image.Image, masks: list[Box]) -> Image.Image:
    image = image.convert("RGB")
    draw = ImageDraw.Draw(image)
    for box in masks:
        draw.rectangle(box, fill="#ff00ff")
    size = (image.width // SHRINK, image.height // SHRINK)
    return image.resize(size, Image.Resampling.BOX)


def compare(actual: bytes, reference: bytes, masks: list[Box] | None = None) -> Difference:
    now, then = Image.open(io.BytesIO(actual)), Image.open(io.BytesIO(reference))
    if now.size != then.size:
        return Difference(share=1.0, size_matches=False)
    small_now, small_then = _masked(now, masks or []), _masked(then, masks or [])
    size = small_now.size
    red, green, blue = ImageChops.difference(small_now, small_then).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)  # per pixel
    differing = sum(largest.histogram()[TOLERANCE + 1 :])
    return Difference(share=differing / (size[0] * size[1]), size_matches=True)


def check_against_reference(name: str, actual: bytes, masks: list[Box] | None = None) -> Difference:
    """Compare with `reference/<name>.png`, or write it when `UPDATE_SCREENSHOTS=1`."""
    path = REFERENCES / f"{name}.png"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not path.exists():
        if os.environ.get("CI") and not path.exists():
            raise AssertionError(f"{path} is missing: run the test with UPDATE_SCREENSHOTS=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    return compare(actual, path.read_bytes(), masks)


@dataclass(slots=True)
class Page:
    tools: DevTools
    session: str

    async def evaluate(self, expression: str) -> JsonValue:
        result = await self.tools.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session
        )
        return result["result"].get("value")

    async def wait_for(self, expression: str, *, tries: int = 900) -> JsonValue:
        """The first truthy value of `expression` (a bound for loaded machines, not a timing
        assertion)."""
        for _ in range(tries):
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"{expression} never became true")

    async def screenshot(self) -> bytes:
        shot = await self.tools.send("Page.captureScreenshot", {"format": "png"}, self.session)
        return base64.b64decode(str(shot["data"]))

    @property
    def requested(self) -> list[str]:
        return [
            str(event["params"]["request"]["url"])
            for event in self.tools.events
            if event.get("method") == "Network.requestWillBeSent"
        ]


async def open_page(tools: DevTools, url: str, *, width: int = 1280, height: int = 900) -> Page:
    target = await tools.send("Target.createTarget", {"url": "about:blank"})
    attached = await tools.send(
        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
    )
    session = str(attached["sessionId"])
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    await tools.send("Emulation.setDeviceMetricsOverride", metrics, session)
    await tools.send("Emulation.setTimezoneOverride", {"timezoneId": "UTC"}, session)
    await tools.send("Network.enable", {}, session)
    await tools.send("Page.enable", {}, session)
    await tools.send("Page.navigate", {"url": url}, session)
    return Page(tools, session)
