"""Rows of every kind the API shows, with their optional values both set and empty: what
the schema's conformance test reads back through every GET endpoint."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from scanner.models import (
    BadgeChange,
    Event,
    FeedToken,
    Instance,
    Media,
    MediaFile,
    MediaServer,
    Person,
    PersonAccount,
    PersonItemWant,
    ScanItem,
    ScanRun,
    SeerrConnection,
    SeerrUser,
)
from tests.default_track_rows import quebec_plan
from tests.factories import (
    EventFactory,
    InstanceFactory,
    MediaFactory,
    MediaFileFactory,
    NotifierFactory,
    ScanRunFactory,
    SeasonFactory,
    doubtful_anime,
)
from tests.wish_profile_rows import quebec_changes

TRACKS = [
    {"position": 1, "raw_language": "jpn", "language": "jpn", "title": None,
     "default": True, "forced": False, "is_commentary": False},
    {"position": 2, "raw_language": "", "language": "", "title": "Commentary",
     "default": False, "forced": False, "is_commentary": True},
]  # fmt: skip


def _instances() -> dict[str, Instance]:
    """A Sonarr in use, a Radarr waiting for its first scan, a library folder."""
    return {
        "sonarr": InstanceFactory(
            name="tv", path_mappings=[{"remote": "/tv", "local": "/media/tv"}], dry_run=True
        ),
        "radarr": InstanceFactory(
            name="movies", kind=Instance.Kind.RADARR, url="http://radarr:7878", first_scan_at=None
        ),
        "library": InstanceFactory(
            name="home videos",
            kind=Instance.Kind.LIBRARY,
            library_content=Instance.LibraryContent.MOVIES,
            url="",
            root_folders=["/media/home"],
            original_language="deu",
        ),
    }


def _media(instances: dict[str, Instance]) -> list[Media]:
    now = timezone.now()
    scanned = MediaFactory(
        instance=instances["sonarr"],
        title="Cowboy Bebop",
        original_language="jpn",
        applied_tag="dub",
        planned_tag="semi-dub",
        planned_labels=["semi-dub", "semi-dub-en"],
        language_verdicts={"eng": "semi-dub"},
        coverage={"eng": [1, 2]},
        lowest_coverage=50,
        tvdb_id=76885,
        imdb_id="tt0213338",
        genres=["Animation"],
        file_count=3,
        error_file_count=1,
        error="1 file unreadable",
        last_scanned_at=now,
    )
    season = SeasonFactory(media=scanned, number=1, status="semi-dub", coverage={"eng": [1, 2]})
    MediaFileFactory(
        media=scanned, season=season, episodes=[1], audio_tracks=TRACKS,
        result=MediaFile.Result.SOME, probed_at=now,
    )  # fmt: skip
    MediaFileFactory(
        media=scanned, season=season, episodes=[2], source=MediaFile.Source.ARR,
        source_note="", result=MediaFile.Result.ALL, probed_at=now,
    )  # fmt: skip
    # A file outside any season, never read: no season, no result, no time.
    MediaFileFactory(media=scanned, season=None, path="extras/\udcff.mkv", result="")
    # Never scanned: no *arr id, no planned tag, no coverage, no time.
    never = MediaFactory(
        instance=instances["library"], kind=Media.Kind.MOVIE, arr_id=None, title="Holiday 1998"
    )
    return [scanned, never, doubtful_anime()]


def _runs(instances: dict[str, Instance]) -> list[ScanRun]:
    """A run of every status; one active run per instance (the database allows no more)."""
    now = timezone.now()
    active = zip(ScanRun.ACTIVE, instances.values(), strict=True)
    runs = [
        ScanRunFactory(instance=instance, status=status, started_at=now, heartbeat_at=now)
        for status, instance in active
    ]
    for status in set(ScanRun.Status.values) - set(ScanRun.ACTIVE):
        runs.append(
            ScanRunFactory(
                instance=instances["sonarr"],
                status=status,
                trigger=ScanRun.Trigger.API,
                dry_run=status == ScanRun.Status.SUCCEEDED,
                quick_mode=True,
                scope=[1, 2],
                started_at=now - timedelta(minutes=5),
                planned_at=now - timedelta(minutes=4),
                finished_at=now - timedelta(minutes=1),
                items_total=2,
                items_done=1,
                items_failed=1,
                summary={"listed": 2, "planned_changes": 1, "duration_s": 240.0},
                error="Sonarr could not be reached" if status == "failed" else "",
            )
        )
    # Never started: no times, no summary.
    runs.append(ScanRunFactory(instance=instances["radarr"], status=ScanRun.Status.CANCELLED))
    return runs


def _scan_items(run: ScanRun, media: list[Media]) -> None:
    """Items of every state: held (a lease's end set), waiting (a retry's), failed."""
    now = timezone.now()
    states = [
        {"leased_until": now + timedelta(seconds=60), "lease_token": 5, "attempts": 1},
        {"retry_at": now + timedelta(seconds=30), "retries": 1, "error": "Sonarr answered 503"},
        {"status": ScanItem.Status.FAILED, "error": "folder not found"},
    ]
    for each, values in zip(media, states, strict=False):
        ScanItem.objects.create(run=run, media=each, **values)


def _events(instances: dict[str, Instance], media: list[Media], run: ScanRun) -> None:
    EventFactory(instance=instances["sonarr"], media=media[0], run=run, data={"to": "dub"})
    EventFactory(instance=instances["sonarr"], media=None, kind=Event.Kind.SCAN_FINISHED)
    EventFactory(instance=None, media=None, kind=Event.Kind.CONFIG, message="settings changed")


def _media_servers(instances: dict[str, Instance]) -> None:
    jellyfin = MediaServer(
        name="jellyfin",
        url="http://jellyfin:8096",
        path_mappings=[{"remote": "/data/tv", "local": "/media/tv"}],
        libraries=["TV Shows"],
    )
    plex = MediaServer(name="plex", kind=MediaServer.Kind.PLEX, url="http://plex:32400")
    for server in (jellyfin, plex):
        server.set_token("0123456789abcdef0123")
        server.save()
    jellyfin.instances.set([instances["sonarr"]])
    _household(plex)


def _household(plex: MediaServer) -> None:
    """A child with an account and an item of their own, a guest with neither."""
    child = Person.objects.create(name="child", languages=["fr-CA", "fra"])
    PersonAccount.objects.create(
        person=child, media_server=plex, account_id="2", account_name="Child",
        account_kind=PersonAccount.Kind.PLEX_MANAGED,
    )  # fmt: skip
    PersonItemWant.objects.create(
        person=child, media=Media.objects.first(), want=PersonItemWant.Want.ORIGINAL
    )
    Person.objects.create(name="guest", languages=["eng"], movie_want=Person.Want.ORIGINAL)
    _seerr(child)


def _seerr(child: Person) -> None:
    """A Seerr connection whose test passed (its answer carries the webhook's settings)
    and one never tested (it carries none); a user linked to a person, one not."""
    tested = SeerrConnection(
        name="jellyseerr", url="http://jellyseerr:5055", version="2.7.3",
        key_user_email="admin@example.org", tested_at=timezone.now(),
    )  # fmt: skip
    untested = SeerrConnection(name="overseerr", url="http://overseerr:5055")
    for connection in (tested, untested):
        connection.set_api_key("0123456789abcdef0123456789abcdef")
        connection.set_webhook_token(f"{connection.name}-webhook-token-0123456789")
        connection.save()
    SeerrUser.objects.create(
        connection=tested, seerr_id=2, email="child@example.org", display_name="Child",
        person=child,
    )  # fmt: skip
    SeerrUser.objects.create(
        connection=tested, seerr_id=3, email="guest@example.org", display_name="Guest"
    )


def _notifiers(instances: dict[str, Instance]) -> None:
    NotifierFactory(name="quiet")
    busy = NotifierFactory(
        name="phone",
        events=["scan_failed", "dub_arrived"],
        languages=["eng"],
        last_sent_at=timezone.now(),
        last_error="timed out",
    )
    busy.instances.set([instances["sonarr"]])


def _feed_tokens(instances: dict[str, Instance]) -> None:
    FeedToken.issue("every instance")
    FeedToken.issue("tv only", instances["sonarr"], user="admin")
    used, _ = FeedToken.issue("old reader")
    used.last_used_at = timezone.now()
    used.save()
    used.revoke()


def _badges(instance: Instance, item: Media, run: ScanRun) -> None:
    """Posters' badges (issue 95): a poster file planned, a server's season poster drawn
    whose undo was refused, one refused by a server whose item and run are gone."""
    server = MediaServer.objects.get(name="jellyfin")
    on_server = {"where": "server", "server": server, "server_item": "abc", "path": server.name}
    vfq = [{"text": "VFQ", "kind": "dub", "code": "fr-CA"}]
    BadgeChange.objects.create(
        instance=instance, media=item, run=run, path=f"{item.path}/poster.jpg",
        state="planned", badges=vfq, badges_digest="d" * 64,
    )  # fmt: skip
    BadgeChange.objects.create(
        instance=instance, media=item, run=run, season=1, state="written", badges=vfq,
        badges_digest="d" * 64, detail={"undo": "changed"}, applied_at=timezone.now(),
        applied_by="admin", **on_server,
    )  # fmt: skip
    BadgeChange.objects.create(
        instance=instance, media=None, run=None, state="refused", badges=[],
        badges_digest="d" * 64, refusal="server-failed",
        detail={"server": "jellyfin", "said": '{"status": 500}'}, **on_server,
    )  # fmt: skip


def every_kind_of_row() -> None:
    instances = _instances()
    media = _media(instances)
    runs = _runs(instances)
    _scan_items(runs[0], media)
    _events(instances, media, runs[-1])
    _media_servers(instances)
    _notifiers(instances)
    _feed_tokens(instances)
    quebec_plan()  # default tracks of every state and refusal (issue 81)
    quebec_changes(instances["sonarr"])  # quality profile changes of every state (issue 82)
    _badges(instances["sonarr"], media[0], runs[0])  # dub badges on posters (issue 95)
