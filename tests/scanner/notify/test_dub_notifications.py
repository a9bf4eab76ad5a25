"""dub_arrived and dub_lost: real scans of real files, Apprise posting to the test's
json:// server; per notifier, only its target languages; a dry run tells nothing."""

from __future__ import annotations

import pytest

from scanner.models import Instance, Notifier
from scanner.notify.dispatch import notify_run_ended
from scanner.notify.rules import DubNews, RunOutcome, messages_for
from tests.capture import CapturingServer
from tests.factories import NotifierFactory
from tests.helpers import scan_inline
from tests.library import Library
from tests.media import MediaFactory, layout

NEWS = ["dub_arrived", "dub_lost"]


@pytest.mark.django_db(transaction=True)
def test_an_arrival_and_a_loss_are_one_message_each(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory, inbox: CapturingServer
) -> None:
    NotifierFactory(url=inbox.url, events=NEWS)
    scan_inline(sonarr_instance)
    assert inbox.posts == []  # the first scan takes note, it tells nothing
    for path in tv_library.files["Anime Half"][2:]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    scan_inline(sonarr_instance)
    (arrived,) = inbox.wait_for(1)
    assert arrived["title"] == "Taggarr: new dub in 1 item of tv: English"
    assert arrived["message"] == (
        "- New dub: English — Anime Half, S02E01-E02 (season 2 now complete)"
    )
    old = tv_library.files["Anime Dubbed"][1]
    old.unlink()
    media.make_video(old.with_name("Anime Dubbed - S01E02 REPACK.mkv"), layout("jpn"))
    scan_inline(sonarr_instance)
    posts = inbox.wait_for(2)
    assert len(posts) == 2
    assert posts[1]["title"] == "Taggarr: dub lost in 1 item of tv: English"
    assert posts[1]["message"] == (
        "- Dub lost: English — Anime Dubbed, S01E02: Season 01/Anime Dubbed - S01E02.mkv "
        "replaced by Season 01/Anime Dubbed - S01E02 REPACK.mkv"
    )


@pytest.mark.django_db(transaction=True)
def test_a_notifier_for_other_languages_and_a_dry_run_get_nothing(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory, inbox: CapturingServer
) -> None:
    NotifierFactory(name="german only", url=inbox.url, events=NEWS, languages=["deu"])
    NotifierFactory(name="english", url=inbox.url, events=NEWS, languages=["eng"])
    scan_inline(sonarr_instance)
    for path in tv_library.files["Anime Half"][2:]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    dry = scan_inline(sonarr_instance, dry_run=True)
    assert notify_run_ended(dry.pk) == 0
    assert inbox.posts == []
    scan_inline(sonarr_instance)
    (post,) = inbox.wait_for(1)
    assert post["title"] == "Taggarr: new dub in 1 item of tv: English"
    assert Notifier.objects.get(name="german only").last_sent_at is None


def _outcome(*news: DubNews, dry_run: bool = False) -> RunOutcome:
    return RunOutcome(
        run_id=7, instance_id=1, instance_name="tv", status="succeeded", error="",
        unreachable=False, dry_run=dry_run, became_wrong_dub=(), dub_news=news,
    )  # fmt: skip


def test_the_rules_group_news_by_kind_and_filter_by_language() -> None:
    german = DubNews("dub_arrived", "deu", "A: German arrived in S01E01", 1)
    french = DubNews("dub_arrived", "fra", "B: French arrived", 2)
    lost = DubNews("dub_lost", "deu", "A: German lost in S01E02", 1)
    messages = messages_for(_outcome(german, french, lost))
    assert [(m.kind, m.title) for m in messages] == [
        ("dub_arrived", "Taggarr: new dubs in 2 items of tv: French and German"),
        ("dub_lost", "Taggarr: dub lost in 1 item of tv: German"),
    ]
    assert messages[0].body == "- A: German arrived in S01E01\n- B: French arrived"
    (only,) = messages_for(_outcome(german, french), languages=["fr"])
    assert only.body == "- B: French arrived"
    assert messages_for(_outcome(german, lost), languages=["jpn"]) == []
    assert messages_for(_outcome(german, dry_run=True)) == []


def test_news_of_a_regional_target_reaches_a_notifier_of_its_language() -> None:
    """A notifier for French hears of the target fr-CA (issue 60): it is French."""
    quebec = DubNews("dub_arrived", "fr-CA", "B: French arrived", 2)
    (only,) = messages_for(_outcome(quebec), languages=["fr"])
    assert only.body == "- B: French arrived"
    assert messages_for(_outcome(quebec), languages=["deu"]) == []


@pytest.mark.parametrize(
    ("languages", "told"),
    [
        (["fr-CA"], True),
        (["fr-FR"], False),  # the France dub only: the Quebec one is not theirs
        (["fr-FR", "fra"], True),  # "else any French"
        (["es-419", "eng"], False),
    ],
)
def test_a_persons_variety_hears_only_its_own_news(languages: list[str], told: bool) -> None:
    """A person's own notifier takes their languages (Notifier.news_languages), varieties
    included: engine.targets.meets decides, as it does for a file."""
    quebec = DubNews("dub_arrived", "fr-CA", "B: French arrived", 2)
    assert bool(messages_for(_outcome(quebec), languages=languages)) is told


def test_many_news_are_counted_past_the_first_twenty() -> None:
    news = [DubNews("dub_arrived", "deu", f"Show {n}: German arrived", n) for n in range(25)]
    (message,) = messages_for(_outcome(*news))
    assert message.title == "Taggarr: new dub in 25 items of tv: German"
    assert message.body.endswith("- Show 19: German arrived\n... and 5 more")
