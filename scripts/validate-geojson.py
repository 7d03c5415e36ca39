#!/usr/bin/env python3
"""Validate the GeoJSON files a report writes (network.geojson, traces/*.geojson) with the `geojson` package (PyPI,
3.3.0: `pip install geojson==3.3.0`), plus the RFC 7946 rules it does not check: WGS 84 ranges and no NaN/Infinity.

    python3 scripts/validate-geojson.py reports/2026-09            # every *.geojson under the folder
    python3 scripts/validate-geojson.py a.geojson b.geojson

Exit 0 when every file is valid, 1 when one is not (each problem printed), 2 when there is nothing to check.
"""
import json
import pathlib
import sys

import geojson


def reject_constant(name):
    raise ValueError(f"{name} is not JSON (RFC 8259) and so not GeoJSON")


def positions(geometry):
    """Every position of a geometry, whatever its type."""
    kind, coordinates = geometry["type"], geometry.get("coordinates")
    if kind == "GeometryCollection":
        for member in geometry["geometries"]:
            yield from positions(member)
    elif kind == "Point":
        yield coordinates
    elif kind in ("MultiPoint", "LineString"):
        yield from coordinates
    elif kind in ("MultiLineString", "Polygon"):
        for line in coordinates:
            yield from line
    elif kind == "MultiPolygon":
        for polygon in coordinates:
            for ring in polygon:
                yield from ring


def problems(path):
    text = path.read_text(encoding="utf-8")
    try:
        raw = json.loads(text, parse_constant=reject_constant)
    except ValueError as error:
        return [f"not JSON: {error}"]
    found = []
    document = geojson.loads(text)
    if not document.is_valid:
        found.append(f"geojson {geojson.__version__}: {document.errors()}")
    if raw.get("type") != "FeatureCollection":
        found.append(f"top level is {raw.get('type')!r}, expected a FeatureCollection")
    for index, feature in enumerate(raw.get("features", [])):
        if feature.get("type") != "Feature":
            found.append(f"features[{index}] is {feature.get('type')!r}, expected a Feature")
            continue
        if feature.get("geometry") is None:
            continue
        for position in positions(feature["geometry"]):
            lon, lat = position[0], position[1]
            # RFC 7946 §3.1.1: longitude first, WGS 84 degrees.
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                found.append(f"features[{index}]: position {position} outside WGS 84 (longitude, latitude)")
    return found


def main(arguments):
    files = []
    for argument in arguments or ["."]:
        path = pathlib.Path(argument)
        files += sorted(path.rglob("*.geojson")) if path.is_dir() else [path]
    if not files:
        print("validate-geojson: no .geojson files found", file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        found = problems(path)
        bad += bool(found)
        for problem in found:
            print(f"{path}: {problem}")
    print(f"validate-geojson: {len(files) - bad} of {len(files)} files valid (geojson {geojson.__version__}, RFC 7946 ranges)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
