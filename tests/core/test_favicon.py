"""The favicon: an SVG and a 32×32 PNG drawn from it (scripts/make_favicon.py), both referenced from base.html and
kept in the portal's own static files (no CDN)."""

import importlib.util
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("make_favicon", ROOT / "scripts" / "make_favicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_png_is_what_the_script_draws():
    committed = Image.open(finders.find("img/favicon-32.png"))
    assert committed.size == (32, 32) and committed.mode == "RGBA"
    drawn = Image.open(BytesIO(_script().png_bytes()))
    assert ImageChops.difference(committed, drawn).getbbox() is None


def test_png_matches_the_svg_colours_and_rounded_corners():
    image = Image.open(finders.find("img/favicon-32.png"))
    svg = ElementTree.parse(finders.find("img/favicon.svg")).getroot()
    fills = {el.get("fill") for el in svg.iter() if el.get("fill")}
    assert fills == {"#0b5394", "#3d85c6"}
    assert image.getpixel((4, 4))[:3] == (0x0B, 0x53, 0x94)  # the accent above the diagonal
    assert image.getpixel((27, 27))[:3] == (0x3D, 0x85, 0xC6)  # the lighter blue below it
    assert image.getpixel((0, 0))[3] == 0  # a rounded corner is transparent


@pytest.mark.django_db
def test_base_html_links_both_icons_from_the_static_files(client):
    html = client.get(reverse("home")).content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
    assert f'<link rel="icon" href="{static("img/favicon-32.png")}" sizes="32x32" type="image/png">' in html
    for name in ("img/favicon.svg", "img/favicon-32.png"):
        assert finders.find(name), name
