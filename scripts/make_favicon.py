"""The raster favicon from the same drawing as static/img/favicon.svg (the header's logo: a rounded square cut
along its diagonal, the portal's accent above, the lighter blue below), drawn with Pillow so nothing is fetched.

    .venv/bin/python scripts/make_favicon.py      # writes static/img/favicon-32.png

tests/core/test_favicon.py draws it again and compares it with the committed file.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
PNG = ROOT / "static" / "img" / "favicon-32.png"

ACCENT = (0x0B, 0x53, 0x94, 255)  # --portal-accent
LIGHT = (0x3D, 0x85, 0xC6, 255)
SIZE, RADIUS = 32, 7  # the SVG's viewBox and corner radius
SCALE = 8  # drawn large and scaled down: smooth edges without an SVG renderer


def draw(size: int = SIZE) -> Image.Image:
    big = SIZE * SCALE
    art = Image.new("RGBA", (big, big), LIGHT)
    ImageDraw.Draw(art).polygon([(0, 0), (big, 0), (0, big)], fill=ACCENT)
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, big - 1, big - 1), radius=RADIUS * SCALE, fill=255)
    art.putalpha(mask)
    return art.resize((size, size), Image.Resampling.LANCZOS)


def png_bytes() -> bytes:
    out = BytesIO()
    draw().save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    PNG.write_bytes(png_bytes())
    print(f"{PNG.relative_to(ROOT)}: {PNG.stat().st_size} B")


if __name__ == "__main__":
    main()
