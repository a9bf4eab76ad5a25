"""``scan --inline`` with the option on "set": the listing stores each item's profile
(Media.quality_profile_id), each item is planned and written with no worker, a second
scan sends nothing; on "plan" nothing is written. A Radarr with its media info as the
audio source (no file opened: the library need not be mounted here)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.arr import RADARR_V6, FakeArr, build_movie
from scanner.models import Instance, Media, ProfileChange
from tests.helpers import scan_inline
from tests.library import REMOTE_MOVIES
from tests.scanner.wish_profiles.helpers import ANY, ORIGINAL, VFQ, fake_arr, mapped_instance

State = ProfileChange.State
pytestmark = pytest.mark.django_db(transaction=True)
UNMOUNTED = "/mnt/not-mounted-here/movies"


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    fake = fake_arr("radarr", RADARR_V6)
    fake.state.set_items(
        [
            {**build_movie(1, title="Quebec Film", path=f"{REMOTE_MOVIES}/Quebec Film (2020)")},
            {
                **build_movie(2, title="Anime Film", path=f"{REMOTE_MOVIES}/Anime Film (2020)"),
                "originalLanguage": {"name": "Japanese"},
            },
        ]
    )
    with fake:
        yield fake


def _instance(radarr: FakeArr, mode: str) -> Instance:
    return mapped_instance(
        radarr.url,
        mode=mode,
        root_folders=[UNMOUNTED],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": UNMOUNTED}],
        audio_source=Instance.AudioSource.ARR,
    )


def _profile_puts(radarr: FakeArr) -> int:
    """The editor's requests that set a profile (the scan's tag writes use it too)."""
    return sum(len(radarr.state.profile_edits(item["id"])) for item in radarr.state.items())


def test_each_item_gets_its_wishs_profile_and_a_second_scan_sends_nothing(radarr: FakeArr) -> None:
    instance = _instance(radarr, Instance.WishProfiles.SET)
    run = scan_inline(instance)
    # Both want the Quebec dub (the instance's target; nobody wants the original).
    assert dict(Media.objects.values_list("title", "quality_profile_id")) == {
        "Quebec Film": VFQ,
        "Anime Film": VFQ,
    }
    assert radarr.state.item(1)["qualityProfileId"] == VFQ
    assert _profile_puts(radarr) == 2  # one editor PUT per item
    quebec = Media.objects.get(title="Quebec Film")
    change = ProfileChange.objects.get(media=quebec)
    assert (change.state, change.run_id, change.profile_before) == (State.WRITTEN, run.pk, ANY)
    # The anime is wanted in the original only now (a person said so): the next scan
    # gives it the original's profile.
    Media.objects.filter(title="Anime Film").update(wanted="original")
    scan_inline(instance)
    assert radarr.state.item(2)["qualityProfileId"] == ORIGINAL
    assert _profile_puts(radarr) == 3
    # Nothing changed since: a third scan sends no profile.
    scan_inline(instance)
    assert _profile_puts(radarr) == 3
    assert not ProfileChange.objects.filter(state=State.PLANNED).exists()


def test_on_plan_the_scan_plans_and_writes_nothing(radarr: FakeArr) -> None:
    instance = _instance(radarr, Instance.WishProfiles.PLAN)
    scan_inline(instance)
    assert _profile_puts(radarr) == 0
    assert Media.objects.get(title="Quebec Film").quality_profile_id == ANY
    planned = ProfileChange.objects.filter(state=State.PLANNED)
    assert sorted(planned.values_list("title", "profile_after")) == [
        ("Anime Film", VFQ),
        ("Quebec Film", VFQ),
    ]
    scan_inline(instance)  # unchanged: the same rows
    assert ProfileChange.objects.count() == 2
