"""Issue 82's households for the end-to-end tests: fake Sonarr (v4, v5) and Radarr (v6)
seeded with TRaSH-like custom formats and profiles (fakes/arr/format_samples.py) and the
releases an indexer offers, from Sonarr's and Radarr's parser fixtures
(fakes/arr/release_names.py); the instances read them with the *arr as the audio source
(nothing mounted: the files' languages are the *arr's media info), and map each wish to
one of the fake's profiles.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

from django.core.management import call_command

from fakes.arr import FakeArr, FakeArrOptions, build_episode_file, build_movie, build_series
from fakes.arr import format_samples as samples
from fakes.arr.scoring import Decision
from scanner.models import Instance, Media
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY

UNMOUNTED_TV = "/mnt/not-mounted-here/tv"
UNMOUNTED_MOVIES = "/mnt/not-mounted-here/movies"
SERIES_ID = MOVIE_ID = 1


@dataclass
class Arr:
    """One fake *arr and its one item."""

    fake: FakeArr
    editor_route: tuple[str, str]  # the editor PUT Taggarr should send

    def profile(self) -> int:
        item = self.fake.state.item(SERIES_ID)
        assert item is not None
        return int(item["qualityProfileId"])

    def set_profile_by_hand(self, profile_id: int) -> None:
        """A person changes the item's profile in the *arr's own page (its editor)."""
        self.fake.state.edit_items([SERIES_ID], None, "add", profile_id)

    def editor_puts(self) -> int:
        return self.fake.state.counters().get(self.editor_route, 0)

    def best(self) -> str:
        """The release a search of the item would grab now (the fake's scoring)."""
        chosen: Decision | None = self.fake.state.best_release(SERIES_ID)
        assert chosen is not None, "nothing the current profile approves"
        return chosen.title


@contextmanager
def sonarr(
    version: str,
    *,
    original: str,
    profile: int,
    releases: Sequence[str],
    audio: str = "eng",
    episodes: int = 2,
    title: str = "Title",
) -> Iterator[Arr]:
    """A fake Sonarr with one series in ``profile``, ``episodes`` files of season 1 in
    ``audio``, and ``releases`` on offer."""
    series = build_series(SERIES_ID, title=title, original_language=original, seasons=1)
    series["qualityProfileId"] = profile
    files = [
        build_episode_file(series, 100 + n, season=1, episode=n, audio_languages=audio)
        for n in range(1, episodes + 1)
    ]
    series["statistics"] = {
        "seasonCount": 1,
        "episodeFileCount": len(files),
        "sizeOnDisk": sum(int(file["size"]) for file in files),
    }
    options = FakeArrOptions(app="sonarr", version=version, api_key=ARR_KEY)
    with FakeArr(options, items=[series]) as fake:
        samples.seed(fake.state)
        fake.state.set_episode_files(SERIES_ID, files)
        fake.state.set_releases(SERIES_ID, releases)
        api = "v5" if options.serves_v5 else "v3"
        yield Arr(fake, ("PUT", f"/api/{api}/series/editor"))


@contextmanager
def radarr(
    version: str, *, original: str, profile: int, releases: Sequence[str], audio: str = "eng"
) -> Iterator[Arr]:
    """A fake Radarr with one film in ``profile``, its file in ``audio``, ``releases`` on
    offer."""
    movie = build_movie(MOVIE_ID, title="Film", original_language=original, audio_languages=audio)
    movie["qualityProfileId"] = profile
    options = FakeArrOptions(app="radarr", version=version, api_key=ARR_KEY)
    with FakeArr(options, items=[movie]) as fake:
        samples.seed(fake.state)
        fake.state.set_releases(MOVIE_ID, releases)
        yield Arr(fake, ("PUT", "/api/v3/movie/editor"))


def instance_over(arr: Arr, *, targets: list[str], **options: Any) -> Instance:
    """The *arr's instance: its library read from the *arr alone, these targets, the
    feature writing (``wish_profiles`` "set": the one setting besides the mapping)."""
    sonarr_kind = arr.fake.state.options.app == "sonarr"
    remote, local = ("/tv", UNMOUNTED_TV) if sonarr_kind else ("/movies", UNMOUNTED_MOVIES)
    values: dict[str, Any] = {
        "name": "tv" if sonarr_kind else "movies",
        "kind": Instance.Kind.SONARR if sonarr_kind else Instance.Kind.RADARR,
        "url": arr.fake.url,
        "api_key": ARR_KEY,
        "root_folders": [local],
        "path_mappings": [{"remote": remote, "local": local}],
        "target_languages": targets,
        "audio_source": Instance.AudioSource.ARR,
        "wish_profiles": "set",
        **options,
    }
    return InstanceFactory(**values)


def map_wishes(instance: Instance, mapping: dict[str, int], *, by: str = "admin") -> None:
    """The mapping as a person saves it: each wish to one of the fake's profiles."""
    from scanner.models import WishProfile

    names = {int(p["id"]): str(p["name"]) for p in samples.PROFILES}
    for wish, profile_id in mapping.items():
        WishProfile.objects.update_or_create(
            instance=instance,
            wish=wish,
            defaults={"profile_id": profile_id, "profile_name": names[profile_id], "saved_by": by},
        )


def scan(instance: Instance) -> str:
    """``manage.py scan --inline --instance NAME``: the whole run here, no worker; its
    output."""
    out = StringIO()
    call_command("scan", "--inline", "--instance", instance.name, stdout=out, stderr=out)
    return out.getvalue()


def the_item(instance: Instance) -> Media:
    return Media.objects.get(instance=instance, arr_id=SERIES_ID)
