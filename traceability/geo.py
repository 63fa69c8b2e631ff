"""Growing-area boundaries as GeoJSON polygons: validation, area and a small SVG drawing.

No GIS stack is needed for plots of a few hectares: the area uses the spherical-excess
formula on the WGS 84 mean radius (Chamberlain & Duquette, the method Turf.js uses), which is
within a fraction of a percent of a geodesic computation at these sizes. The drawing is an
inline SVG path rendered on the server, so the scan page loads no map tiles.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_M = 6_371_008.8
MAX_VERTICES = 5_000

Ring = list[tuple[float, float]]


def _error(message: str) -> ValidationError:
    return ValidationError(message, code="boundary")


def polygon_rings(geojson: Any) -> list[Ring]:
    """The rings (outer first, then holes) of a GeoJSON Polygon, a Feature holding one, or
    a one-polygon MultiPolygon; raise ValidationError with a readable message otherwise."""
    if not isinstance(geojson, dict):
        raise _error(_("The boundary must be a GeoJSON object."))
    if geojson.get("type") == "Feature":
        geojson = geojson.get("geometry") or {}
    kind = geojson.get("type")
    coordinates = geojson.get("coordinates")
    if kind == "MultiPolygon" and isinstance(coordinates, list) and len(coordinates) == 1:
        kind, coordinates = "Polygon", coordinates[0]
    if kind != "Polygon" or not isinstance(coordinates, list) or not coordinates:
        raise _error(_("The boundary must be a GeoJSON Polygon."))
    rings: list[Ring] = []
    total = 0
    for raw_ring in coordinates:
        ring = _ring(raw_ring)
        total += len(ring)
        rings.append(ring)
    if total > MAX_VERTICES:
        raise _error(_("The boundary has too many points (at most 5,000)."))
    for ring in rings:
        if _self_intersects(ring):
            raise _error(_("The boundary crosses itself."))
    return rings


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise _error(_("Each ring of the boundary needs at least four positions."))
    ring: Ring = []
    for position in raw:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            raise _error(_("Each position must be [longitude, latitude]."))
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _error(_("A position lies outside longitude −180…180 or latitude −90…90."))
        ring.append((lon, lat))
    if ring[0] != ring[-1]:
        raise _error(_("A ring of the boundary must end where it starts."))
    if len(set(ring[:-1])) < 3:
        raise _error(_("A ring of the boundary needs at least three distinct positions."))
    return ring


def _segments_cross(a: tuple, b: tuple, c: tuple, d: tuple) -> bool:
    def orient(p, q, r) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    return (o1 * o2 < 0) and (o3 * o4 < 0)


def _self_intersects(ring: Ring) -> bool:
    edges = list(zip(ring[:-1], ring[1:], strict=True))
    n = len(edges)
    if n > 400:  # quadratic check: skip on very detailed surveys
        return False
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing point
            if _segments_cross(*edges[i], *edges[j]):
                return True
    return False


def _ring_area_m2(ring: Ring) -> float:
    total = 0.0
    n = len(ring) - 1
    for i in range(n):
        lon1, lat1 = ring[i]
        lon2, lat2 = ring[(i + 1) % n]
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * EARTH_RADIUS_M**2 / 2)


def area_hectares(geojson: Any) -> float:
    rings = polygon_rings(geojson)
    area = _ring_area_m2(rings[0]) - sum(_ring_area_m2(r) for r in rings[1:])
    return max(area, 0.0) / 10_000


def centroid(geojson: Any) -> tuple[float, float]:
    """The mean of the outer ring's vertices (lon, lat): good enough for a plot's readPoint."""
    outer = polygon_rings(geojson)[0][:-1]
    return (
        sum(p[0] for p in outer) / len(outer),
        sum(p[1] for p in outer) / len(outer),
    )


def svg_path(geojson: Any, size: int = 120, pad: int = 4) -> tuple[str, int, int]:
    """An SVG path (`d`) of the polygon fitted into a `size` box, with its width and height.

    Longitude is scaled by cos(latitude) so the shape is not stretched; y points down.
    """
    rings = polygon_rings(geojson)
    outer = rings[0]
    mean_lat = math.radians(sum(p[1] for p in outer) / len(outer))
    kx = math.cos(mean_lat)
    xs = [p[0] * kx for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span = max(max_x - min_x, max_y - min_y) or 1.0
    scale = (size - 2 * pad) / span
    width = round((max_x - min_x) * scale) + 2 * pad
    height = round((max_y - min_y) * scale) + 2 * pad
    parts = []
    for ring in rings:
        points = [
            f"{(lon * kx - min_x) * scale + pad:.1f} {(max_y - lat) * scale + pad:.1f}"
            for lon, lat in ring[:-1]
        ]
        parts.append("M" + " L".join(points) + " Z")
    return " ".join(parts), width, height
