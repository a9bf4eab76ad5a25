"""Issue 70, item 3: a scan sets each matched item's original language on a Jellyfin 12
server, beside its tags, through the fake Jellyfin playing 12 (``OriginalLanguage``:
``Jellyfin.Api/Controllers/ItemUpdateController.cs`` assigns it from the body, and
``Emby.Server.Implementations/Dto/DtoService.cs`` lists it with every item whatever
``Fields`` asks); only Taggarr's own value is ever replaced, a rescan sends nothing,
and a 10.11 server (no such member) gets nothing and nothing fails."""

from __future__ import annotations

import pytest

from fakes.jellyfin import FakeJellyfin, build_series
from scanner.models import Event, Instance, Media, MediaServer, ScanRun, ServerOriginal
from tests.helpers import SERVER_TOKEN, scan_inline

pytestmark = pytest.mark.django_db(transaction=True)

# Sonarr's shows (tests/library.py), their tags right already where the test wants only
# the original language written.
SHOWS = [
    build_series("s1", "Anime Dubbed", "/media/tv/Anime Dubbed", ProviderIds={"Tvdb": "100001"}),
    build_series("s2", "Anime Half", "/media/tv/Anime Half", ProviderIds={"Tvdb": "100002"}),
    build_series("s3", "Anime Wrong", "/media/tv/Anime Wrong", ProviderIds={"Tvdb": "100003"}),
    build_series("s6", "Señorita Ünïcode", "/media/tv/Señorita Ünïcode"),  # by folder
    build_series("s9", "Not In Sonarr", "/media/tv/Not In Sonarr"),
]
WANTED = {"s1": "ja", "s2": "ja", "s3": "ja", "s6": "es"}  # *arr: Japanese, Spanish


def _connect(url: str, instance: Instance) -> MediaServer:
    server = MediaServer(
        name="jellyfin",
        url=url,
        path_mappings=[{"remote": "/media/tv", "local": str(instance.root_folders[0])}],
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set([instance])
    return server


def _originals(fake: FakeJellyfin) -> dict[str, str | None]:
    return {item["Id"]: item.get("OriginalLanguage") for item in fake.state.items()}


def _owned(server: MediaServer) -> dict[str, str]:
    rows = ServerOriginal.objects.filter(server=server).select_related("media")
    return {row.media.title: row.language for row in rows}


def test_a_scan_sets_the_original_language_on_jellyfin_12_and_a_rescan_sends_nothing(
    sonarr_instance: Instance,
) -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=SHOWS, version="12.0.0") as jellyfin:
        server = _connect(jellyfin.url, sonarr_instance)
        run = scan_inline(sonarr_instance)
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        originals = _originals(jellyfin)
        assert {item: originals[item] for item in WANTED} == WANTED
        assert originals["s9"] is None  # not Sonarr's: untouched
        assert run.summary["media_servers"]["jellyfin"]["originals"] == 4
        assert _owned(server) == {
            "Anime Dubbed": "ja", "Anime Half": "ja", "Anime Wrong": "ja",
            "Señorita Ünïcode": "es",
        }  # fmt: skip

        jellyfin.state.reset_counters()
        again = scan_inline(sonarr_instance)
        assert again.status == ScanRun.Status.SUCCEEDED, again.error
        assert jellyfin.state.writes() == 0
        counters = jellyfin.state.counters()
        # The listing carries each item's value: no read per item, no version read.
        assert counters.get(("GET", "/items")) == 1
        assert counters.get(("GET", "/system/info"), 0) == 0
        assert again.summary["media_servers"]["jellyfin"]["originals"] == 0


def test_a_value_set_in_jellyfin_is_kept_and_only_taggarrs_own_is_replaced(
    sonarr_instance: Instance,
) -> None:
    """A provider's or a person's value is never replaced, before or after Taggarr set
    its own; Taggarr's own follows a person's override in Taggarr."""
    shows = [dict(item) for item in SHOWS]
    shows[1]["OriginalLanguage"] = "ko"  # Anime Half: TMDb's, or a person's
    with FakeJellyfin(token=SERVER_TOKEN, items=shows, version="12.0.0") as jellyfin:
        server = _connect(jellyfin.url, sonarr_instance)
        assert scan_inline(sonarr_instance).status == ScanRun.Status.SUCCEEDED
        assert _originals(jellyfin)["s2"] == "ko"
        assert "Anime Half" not in _owned(server)

        jellyfin.state.update("s1", OriginalLanguage="fr")  # a person, after Taggarr
        Media.objects.filter(title="Anime Wrong").update(original_override="kor")
        jellyfin.state.reset_counters()
        assert scan_inline(sonarr_instance).status == ScanRun.Status.SUCCEEDED
        originals = _originals(jellyfin)
        assert (originals["s1"], originals["s2"], originals["s3"]) == ("fr", "ko", "ko")
        assert jellyfin.state.writes() == 1  # Anime Wrong's, Taggarr's own replaced
        owned = _owned(server)
        assert "Anime Dubbed" not in owned  # the person's now: never Taggarr's again
        assert owned["Anime Wrong"] == "ko"


def test_jellyfin_10_11_gets_no_original_language_and_nothing_fails(
    sonarr_instance: Instance,
) -> None:
    with FakeJellyfin(token=SERVER_TOKEN, items=SHOWS, version="10.11.11") as jellyfin:
        server = _connect(jellyfin.url, sonarr_instance)
        run = scan_inline(sonarr_instance)
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert set(_originals(jellyfin).values()) == {None}
        outcome = run.summary["media_servers"]["jellyfin"]
        assert "originals" not in outcome and outcome["errors"] == 0
        assert not ServerOriginal.objects.filter(server=server).exists()
        assert not Event.objects.filter(kind=Event.Kind.MEDIA_SERVER, media__isnull=False)


def test_a_500_on_one_item_fails_that_items_original_language_only(
    sonarr_instance: Instance,
) -> None:
    """The tags are right already: the failing item's only update is its original
    language; it fails alone, said as such, and the next scan sets it."""
    with FakeJellyfin(token=SERVER_TOKEN, items=SHOWS, version="12.0.0") as jellyfin:
        server = _connect(jellyfin.url, sonarr_instance)
        scan_inline(sonarr_instance)  # the tags, and the original languages
        jellyfin.state.update("s2", OriginalLanguage=None)  # cleared on the server
        ServerOriginal.objects.filter(media__title="Anime Half").delete()
        jellyfin.state.fail_item("s2", 500)
        run = scan_inline(sonarr_instance)
        assert run.status == ScanRun.Status.PARTIAL
        assert run.error == "media server jellyfin: 1 of 1 updates failed"
        (event,) = Event.objects.filter(kind=Event.Kind.MEDIA_SERVER, media__isnull=False)
        assert event.message.startswith("jellyfin: Anime Half: original language not set: ")
        assert event.data["what"] == "original_not_set"
        assert _originals(jellyfin)["s2"] is None
        assert "Anime Half" not in _owned(server)

        jellyfin.state.fail_item("s2", None)
        again = scan_inline(sonarr_instance)
        assert again.status == ScanRun.Status.SUCCEEDED, again.error
        assert _originals(jellyfin)["s2"] == "ja"
        assert _owned(server)["Anime Half"] == "ja"
