"""ArrClient.set_quality_profile against the fake Sonarr v4/v5 and Radarr v5/v6: one PUT
of the *arr's own editor (SeriesEditorController / MovieEditorController; Sonarr v5 at
/api/v5, src/Sonarr.Api.V5/Series/SeriesEditorController.cs), read back with get_item,
and the *arr's errors raised as the client names them."""

from __future__ import annotations

import pytest

from fakes.arr import (
    RADARR_V5,
    RADARR_V6,
    SONARR_V4,
    SONARR_V5,
    FakeArr,
    FakeArrOptions,
    build_movie,
    build_series,
)
from fakes.arr.profiles import quality_profile
from scanner.errors import ArrTransientError, ArrValidationError
from tests.scanner.arr.conftest import API_KEY

RELEASES = [
    ("sonarr", SONARR_V4, ("PUT", "/api/v3/series/editor")),
    ("sonarr", SONARR_V5, ("PUT", "/api/v5/series/editor")),
    ("radarr", RADARR_V5, ("PUT", "/api/v3/movie/editor")),
    ("radarr", RADARR_V6, ("PUT", "/api/v3/movie/editor")),
]


def start(app: str, version: str, **options: object) -> FakeArr:
    build = build_series if app == "sonarr" else build_movie
    fake = FakeArr(
        FakeArrOptions(app=app, version=version, api_key=API_KEY, **options),  # type: ignore[arg-type]
        items=[{**build(i), "tags": [1]} for i in (1, 2)],
        tags=[{"id": 1, "label": "dub"}],
    )
    fake.state.set_profiles([quality_profile(1, "HD-1080p"), quality_profile(7, "VFQ")])
    return fake.start()


@pytest.mark.parametrize(("app", "version", "editor"), RELEASES)
def test_one_editor_put_gives_the_item_the_profile_and_nothing_else(
    client_factory, app, version, editor
):
    with start(app, version) as fake:
        client = client_factory(fake.url, kind=app)

        client.set_quality_profile(2, 7)

        assert fake.state.counters()[editor] == 1
        assert client.get_item(2).quality_profile_id == 7
        assert client.get_item(1).quality_profile_id == 1  # the other item untouched
        assert fake.state.item(2)["tags"] == [1]  # its tags kept: only the profile was sent
        assert fake.state.profile_edits(2) == [7]


@pytest.mark.parametrize(("app", "version", "editor"), RELEASES)
def test_an_unknown_profile_is_refused_with_the_arrs_words(client_factory, app, version, editor):
    with start(app, version) as fake:
        client = client_factory(fake.url, kind=app)

        with pytest.raises(ArrValidationError) as refused:
            client.set_quality_profile(2, 99)

        # QualityProfileExistsValidator's message (SeriesEditorValidator / MovieEditorValidator).
        assert refused.value.failures == ("QualityProfileId: Quality Profile does not exist",)
        assert client.get_item(2).quality_profile_id == 1


def test_a_5xx_is_a_transient_error_and_nothing_changes(client_factory):
    with start("sonarr", SONARR_V4, fail_put_ids=frozenset({2})) as fake:
        client = client_factory(fake.url, kind="sonarr")

        with pytest.raises(ArrTransientError):
            client.set_quality_profile(2, 7)

        assert client.get_item(2).quality_profile_id == 1


def test_ids_are_positive(client_factory):
    client = client_factory()
    with pytest.raises(ValueError, match="positive"):
        client.set_quality_profile(0, 7)
