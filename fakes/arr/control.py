"""Unauthenticated ``/__fake__/`` endpoints, so that a benchmark or demo in another
process can seed the fake and read its counters. Never counted as API requests.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fakes.http import Request, Response

if TYPE_CHECKING:
    from fakes.arr.state import FakeArrState

PREFIX = "/__fake__/"


def counters_payload(state: FakeArrState) -> dict[str, Any]:
    counts = [
        {"method": method, "route": route, "count": count}
        for (method, route), count in sorted(state.counters().items())
    ]
    # connections: TCP connections accepted, this control request's own included.
    return {"total": state.total_requests(), "counts": counts, "connections": state.connections()}


def handle(state: FakeArrState, request: Request) -> Response:
    route = (request.method, request.path.removeprefix(PREFIX).rstrip("/"))
    try:
        body: Any = json.loads(request.body) if request.body else None  # any JSON
        if route == ("GET", "counters"):
            return Response.json(200, counters_payload(state))
        if route == ("POST", "counters/reset"):
            state.reset_counters()
            return Response.json(200, counters_payload(state))
        if route == ("GET", "items"):
            return Response.json(200, state.items())
        if route == ("PUT", "items"):
            state.set_items(body)
            return Response.json(200, {"count": len(state.items())})
        if route == ("GET", "tags"):
            return Response.json(200, state.tags())
        if route == ("PUT", "tags"):
            state.set_tags(body)
            return Response.json(200, {"count": len(state.tags())})
        if route == ("PUT", "episodefiles"):  # every series' files: a list with seriesId
            state.replace_episode_files(body)
            return Response.json(200, {"count": len(state.all_episode_files())})
        if route[0] == "PUT" and route[1].startswith("episodefiles/"):  # one series' files
            state.set_episode_files(int(route[1].removeprefix("episodefiles/")), body)
            return Response.json(200, {"count": len(body)})
        if route[0] == "PUT" and route[1].startswith("episodes/"):  # one series' episodes
            state.set_episodes(int(route[1].removeprefix("episodes/")), body)
            return Response.json(200, {"count": len(body)})
        if route == ("GET", "partial-puts"):
            partial = [
                {"id": p.item_id, "missingKeys": list(p.missing_keys)} for p in state.partial_puts()
            ]
            return Response.json(200, partial)
        if route == ("GET", "commands"):
            return Response.json(200, state.commands())
        if route[0] == "PUT" and route[1].startswith("releases/"):  # one item's releases
            titles, quality = (
                (body, None) if isinstance(body, list) else (body["titles"], body.get("quality"))
            )
            state.set_releases(int(route[1].removeprefix("releases/")), titles, quality)
            return Response.json(200, {"count": len(titles)})
        if route == ("PUT", "multi-languages"):  # the indexer's Multi Languages setting
            state.set_multi_languages(body)
            return Response.json(200, {"count": len(body)})
        if route == ("GET", "grabs"):  # what searches grabbed: {item id: [titles]}
            grabs = state.releases.all_grabs()
            return Response.json(200, {str(key): value for key, value in grabs.items()})
    except (ValueError, TypeError, KeyError) as exc:
        return Response.json(400, {"message": f"bad control request: {exc}"})
    return Response.json(404, {"message": f"no control route {request.method} {request.path}"})
