"""A library as a person sees it after a few evenings: an instance in use and a new one,
items with long titles and per-episode reasons, a dry run waiting for review, a failed
scan, events of every kind, a notifier and log files. Rows only: no server, no worker,
so every page can be looked at in seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from scanner.household import counts as person_counts
from scanner.models import (
    BadgeChange,
    DefaultTrackChange,
    Event,
    Instance,
    Media,
    MediaServer,
    Person,
    PersonAccount,
    PersonItemWant,
    ScanRun,
    SeerrConnection,
    SeerrUser,
    TrackRun,
)
from tests.factories import (
    EventFactory,
    InstanceFactory,
    MediaFactory,
    MediaFileFactory,
    NotifierFactory,
    ScanRunFactory,
    SeasonFactory,
)

PLANNED_LABELS = [["semi-dub", "semi-dub-en", "sub-de"], ["dub", "dub-en"], ["wrong-dub"],
                  ["dub"], ["dub"]]  # fmt: skip


@dataclass(frozen=True)
class Seeded:
    tv: Instance
    new: Instance
    show: Media
    review: ScanRun
    failed: ScanRun
    event: Event


def _reasons(title: str, seasons: int = 1) -> dict[str, Any]:
    def files(season: int) -> list[dict[str, Any]]:
        return [
            {
                "path": f"Season 0{season}/{title} - S0{season}E0{n}.mkv",
                "episodes": [n],
                "languages": ["jpn", "eng"] if n % 2 else ["jpn"],
                "missing": [] if n % 2 else ["eng"],
                "unexpected": [],
                "subtitles": ["deu"],
                "sidecars": [f"Season 0{season}/{title} - S0{season}E0{n}.de.srt"]
                if n == 2
                else [],
            }
            for n in range(1, 5)
        ]

    return {
        # As the engine words it for these files (scanner/engine/verdict.py _decide).
        "summary": f"semi-dub: {2 * seasons} files lack at least one of the targets (English)",
        "original": "jpn",
        "targets": ["eng"],
        "seasons": [{"season": n, "files": files(n)} for n in range(1, seasons + 1)],
    }


def _library_in_use(tv: Instance, items: list[Media]) -> None:
    """What fills the dashboard of a library in use to its limits (issue 61: its height
    on a phone): a target's coverage per item, ten arrivals and losses, ten finished scans
    of the last days (older than the seed's other runs; dry runs, so that the home page
    is still the guide)."""
    now = timezone.now()
    for number, media in enumerate(items):
        media.coverage = {"eng": [[4, 2, 0, 4, 4][number], 4]}
        media.save(update_fields=["coverage"])
    for n in range(10):
        media, episodes = items[n % 5], [n % 4 + 1, n % 4 + 2]
        lost = n % 4 == 3
        EventFactory.create(
            instance=tv, media=media, kind=Event.Kind.DUB_LOST if lost else Event.Kind.DUB_ARRIVED,
            message=f"{media.title}: English {'lost' if lost else 'arrived'} in "
            f"S01E0{episodes[0]}-E0{episodes[1]}",
            data={"language": "eng", "season": 1, "episodes": episodes,
                  "season_complete": n == 0},
        )  # fmt: skip
    for n in range(10):
        finished = now - timedelta(days=10 - n, minutes=5)
        run = ScanRunFactory.create(
            instance=tv, dry_run=True, status=ScanRun.Status.SUCCEEDED,
            started_at=finished - timedelta(seconds=40 + 7 * n),
            planned_at=finished - timedelta(seconds=30 + 7 * n), finished_at=finished,
            items_total=5, items_done=5, items_skipped=n % 5, files_probed=20 - n,
            summary={"listed": 5, "planned_changes": n % 4},
        )  # fmt: skip
        ScanRun.objects.filter(pk=run.pk).update(created_at=finished - timedelta(minutes=1))


def seed(log_dir: Path) -> Seeded:
    now = timezone.now()
    tv = InstanceFactory.create(
        name="tv", url="http://127.0.0.1:9/sonarr", target_languages=["eng"]
    )
    new = InstanceFactory.create(
        name="movies", kind=Instance.Kind.RADARR, url="http://127.0.0.1:9", first_scan_at=None
    )
    titles = [
        "The Remarkably Long Title of a Series That Wraps on Any Phone",
        "Akira",
        "Cowboy Bebop",
        "Dark",
        "Ghost in the Shell: Stand Alone Complex",
    ]
    items = []
    for number, title in enumerate(titles):
        media = MediaFactory.create(
            instance=tv,
            title=title,
            title_slug=title.lower().replace(" ", "-")[:40],
            applied_tag="none" if number < 3 else "dub",
            planned_tag=["semi-dub", "dub", "wrong-dub", "dub", "dub"][number],
            applied_labels=[] if number < 3 else ["dub"],
            planned_labels=PLANNED_LABELS[number],
            original_language="jpn",
            verdict_reasons=_reasons(title, seasons=5 if number == 0 else 1),
            year=2000 + number,
            file_count=4,
            last_scanned_at=now - timedelta(hours=number),
        )
        items.append(media)
    _library_in_use(tv, items)
    season = SeasonFactory.create(media=items[0], number=1, status="semi-dub", file_count=4)
    season.files_with_all = 2
    season.coverage = {"eng": [2, 4]}
    season.save()
    for n in range(1, 5):
        path = f"Season 01/{items[0].title} - S01E0{n}.mkv"  # as its reasons name it
        MediaFileFactory.create(media=items[0], season=season, path=path)
    review = ScanRunFactory.create(
        instance=tv,
        dry_run=True,
        status=ScanRun.Status.SUCCEEDED,
        started_at=now - timedelta(minutes=3),
        planned_at=now - timedelta(minutes=2, seconds=50),
        finished_at=now - timedelta(minutes=2),
        items_total=5,
        items_done=5,
        files_probed=20,
        summary={"listed": 5, "planned_changes": 3, "planned_set": {"semi-dub": 1, "dub": 1}},
    )
    failed = ScanRunFactory.create(
        instance=tv,
        status=ScanRun.Status.FAILED,
        started_at=now - timedelta(minutes=60),
        finished_at=now - timedelta(minutes=58),
        error="Sonarr at http://127.0.0.1:9/sonarr could not be reached: connection refused "
        "(still so after 120 s of retries)",
    )
    EventFactory.create(instance=tv, media=items[1], message="Akira: planned from none to dub")
    EventFactory.create(
        instance=tv,
        kind=Event.Kind.SCAN_FINISHED,
        run=failed,
        message=f"scan #{failed.pk} failed: Sonarr could not be reached",
        data={"status": "failed", "cause": "unreachable"},
    )
    event = EventFactory.create(
        instance=tv,
        kind=Event.Kind.CONFIG,
        message="instance 'tv' changed by admin (admin): target languages",
        data={"fields": ["target_languages"], "user": "admin", "via": "admin",
              "changes": {"target_languages": [["eng"], ["eng", "deu"]]}},
    )  # fmt: skip
    # A first page of events as a library in use has them (the phone's height budget).
    for n in range(60):
        EventFactory.create(
            instance=tv, media=items[n % 5], kind=Event.Kind.TAG_CHANGED,
            message=f"{items[n % 5].title}: planned from none to dub",
        )  # fmt: skip
    EventFactory.create(
        instance=tv, kind=Event.Kind.CONFIG, message="instance 'tv' created by admin (admin)",
        data={"fields": ["kind", "name"], "user": "admin", "via": "admin", "created": True,
              "changes": {"kind": [None, "sonarr"], "name": [None, "tv"]}},
    )  # fmt: skip
    EventFactory.create(
        instance=tv, kind=Event.Kind.CONFIG, message="connection test OK (admin, admin): fine",
        data={"connection_test": {"ok": True, "lines": ["Sonarr 4.0.15 answered"]},
              "user": "admin", "via": "admin"},
    )  # fmt: skip
    NotifierFactory.create(name="phone", events=["scan_failed", "unreachable"])
    _household(items[0])
    _default_tracks(tv, items[0], review)
    _badges(tv, items, review)
    log_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        f"2026-11-25 07:0{n}:00 {level} scanner.pipeline: scan #{n} of tv: a line to read"
        for n, level in enumerate(["INFO", "WARNING", "ERROR", "INFO", "DEBUG"])
    ]
    (log_dir / "taggarr-web.log").write_text("\n".join(lines) + "\n")
    return Seeded(tv=tv, new=new, show=items[0], review=review, failed=failed, event=event)


def _household(anime: Media) -> None:
    """Two people on a server that is off (its accounts are not asked for), one with an
    account and an item of her own; each account with a last run of the step that sets
    their track (the dashboard's card, the person's page): a dry run that counted, and a
    PIN plex.tv asked for (the longest sentence)."""
    plex = MediaServer(name="Plex du salon", kind="plex", url="http://plex:32400", enabled=False)
    plex.set_token("0123456789abcdef0123")
    plex.save()
    child = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    PersonAccount.objects.create(
        person=child, media_server=plex, account_id="2", account_name="Léa",
        account_kind="plex-managed",
    )  # fmt: skip
    PersonItemWant.objects.create(person=child, media=anime, want="original-subtitled")
    parent = Person.objects.create(
        name="Marie-Thérèse Delacroix-Beaumont de Saint-Exupéry", languages=["jpn", "fra", "eng"],
        series_want="original-subtitled", movie_want="original",
    )  # fmt: skip
    home = PersonAccount.objects.create(
        person=parent, media_server=plex, account_id="3", account_name="marie-therese.home",
        account_kind="plex-home",
    )  # fmt: skip
    now = timezone.now()
    TrackRun.objects.create(
        account=child.accounts.get(), dry_run=True, started_at=now, ended_at=now,
        counts={"sent": 1214, "kept": 3, "uncertain": 2}, doubts={"release-set": 2},
    )  # fmt: skip
    TrackRun.objects.create(
        account=home, dry_run=True, started_at=now, ended_at=now, problem="token",
        reason="pin-required",
    )  # fmt: skip
    # Léa's figures counted as a worker counts them (her page's counted sentences);
    # the parent's never (the first visit's).
    person_counts.ask(child.pk)
    person_counts.count_person(child.pk)
    _seerr(child)


def _seerr(child: Person) -> None:
    """A Jellyseerr connection whose test passed (its page shows what to paste into
    Seerr), its users listed, one of them linked to the child."""
    seerr = SeerrConnection(
        name="Jellyseerr", url="http://jellyseerr:5055", version="2.7.3",
        key_user_email="admin@maison.example", tested_at=timezone.now(),
    )  # fmt: skip
    seerr.set_api_key("0123456789abcdef0123456789abcdef")
    seerr.set_webhook_token("seerr-webhook-token-0123456789")
    seerr.save()
    # Léa imported from Jellyfin: her Jellyfin user name is Seerr's "e-mail" of her.
    SeerrUser.objects.create(
        connection=seerr, seerr_id=2, email="léa", display_name="Léa",
        user_type=SeerrUser.Kind.JELLYFIN, person=child,
        may_report_issues=False,  # Seerr's default: Request only
    )  # fmt: skip
    SeerrUser.objects.create(
        connection=seerr, seerr_id=3, email="invite@maison.example", display_name="Invité",
        user_type=SeerrUser.Kind.LOCAL, may_report_issues=True,
    )  # fmt: skip
    # The child's own notifier: Taggarr's answers to her requests, in her languages.
    NotifierFactory.create(name="Léa", events=["seerr", "dub_arrived"], person=child)


def _badges(tv: Instance, items: list[Media], run: ScanRun) -> None:
    """The dub badges' page (issue 95): a poster planned, one drawn, and the longest
    refusals (the hard links, no poster beside the item, an undo left alone)."""
    tv.badges = Instance.Badges.PLAN
    tv.save(update_fields=["badges"])
    vfq = [{"text": "VFQ", "kind": "dub"}, {"text": "DE", "kind": "semi"}]
    rows = [
        ("planned", "", {}, vfq),
        ("written", "", {"undo": "changed"}, vfq),
        ("refused", "hardlinked", {"links": "2"}, vfq),
        ("refused", "no-poster", {}, vfq[:1]),
    ]
    for media, (state, refusal, detail, badges) in zip(items, rows, strict=False):
        BadgeChange.objects.create(
            instance=tv, media=media, run=run, path=f"{media.path}/poster.jpg", state=state,
            refusal=refusal, detail=detail, badges=badges, badges_digest="0" * 64,
        )  # fmt: skip


def _default_tracks(tv: Instance, anime: Media, run: ScanRun) -> None:
    """The default tracks' plan of the long-titled series (issue 81): one file of each
    state that reads differently, the longest sentences among them (the hard links, the
    header without room and its command to copy)."""
    tv.default_tracks = Instance.DefaultTracks.PLAN
    tv.save(update_fields=["default_tracks"])
    command = (
        f"mkvpropedit '{anime.title} - S01E03.mkv' --edit track:a1 --set flag-default=0 "
        "--edit track:a2 --set flag-default=1 --edit track:s1 --set flag-default=0"
    )
    states = [
        ("planned", "", {}),
        ("refused", "hardlinked", {"nlink": 2}),
        ("refused", "no-room", {"command": command}),
        ("written", "", {}),
    ]
    for media_file, (state, refusal, detail) in zip(
        anime.files.order_by("path"), states, strict=True
    ):
        read = refusal != "hardlinked"  # refused before its header was read: no default
        DefaultTrackChange.objects.create(
            instance=tv, media=anime, media_file=media_file, run=run,
            path=f"{anime.path}/{media_file.path}", state=state, refusal=refusal, detail=detail,
            audio_before=1 if read else None, audio_before_language="jpn" if read else "",
            audio_after=2 if read else None, audio_after_language="eng" if read else "",
            subtitle_before=1 if read else None, subtitle_before_language="deu" if read else "",
            subtitle_after=None,
        )  # fmt: skip
