"""Request handling of the fake *arr, independent of the HTTP server around it.

Order of checks: control routes and /ping skip everything; then startup (503),
the key (401), the route (404), the content type (415), and the handler itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fakes.arr import control, history, releases, streams
from fakes.arr.commands import CommandError
from fakes.arr.languages import language_ids
from fakes.arr.state import EditorRejectedError, FakeArrState
from fakes.arr.validation import ValidationFailedError, put_failures
from fakes.http import Request, Response

# Radarr v6's TagController: Matches("^[a-z0-9-]+$", RegexOptions.IgnoreCase).
TAG_LABEL = re.compile(r"^[a-z0-9-]+$", re.IGNORECASE)

Handler = Callable[[FakeArrState, Request, dict[str, str]], Response]

UNMATCHED = "(unmatched)"


def _error(status: int, message: str) -> Response:
    return Response.json(status, {"message": message, "description": f"{message}\n   at Fake"})


def _not_found(state: FakeArrState, item_id: str) -> Response:
    kind = "Series" if state.options.app == "sonarr" else "Movie"
    return Response.json(404, {"message": f"{kind} with ID {item_id} does not exist"})


def _body(request: Request) -> Any:
    return json.loads(request.body or b"null")


def _list_latency(state: FakeArrState, count: int) -> None:
    # The real list endpoints get slower with the library; the base latency is already spent.
    state.pause(state.options.per_item_latency_s * count)


def status(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    options = state.options
    return Response.json(
        200,
        {
            "appName": options.app_title,
            "instanceName": options.instance_name or options.app_title,
            "version": options.version,
            "urlBase": "",
        },
    )


def list_items(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    items = [state.served(obj) for obj in state.items()]
    _list_latency(state, len(items))
    return Response.json(200, items)


def get_item(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    obj = state.item(int(args["id"]))
    return Response.json(200, state.served(obj)) if obj else _not_found(state, args["id"])


def put_item(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    item_id = int(args["id"])
    sent = _body(request)
    if not isinstance(sent, dict):
        return Response.json(400, [{"propertyName": "", "errorMessage": "expected an object"}])
    # Validation runs before the action, so it comes before a missing item's 404.
    failures = put_failures(
        sent, invalid=item_id in state.options.invalid_ids, known_profiles=state.profile_ids()
    )
    if failures:
        return Response.json(400, failures)
    if item_id in state.options.fail_put_ids:
        return _error(500, f"Simulated failure for id {item_id}")
    saved = state.put_item(item_id, sent)
    return Response.json(202, state.served(saved)) if saved else _not_found(state, args["id"])


def edit_items(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """The bulk editor (state.edit_items): tags when the body has ``tags`` (v3's
    ``Tags != null``; v5's list defaults to empty), the quality profile when it has
    ``qualityProfileId`` (``QualityProfileId.HasValue``)."""
    body = _body(request)
    ids = body.get(state.options.ids_field) or []
    tag_ids = body.get("tags", [] if _api(args) >= 5 else None)
    mode = str(body.get("applyTags") or "add").lower()
    if mode not in ("add", "remove", "replace"):
        return Response.json(400, [{"propertyName": "ApplyTags", "errorMessage": "invalid"}])
    item_ids = [int(i) for i in ids]
    profile_id = body.get("qualityProfileId")
    if profile_id is not None and (not isinstance(profile_id, int) or isinstance(profile_id, bool)):
        raise TypeError(f"The JSON value could not be converted to int?: {profile_id!r}")
    try:
        tags = None if tag_ids is None else [int(t) for t in tag_ids]
        updated = state.edit_items(item_ids, tags, mode, profile_id)
    except ValidationFailedError as exc:
        return Response.json(400, exc.failures)
    except EditorRejectedError as exc:
        return _error(500, str(exc))
    # Saved; the real server now recomputes each edited item before it answers.
    state.pause(state.options.per_edit_latency_s * len(item_ids))
    if state.stalls_editor(item_ids):
        state.stall()
    # v3's SeriesEditorController answers Accepted, v5's TypedResults.Ok
    # (src/Sonarr.Api.V5/Series/SeriesEditorController.cs).
    status = 200 if _api(args) >= 5 else 202
    return Response.json(status, [state.served(obj) for obj in updated])


def list_tags(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    tags = state.tags()
    _list_latency(state, len(tags))
    return Response.json(200, tags)


def root_folders(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """``GET /api/v3/rootfolder``: the folders the items live in, each with a trailing
    slash as both apps store them (the fake has no disk: no free space, no unmapped
    folders)."""
    paths = [str(item.get("path") or "").rstrip("/") for item in state.items()]
    parents = sorted({path.rpartition("/")[0] for path in paths if "/" in path} - {""})
    folders = [
        {"id": number, "path": f"{parent}/", "accessible": True, "unmappedFolders": []}
        for number, parent in enumerate(parents, start=1)
    ]
    return Response.json(200, folders)


def languages(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """``GET /api/v3/language``: the release's languages with the pseudo-languages the
    real servers list too (Any, Original, Unknown)."""
    options = state.options
    table = language_ids(options.app, options.version_tuple)
    rows = [{"id": -1, "name": "Any"}, {"id": -2, "name": "Original"}, {"id": 0, "name": "Unknown"}]
    rows += [{"id": language_id, "name": name} for name, language_id in table.items()]
    return Response.json(200, [{**row, "nameLower": str(row["name"]).lower()} for row in rows])


def quality_profiles(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """``GET /api/v3/qualityprofile`` (profiles.py)."""
    return Response.json(200, state.quality_profiles())


def custom_formats(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """``GET /api/v3/customformat`` (profiles.py); Sonarr v3 has none: 404."""
    if state.options.app == "sonarr" and state.options.legacy_v3:
        return Response(404)
    answer = state.custom_formats()
    return Response(200, answer) if isinstance(answer, bytes) else Response.json(200, answer)


def create_tag(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    label = (_body(request) or {}).get("label")
    if not isinstance(label, str) or not label.strip():
        return Response.json(400, [_label_error(label, "'Label' must not be empty.")])
    if state.options.strict_tag_labels and not TAG_LABEL.match(label):
        return Response.json(400, [_label_error(label, "Allowed characters a-z, 0-9 and -")])
    existing = state.find_tag(label)
    if existing is not None:
        return Response.json(201, existing)
    created = state.insert_tag(label)
    if created is None:
        return Response.json(
            409, {"message": "constraint failed\nUNIQUE constraint failed: Tags.Label"}
        )
    return Response.json(201, created)


def _label_error(label: object, message: str) -> dict[str, Any]:
    return {"propertyName": "Label", "errorMessage": message, "attemptedValue": label}


def episode_files(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    raw = request.query.get("seriesId", [""])[0]
    file_ids = {int(i) for i in request.query.get("episodeFileIds", []) if i.isdigit()}
    if raw.isdigit():
        if state.item(int(raw)) is None:
            return _not_found(state, raw)
        if state.stalls_episode_files(int(raw)):
            state.stall()
        files = state.episode_files(int(raw))
    elif file_ids:
        files = [f for f in state.all_episode_files() if f.get("id") in file_ids]
    else:
        # A BadRequestException: an object, unlike the validation arrays.
        content = "seriesId or episodeFileIds must be provided"
        return Response.json(400, {"message": f"BadRequest: {content}", "content": content})
    _list_latency(state, len(files))
    if state.options.serves_v5:
        files = [streams.episode_file(entry, api=_api(args)) for entry in files]
    return Response.json(200, files)


def _api(args: dict[str, str]) -> int:
    """The API version a request was routed under (``match_route``)."""
    return int(args.get("api", "3"))


def extra_files(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """Radarr's ExtraFileController: the extra files of ``movieId`` (none for an unknown
    movie: the controller filters a query, it does not look the movie up)."""
    raw = request.query.get("movieId", [""])[0]
    files = state.extra_files(int(raw)) if raw.isdigit() else []
    _list_latency(state, len(files))
    return Response.json(200, files)


def command(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    body = _body(request)
    if not isinstance(body, dict):
        return Response.json(400, [{"propertyName": "", "errorMessage": "expected an object"}])
    try:
        return Response.json(201, state.record_command(body))
    except CommandError as exc:
        return Response.json(exc.status, exc.body)


def episodes(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """EpisodeController.GetEpisodes: by series (and season), by ids, or by file id; a
    series it does not have is an empty list, not a 404."""
    if state.episode_lists_fail():
        return _error(500, "Object reference not set to an instance of an object.")
    if state.stalls_episode_lists():
        state.stall()
    query = request.query
    series_id = query.get("seriesId", [""])[0]
    season = query.get("seasonNumber", [""])[0]
    wanted = {int(i) for i in query.get("episodeIds", []) if i.isdigit()}
    file_id = query.get("episodeFileId", [""])[0]
    if series_id.isdigit():
        found = state.episodes(int(series_id))
        if season.isdigit():
            found = [e for e in found if e["seasonNumber"] == int(season)]
    elif wanted or file_id.isdigit():
        every = [e for item in state.items() for e in state.episodes(int(item["id"]))]
        found = [
            e for e in every
            if e["id"] in wanted or (file_id.isdigit() and e["episodeFileId"] == int(file_id))
        ]  # fmt: skip
    else:
        content = "seriesId or episodeIds must be provided"
        return Response.json(400, {"message": f"BadRequest: {content}", "content": content})
    _list_latency(state, len(found))
    return Response.json(200, found)


def history_page(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """HistoryController.GetHistory (fakes.arr.history)."""
    return history.paged(state.history, state.options.app, request)


def blocklist_page(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """BlocklistController.GetBlocklist (fakes.arr.history)."""
    return history.blocklist_page(state.history, state.options.app, request)


def blocklist_delete(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """BlocklistController.DeleteBlocklist (fakes.arr.history)."""
    return history.blocklist_delete(state.history, int(args["id"]))


def queue_page(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """QueueController.GetQueue (fakes.arr.queue)."""
    return state.queue.page(request)


def history_failed(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """HistoryController.MarkAsFailed (fakes.arr.history)."""
    return history.mark_failed(state.history, int(args["id"]))


def release_list(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    """ReleaseController.GetReleases (fakes.arr.releases): Sonarr's ``episodeId``, or
    ``seriesId`` with ``seasonNumber``; Radarr's ``movieId``; else the RSS feed."""
    query = request.query
    app = state.options.app
    if app == "sonarr":
        episode = query.get("episodeId", [""])[0]
        series = query.get("seriesId", [""])[0]
        season = query.get("seasonNumber", [""])[0]
        if episode.isdigit():
            owners = [
                int(item["id"])
                for item in state.items()
                if any(e["id"] == int(episode) for e in state.episodes(int(item["id"])))
            ]
            if not owners:
                return _error(500, f"Episode with ID {episode} does not exist")
            item_ids = owners[:1]
        elif series.isdigit() and season.isdigit():
            item_ids = [int(series)]
        else:
            item_ids = state.releases.item_ids()
    else:
        movie = query.get("movieId", [""])[0]
        item_ids = [int(movie)] if movie.isdigit() else state.releases.item_ids()
    answer: list[dict[str, Any]] = []
    for item_id in item_ids:
        try:
            judged = state.release_decisions(item_id)
        except KeyError:
            # The item's profile is gone: Series.QualityProfile is null in the search.
            return _error(500, "Object reference not set to an instance of an object.")
        if judged is None:
            kind = "Series" if app == "sonarr" else "Movie"
            return _error(500, f"{kind} with ID {item_id} does not exist")
        item = state.served(state.item(item_id) or {})
        for decision in judged:
            weight = len(answer)
            if _api(args) >= 5:
                answer.append(releases.resource_v5(decision, weight, item=item))
            else:
                answer.append(releases.resource(decision, weight, item=item, app=app))
    return Response.json(200, answer)


# (method, template) -> handler. "{res}" is series or movie, depending on the app.
def media_cover(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    if state.stalls_covers():
        state.stall()
    return state.covers.answer(int(args["id"]), args["file"])


ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/api/v3/system/status"): status,
    ("GET", "/api/v3/{res}"): list_items,
    ("PUT", "/api/v3/{res}/editor"): edit_items,
    ("GET", "/api/v3/{res}/{id}"): get_item,
    ("PUT", "/api/v3/{res}/{id}"): put_item,
    ("GET", "/api/v3/tag"): list_tags,
    ("GET", "/api/v3/rootfolder"): root_folders,
    ("GET", "/api/v3/language"): languages,
    ("GET", "/api/v3/qualityprofile"): quality_profiles,
    ("GET", "/api/v3/customformat"): custom_formats,
    ("POST", "/api/v3/tag"): create_tag,
    ("GET", "/api/v3/episodefile"): episode_files,
    ("GET", "/api/v3/extrafile"): extra_files,
    ("GET", "/api/v3/episode"): episodes,
    ("POST", "/api/v3/command"): command,
    ("GET", "/api/v3/mediacover/{id}/{file}"): media_cover,
    ("GET", "/api/v3/history"): history_page,
    ("GET", "/api/v3/queue"): queue_page,
    ("POST", "/api/v3/history/failed/{id}"): history_failed,
    ("GET", "/api/v3/blocklist"): blocklist_page,
    ("DELETE", "/api/v3/blocklist/{id}"): blocklist_delete,
    ("GET", "/api/v3/release"): release_list,
}
SONARR_ONLY = {"/api/v3/episodefile", "/api/v3/episode"}
RADARR_ONLY = {"/api/v3/extrafile"}
# What Sonarr v5 serves under /api/v5 of what Taggarr uses (src/Sonarr.Api.V5/:
# Series/SeriesController.cs, SeriesEditorController.cs, Tags/TagController.cs,
# EpisodeFiles/EpisodeFileController.cs, Episodes/EpisodeController.cs,
# Commands/CommandController.cs, Profiles/Quality/QualityProfileController.cs,
# System/SystemController.cs, Release/ReleaseController.cs), with v3's handlers: the
# paths, bodies and codes are v3's but for the editor's 200, the episode files'
# per-stream media info and the releases' v5 resource.
V5_ROUTES: dict[tuple[str, str], Handler] = {
    (method, template.replace("/api/v3/", "/api/v5/")): ROUTES[(method, template)]
    for method, template in (
        ("GET", "/api/v3/system/status"),
        ("GET", "/api/v3/{res}"),
        ("PUT", "/api/v3/{res}/editor"),
        ("GET", "/api/v3/{res}/{id}"),
        ("PUT", "/api/v3/{res}/{id}"),
        ("GET", "/api/v3/tag"),
        ("POST", "/api/v3/tag"),
        ("GET", "/api/v3/episodefile"),
        ("GET", "/api/v3/episode"),
        ("POST", "/api/v3/command"),
        ("GET", "/api/v3/qualityprofile"),
        ("GET", "/api/v3/release"),
    )
}


def match_route(state: FakeArrState, method: str, path: str) -> tuple[str, Handler, dict[str, str]]:
    """(template with {res} filled in, handler, path arguments); UNMATCHED when none fits."""
    resource = state.options.resource
    path = path.rstrip("/") or "/"
    routes = {**ROUTES, **(V5_ROUTES if state.options.serves_v5 else {})}
    for (route_method, template), handler in routes.items():
        if (
            template.replace("/api/v5/", "/api/v3/") in SONARR_ONLY
            and state.options.app != "sonarr"
        ):
            continue
        if template in RADARR_ONLY and state.options.app != "radarr":
            continue
        filled = template.replace("{res}", resource)
        pattern = "^" + filled.replace("{id}", r"(?P<id>\d+)") + "$"
        pattern = pattern.replace("{file}", r"(?P<file>[^/]+)")
        match = re.match(pattern, path)
        if match and method == route_method:
            api = "5" if filled.startswith("/api/v5/") else "3"
            return filled, handler, {**match.groupdict(), "api": api}
    return UNMATCHED, _unmatched, {}


def _unmatched(state: FakeArrState, request: Request, args: dict[str, str]) -> Response:
    return Response(404)


def _authorised(state: FakeArrState, request: Request) -> bool:
    key = state.options.api_key
    bearer = request.headers.get("authorization", "")
    return key in (
        request.headers.get("x-api-key"),
        request.query.get("apikey", [None])[0],
        bearer.removeprefix("Bearer ") if bearer.startswith("Bearer ") else None,
    )


def handle(state: FakeArrState, request: Request) -> Response:
    if request.path.startswith(control.PREFIX):
        return control.handle(state, request)
    if request.path == "/ping":
        state.count(request.method, "/ping")
        return Response.json(200, {"status": "OK"})
    template, handler, args = match_route(state, request.method, request.path)
    state.count(request.method, template)
    state.pause(state.options.latency_s)
    # While starting up nothing is ready, not even the key check.
    query = "&".join(
        f"{name}={value}" for name, values in sorted(request.query.items()) for value in values
    )
    restarting = state.take_restart_503(request.path, query)
    if request.path.startswith("/api/") and (state.take_startup_503() or restarting):
        message = f"{state.options.app_title} is starting up, please try again later"
        return Response.json(503, {"errorMessage": message})
    if not _authorised(state, request):
        if state.options.legacy_v3:
            return Response.json(401, {"error": "Unauthorized"})
        return Response(401)
    if handler is _unmatched:
        return Response(404)
    if request.method in ("POST", "PUT"):
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return Response(415)
    try:
        return handler(state, request, args)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # A body the real server could not bind also ends as an unhandled 500.
        return _error(500, f"{type(exc).__name__}: {exc}")
