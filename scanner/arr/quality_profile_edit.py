"""An item's quality profile changed the way the *arr's own editor changes it (issue 82:
scanner.wish_profiles): one PUT, one item, only ``qualityProfileId`` given.

- Sonarr: ``PUT /api/v3/series/editor`` with ``{"seriesIds": [id], "qualityProfileId":
  p}`` (Sonarr/Sonarr ``src/Sonarr.Api.V3/Series/SeriesEditorController.cs``,
  ``SeriesEditorResource.QualityProfileId``: set on each series only when it has a
  value; 202 Accepted with the series saved). Sonarr v5 (``v5-develop``) serves the same
  body at ``PUT /api/v5/series/editor`` (``src/Sonarr.Api.V5/Series/
  SeriesEditorController.cs``, 200 OK): a v5 server is sent there.
- Radarr: ``PUT /api/v3/movie/editor`` with ``{"movieIds": [id], "qualityProfileId": p}``
  (Radarr/Radarr ``src/Radarr.Api.V3/Movies/MovieEditorController.cs``,
  ``MovieEditorResource.QualityProfileId``; 202), the same in v5 and v6.

Both validate the profile (``QualityProfileExistsValidator``): an unknown one is a 400
with the validation failures, raised as ArrValidationError, as every other request's
errors are (scanner.arr.base): a 5xx or no answer is ArrTransientError (the caller
retries; a PUT of the same profile twice changes nothing), a read timeout after the PUT
went out ArrUnconfirmedError. Nothing else of the item is sent, so nothing else of it
can be overwritten (a PUT of the whole item would write back what an older read held).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.arr.base import BaseArrClient

V5_MAJOR = 5  # Sonarr's first major that serves /api/v5


def editor_path(kind: str, resource: str, major: int) -> str:
    """The editor's path for this *arr and major version."""
    api = "v5" if kind == "sonarr" and major >= V5_MAJOR else "v3"
    return f"/api/{api}/{resource}/editor"


def editor_body(ids_field: str, item_id: int, profile_id: int) -> dict[str, Any]:
    """One item, one field: the profile."""
    return {ids_field: [item_id], "qualityProfileId": profile_id}


def set_quality_profile(
    client: BaseArrClient,
    *,
    kind: str,
    resource: str,
    ids_field: str,
    major: int,
    item_id: int,
    profile_id: int,
) -> None:
    """One editor PUT giving item ``item_id`` the quality profile ``profile_id`` (the
    client's ``kind``, ``resource`` and editor ``ids_field``; the *arr's ``major``
    version); its errors raised as the client names them. The caller reads the item back
    (``ArrClient.get_item(item_id).quality_profile_id``) to know it holds."""
    if item_id <= 0 or profile_id <= 0:
        raise ValueError("an item id and a profile id are positive")
    client.request(
        "PUT",
        editor_path(kind, resource, major),
        body=editor_body(ids_field, item_id, profile_id),
        read_timeout=client.config.editor_read_timeout,
    )
