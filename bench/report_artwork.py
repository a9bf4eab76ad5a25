"""Issue 58's artwork figures: a first scan's posters and fanart in place on 2 workers
(bench/artwork.py), and the cover requests of the scans that changed no image."""

from __future__ import annotations

from bench.report_scans import Row, verdict
from bench.results import ARTWORK_MAX, Results

COVERS = ("GET", "/api/v3/mediacover/{id}/{file}")


def _covers(results: Results, label: str) -> int | None:
    scan = results.scans.get(label)
    if scan is None:
        return None
    return sum(scan.route(app, *COVERS) for app in ("sonarr", "radarr"))


def artwork_rows(results: Results) -> list[Row]:
    rows: list[Row] = []
    first = results.scans.get("local workers first")
    if first is not None and first.artwork is not None:
        art = first.artwork
        asked = _covers(results, "local workers first")
        value = (
            f"{art.seconds:.1f} s after the scan's command; {art.images} images of "
            f"{art.items} items, {asked} cover requests, {art.chunks} chunk tasks"
        )
        ok = art.seconds <= ARTWORK_MAX and art.images == 2 * art.items
        target = f"<= {ARTWORK_MAX:g} s, every image"
        rows.append(
            ("artwork in place, first scan (2 workers)", value, target, verdict([("", ok)]),
             "--phases files")
        )  # fmt: skip
    unchanged = {
        "rescan": _covers(results, "local workers rescan"),
        "scheduled": _covers(results, "local workers scheduled"),
        "touched 1 %": _covers(results, "local workers touched"),
    }
    seen = {label: n for label, n in unchanged.items() if n is not None}
    if seen:
        value = ", ".join(f"{label} {n}" for label, n in seen.items())
        ok = all(n == 0 for n in seen.values())
        rows.append(
            ("cover requests, workers' scans that changed no image", value, "0",
             verdict([("", ok)]), "--phases files")
        )  # fmt: skip
    return rows
