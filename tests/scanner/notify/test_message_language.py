"""Each notifier's messages in its own language (Notifier.language; empty:
TAGGARR_LANGUAGE), rendered when sent and posted by the real Apprise to the test's
json:// server: a German household's phone gets German, language names included."""

from __future__ import annotations

import pytest

from scanner.engine.dub_news import DubChange, Replacement, describe
from scanner.models import Event, ScanRun
from scanner.notify.dispatch import notify_run_ended, send_test
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, MediaFactory, NotifierFactory, ScanRunFactory

pytestmark = pytest.mark.django_db(transaction=True)
NEWS = ["dub_arrived", "dub_lost"]


def _run_with_news() -> ScanRun:
    instance = InstanceFactory(name="Serien", target_languages=["deu"])
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED)
    dark = MediaFactory(instance=instance, title="Dark")
    for change in (
        DubChange("arrived", "deu", 2, (), (), season_complete=True),
        DubChange("lost", "deu", 1, (4,), (Replacement(4, "a.mkv", "b.mkv"),), False),
    ):
        Event.objects.create(
            run=run, instance=instance, media=dark, kind=f"dub_{change.kind}",
            message=describe(change, "Dark"), data=change.to_data(),
        )  # fmt: skip
    return run


def test_a_german_notifier_gets_german_and_an_english_one_english(
    inbox: CapturingServer,
) -> None:
    NotifierFactory(name="Küche", url=inbox.url, events=NEWS, language="de")
    NotifierFactory(name="office", url=inbox.url, events=NEWS)
    assert notify_run_ended(_run_with_news().pk) == 4
    posts = {post["title"]: post["message"] for post in inbox.wait_for(4)}
    assert posts["Taggarr: Deutsch ist da in 1 Eintrag von Serien"] == (
        "- Deutsch ist da: Dark, Staffel 2 (Staffel 2 jetzt vollständig)"
    )
    assert posts["Taggarr: Deutsch verloren in 1 Eintrag von Serien"] == (
        "- Deutsch verloren: Dark, S01E04: a.mkv ersetzt durch b.mkv"
    )
    assert posts["Taggarr: German arrived in 1 item of Serien"] == (
        "- Dark: German arrived in season 2 (season 2 now complete)"
    )
    assert "Taggarr: German lost in 1 item of Serien" in posts


def test_the_default_language_is_taggarrs(inbox: CapturingServer, settings) -> None:
    settings.LANGUAGE_CODE = "fr"
    notifier = NotifierFactory(url=inbox.url, events=["wrong_dub"])
    assert send_test(notifier.pk)
    (post,) = inbox.wait_for(1)
    assert post["title"] == "Taggarr\u00a0: message de test"
    assert post["message"] == (
        f"La notification «\u00a0{notifier.name}\u00a0» fonctionne. Elle vous prévient quand des "
        "éléments sont devenus wrong-dub."
    )
