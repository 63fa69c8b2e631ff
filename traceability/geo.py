"""Growing-area boundaries as GeoJSON: validation (shapely), area in ha and a small SVG drawing.

Validation takes three steps, each with its own readable message:
1. structure, by hand and without recursion: a Polygon or MultiPolygon (or a Feature holding
   one), finite [longitude, latitude] numbers, closed rings, at most MAX_VERTICES positions;
2. geometry, by shapely: a valid polygon (no ring crossing itself or another, holes inside
   their shell, MultiPolygon parts not overlapping), at any number of vertices; the message
   carries `shapely.validation.explain_validity`;
3. plausibility: inside VIETNAM_BBOX and between MIN_AREA_HA and MAX_AREA_HA.

The area uses the spherical-excess formula on the WGS 84 mean radius (Chamberlain & Duquette,
the method Turf.js uses): exact for a latitude/longitude cell, within a fraction of a percent of
a geodesic computation at plot sizes (tests/traceability/test_boundaries.py checks both).
The drawing is an inline SVG path rendered on the server, so the scan page loads no map tiles.

shapely (with numpy, ≈ 16 MiB per worker) is imported by the functions that validate, which run
when an area is saved: `outline()` computes there what public pages show (the drawing, the
centroid), `GrowingArea.save()` stores it, and scan pages, EPCIS and the open data API read
the stored outline. An area saved with a boundary that does not validate (written before these
rules, or behind the form's back) gets no outline, no area and no drawing: never a 500.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.base import BaseGeometry

logger = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_008.8
MAX_VERTICES = 5_000
# Longitude/latitude box: mainland (Apa Chải 102.14° E, Lũng Cú 23.39° N, Mũi Cà Mau),
# Phú Quốc and Thổ Chu, Côn Đảo, Hoàng Sa (≈ 111–113° E, 15.7–17.1° N) and Trường Sa
# (≈ 111.5–117.9° E down to An Bang, 7.9° N). A box, not the border: it stops a plot drawn in
# the wrong hemisphere or with swapped coordinates, not one a few km across a land border.
VIETNAM_BBOX = (102.1, 7.5, 117.9, 23.4)  # min lon, min lat, max lon, max lat
MIN_AREA_HA = 0.01  # 100 m²: a greenhouse, a fish pond
MAX_AREA_HA = 100_000.0  # 1,000 km²: larger than any recorded raw-material zone

Ring = list[tuple[float, float]]


def _error(message: str) -> ValidationError:
    return ValidationError(message, code="boundary")


# --- 1. structure -----------------------------------------------------------------------------


def _polygons_coordinates(geojson: Any) -> list[Any]:
    """The coordinates of each polygon (a list of rings), without looking inside the rings."""
    if not isinstance(geojson, dict):
        raise _error(_("The boundary must be a GeoJSON object."))
    if geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
        if not isinstance(geojson, dict):
            raise _error(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    kind, coordinates = geojson.get("type"), geojson.get("coordinates")
    if kind == "Polygon" and isinstance(coordinates, list) and coordinates:
        return [coordinates]
    if kind == "MultiPolygon" and isinstance(coordinates, list) and coordinates:
        return coordinates
    raise _error(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise _error(_("Each ring of the boundary needs at least four positions."))
    ring: Ring = []
    for position in raw:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise _error(_("Each position must be [longitude, latitude]."))
        lon, lat = _number(position[0]), _number(position[1])
        if lon is None or lat is None:
            raise _error(_("Each position must be [longitude, latitude]."))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _error(_("A position lies outside longitude −180…180 or latitude −90…90."))
        ring.append((lon, lat))
    if ring[0] != ring[-1]:
        raise _error(_("A ring of the boundary must end where it starts."))
    if len(set(ring[:-1])) < 3:
        raise _error(_("A ring of the boundary needs at least three distinct positions."))
    return ring


def polygon_rings(geojson: Any) -> list[list[Ring]]:
    """Each polygon of the boundary as its rings (shell first, then holes), structure checked."""
    polygons: list[list[Ring]] = []
    total = 0
    for raw_polygon in _polygons_coordinates(geojson):
        if not isinstance(raw_polygon, list) or not raw_polygon:
            raise _error(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
        rings = []
        for raw_ring in raw_polygon:
            total += len(raw_ring) if isinstance(raw_ring, list) else 0
            if total > MAX_VERTICES:
                raise _error(_("The boundary has too many points (at most 5,000)."))
            rings.append(_ring(raw_ring))
        polygons.append(rings)
    return polygons


# --- 2. geometry ------------------------------------------------------------------------------


def boundary_geometry(geojson: Any) -> Polygon | MultiPolygon:
    """The boundary as a valid shapely (Multi)Polygon; ValidationError saying what is wrong."""
    from shapely.errors import ShapelyError
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.validation import explain_validity

    polygons = polygon_rings(geojson)
    try:
        parts = [Polygon(rings[0], rings[1:]) for rings in polygons]
        geometry = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        valid = geometry.is_valid
    except (ShapelyError, ValueError) as exc:
        raise _error(
            _("The boundary is not a valid polygon: %(reason)s.") % {"reason": exc}
        ) from exc
    if not valid:
        raise _error(
            _("The boundary is not a valid polygon: %(reason)s.")
            % {"reason": explain_validity(geometry)}
        )
    return geometry


# --- area -------------------------------------------------------------------------------------


def _ring_area_m2(coords) -> float:
    points = list(coords)
    total = 0.0
    n = len(points) - 1
    for i in range(n):
        lon1, lat1 = points[i][:2]
        lon2, lat2 = points[i + 1][:2]
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * EARTH_RADIUS_M**2 / 2)


def _parts(geometry: BaseGeometry) -> list[Polygon]:
    return list(getattr(geometry, "geoms", [geometry]))  # a MultiPolygon's parts, or itself


def geometry_area_hectares(geometry: BaseGeometry) -> float:
    parts = _parts(geometry)
    area = sum(
        _ring_area_m2(p.exterior.coords) - sum(_ring_area_m2(i.coords) for i in p.interiors)
        for p in parts
    )
    return max(area, 0.0) / 10_000


def area_hectares(geojson: Any) -> float:
    return geometry_area_hectares(boundary_geometry(geojson))


# --- 3. plausibility: the one validator forms and the model use -------------------------------


def validate_boundary(geojson: Any) -> Polygon | MultiPolygon:
    geometry = boundary_geometry(geojson)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    box = VIETNAM_BBOX
    if min_lon < box[0] or min_lat < box[1] or max_lon > box[2] or max_lat > box[3]:
        raise _error(
            _(
                "The boundary lies outside Viet Nam (longitude %(lon_min)s…%(lon_max)s, "
                "latitude %(lat_min)s…%(lat_max)s). Are longitude and latitude swapped?"
            )
            % {"lon_min": box[0], "lon_max": box[2], "lat_min": box[1], "lat_max": box[3]}
        )
    hectares = geometry_area_hectares(geometry)
    if not MIN_AREA_HA <= hectares <= MAX_AREA_HA:
        raise _error(
            _(
                "The boundary encloses %(area)s ha; a growing area must be between "
                "%(min)s ha and %(max)s ha."
            )
            % {"area": f"{hectares:,.4g}", "min": MIN_AREA_HA, "max": f"{MAX_AREA_HA:,.0f}"}
        )
    return geometry


def safe_geometry(geojson: Any) -> Polygon | MultiPolygon | None:
    """The stored boundary if it still passes every rule, else None (logged): for reads."""
    if not geojson:
        return None
    from shapely.errors import ShapelyError

    try:
        return validate_boundary(geojson)
    except (ValidationError, ShapelyError, ValueError, TypeError, RecursionError) as exc:
        logger.warning("Ignoring an invalid stored boundary: %s", exc)
        return None


def centroid(geometry: BaseGeometry) -> tuple[float, float]:
    """The (lon, lat) centroid of the area: the read point of its events in EPCIS."""
    point = geometry.centroid
    return point.x, point.y


def svg_path(geometry: BaseGeometry, size: int = 120, pad: int = 4) -> tuple[str, int, int]:
    """An SVG path (`d`) of the area fitted into a `size` box, with its width and height.

    Longitude is scaled by cos(latitude) so the shape is not stretched; y points down.
    """
    parts = _parts(geometry)
    rings = [list(r.coords) for p in parts for r in (p.exterior, *p.interiors)]
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    min_x, max_x, min_y, max_y = min_lon * kx, max_lon * kx, min_lat, max_lat
    span = max(max_x - min_x, max_y - min_y) or 1.0
    scale = (size - 2 * pad) / span
    width = round((max_x - min_x) * scale) + 2 * pad
    height = round((max_y - min_y) * scale) + 2 * pad
    d = []
    for ring in rings:
        points = [
            f"{(lon * kx - min_x) * scale + pad:.1f} {(max_y - lat) * scale + pad:.1f}"
            for lon, lat in ring[:-1]
        ]
        d.append("M" + " L".join(points) + " Z")
    return " ".join(d), width, height


# --- what public pages read: computed on save, stored on the area -----------------------------


def outline_of(geometry: BaseGeometry) -> dict[str, Any]:
    """What public pages show of a valid boundary, stored on the area when it is saved.

    `{"d", "width", "height"}`: the scan page's SVG drawing; `"centroid"`: [lon, lat], the
    read point of EPCIS events.
    """
    d, width, height = svg_path(geometry)
    lon, lat = centroid(geometry)
    return {"d": d, "width": width, "height": height, "centroid": [lon, lat]}


def outline(geojson: Any) -> dict[str, Any] | None:
    """The outline of a boundary that passes every rule, else None (the data migration)."""
    geometry = safe_geometry(geojson)
    return outline_of(geometry) if geometry is not None else None


def plain_geometry(geojson: Any) -> dict[str, Any] | None:
    """The boundary as a bare GeoJSON Polygon or MultiPolygon of [lon, lat] floats, read
    without shapely (a Feature unwrapped, extra coordinates dropped); None if malformed.
    For areas whose stored outline says the boundary is valid."""
    try:
        polygons = polygon_rings(geojson)
    except (ValidationError, TypeError, ValueError):
        return None
    coordinates = [[[list(p) for p in ring] for ring in rings] for rings in polygons]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}
