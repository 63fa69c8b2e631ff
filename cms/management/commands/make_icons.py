"""Write the site's icons (favicon.ico, apple-touch-icon.png, icon.svg) into static/.

The icons are generated, not drawn by hand: a gold five-pointed star (OCOP's stars) on the
site's green. Re-run after changing the colours; the files are committed.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

GREEN, GOLD = "#1b6b3a", "#f2c14e"


def star_points(size: float, inset: float = 0.2) -> list[tuple[float, float]]:
    centre, outer = size / 2, size * (0.5 - inset)
    inner = outer * 0.42
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(
            (centre + radius * math.cos(angle), centre + size * 0.03 + radius * math.sin(angle))
        )
    return points


def icon_png(size: int, rounded: bool) -> Image.Image:
    scale = 4  # drawn large, scaled down: smooth edges without anti-aliasing support
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = big * 0.18 if rounded else 0
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=GREEN)
    draw.polygon(star_points(big), fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def icon_svg() -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in star_points(64))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{GREEN}"/>'
        f'<polygon points="{points}" fill="{GOLD}"/></svg>\n'
    )


class Command(BaseCommand):
    help = "Generate favicon.ico, icons/apple-touch-icon.png and icons/icon.svg in static/."

    def handle(self, *args, **options):
        static = Path(settings.BASE_DIR) / "static"
        (static / "icons").mkdir(parents=True, exist_ok=True)
        icon_png(48, rounded=True).save(
            static / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)]
        )
        # iOS rounds the corners itself and shows transparency as black: a full square.
        icon_png(180, rounded=False).convert("RGB").save(
            static / "icons" / "apple-touch-icon.png", optimize=True
        )
        (static / "icons" / "icon.svg").write_text(icon_svg())
        self.stdout.write("Icons written to static/")
