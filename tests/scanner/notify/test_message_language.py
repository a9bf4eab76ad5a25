"""Each notifier's messages in its own language (Notifier.language; empty:
TAGGARR_LANGUAGE), rendered when sent and posted by the real Apprise to the test's
json:// server: a German household's phone gets German, language names included."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scanner.engine.dub_news import DubChange, Replacement, describe
from scanner.models import Event, Person, ScanRun
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
    # Each line one whole sentence of the catalog, with its values (issue 61).
    with translation.override("de"):
        arrived = _("New dub: %(language)s — %(title)s, %(where)s (season %(season)d now complete)")
        lost = _("Dub lost: %(language)s — %(title)s, %(where)s: %(files)s")
        german = {
            "arrived": arrived % {"title": "Dark", "language": "Deutsch",
                                  "where": _("season %(season)d") % {"season": 2}, "season": 2},
            "lost": lost % {"title": "Dark", "language": "Deutsch", "where": "S01E04",
                            "files": "a.mkv ersetzt durch b.mkv"},
        }  # fmt: skip
    assert german["arrived"] == (
        "Neue Synchronfassung: Deutsch — Dark, Staffel 2 (Staffel 2 jetzt vollständig)"
    )
    new_title = "Taggarr: neue Synchronfassung in 1 Eintrag von Serien: Deutsch"
    assert posts[new_title] == f"- {german['arrived']}"
    lost_title = "Taggarr: Synchronfassung verloren in 1 Eintrag von Serien: Deutsch"
    assert posts[lost_title] == f"- {german['lost']}"
    assert posts["Taggarr: new dub in 1 item of Serien: German"] == (
        "- New dub: German — Dark, season 2 (season 2 now complete)"
    )
    assert posts["Taggarr: dub lost in 1 item of Serien: German"] == (
        "- Dub lost: German — Dark, S01E04: a.mkv replaced by b.mkv"
    )


def test_a_french_notifier_reads_no_english(inbox: CapturingServer) -> None:
    """Titles, bodies, language names and the replaced files: each the French of its
    msgid; the recorded English lines never reach the notifier."""
    run = _run_with_news()
    NotifierFactory(name="salon", url=inbox.url, events=NEWS, language="fr")
    assert notify_run_ended(run.pk) == 2
    posts = inbox.wait_for(2)
    with translation.override("fr"):
        titles = {
            ngettext(
                "Taggarr: new dub in %(count)d item of %(name)s: %(languages)s",
                "Taggarr: new dub in %(count)d items of %(name)s: %(languages)s",
                1,
            ) % {"languages": "allemand", "count": 1, "name": "Serien"},
            ngettext(
                "Taggarr: dub lost in %(count)d item of %(name)s: %(languages)s",
                "Taggarr: dub lost in %(count)d items of %(name)s: %(languages)s",
                1,
            ) % {"languages": "allemand", "count": 1, "name": "Serien"},
        }  # fmt: skip
        swap = _("%(old)s replaced by %(new)s") % {"old": "a.mkv", "new": "b.mkv"}
    assert {post["title"] for post in posts} == titles
    bodies = "\n".join(post["message"] for post in posts)
    assert "allemand" in bodies and swap in bodies
    recorded = set(Event.objects.filter(run=run).values_list("message", flat=True))
    assert recorded and not any(line in bodies for line in recorded)
    assert "German" not in bodies and "replaced by" not in bodies


def test_the_default_language_is_taggarrs(inbox: CapturingServer, settings) -> None:
    settings.LANGUAGE_CODE = "fr"
    notifier = NotifierFactory(url=inbox.url, events=["wrong_dub"])
    assert send_test(notifier.pk)
    (post,) = inbox.wait_for(1)
    assert post["title"] == "Taggarr\u00a0: message de test"
    assert post["message"] == (
        f"La notification «\u00a0{notifier.name}\u00a0» fonctionne. Elle vous prévient de cet "
        "événement\u00a0: des éléments sont devenus wrong-dub."
    )


def test_a_persons_own_notifier_takes_their_languages_where_its_own_are_empty(
    inbox: CapturingServer,
) -> None:
    """Notifier.person: a German grandmother's phone, its fields left empty, gets the
    German dub news in German; a French child's gets none of it (their language is not
    German); a person's notifier with its own fields keeps them."""
    oma = Person.objects.create(name="Oma", languages=["deu"])
    kid = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    NotifierFactory(name="Omas Telefon", url=inbox.url, events=NEWS, person=oma)
    NotifierFactory(name="Léa", url=inbox.url, events=NEWS, person=kid)
    NotifierFactory(
        name="Léa en anglais", url=inbox.url, events=NEWS, person=kid, language="en",
        languages=["deu"],
    )  # fmt: skip
    assert notify_run_ended(_run_with_news().pk) == 4
    titles = sorted(post["title"] for post in inbox.wait_for(4))
    assert titles == [
        "Taggarr: Synchronfassung verloren in 1 Eintrag von Serien: Deutsch",
        "Taggarr: dub lost in 1 item of Serien: German",
        "Taggarr: neue Synchronfassung in 1 Eintrag von Serien: Deutsch",
        "Taggarr: new dub in 1 item of Serien: German",
    ]
