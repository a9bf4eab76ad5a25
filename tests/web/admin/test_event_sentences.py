"""Issue 61: every event a person reads is a sentence in the reader's language, built at
display time from the event's kind and data; the stored English ``message`` (the log's
and the command line's) never reaches the page. Each event here is written by the code
path that writes it in use: a scan and a dry run of a real library, an item whose folder
went, an NFO that cannot be written, webhooks, a settings change, a media server that
refuses an item, a search for missing dubs, a review decision.

German is read through its catalog, with a message the German catalog lacks marked
"[de] <msgid>": a sentence missing from the catalog shows as such, and a text shown from
the English message instead of a sentence equals no catalog sentence."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext, trans_real

from fakes.arr import FakeArr
from fakes.jellyfin import FakeJellyfin, build_series
from scanner.actions.instance_edits import save_instance
from scanner.actions.review import confirm_guesses, set_unknown_language
from scanner.history.event_text import data_lines, event_message
from scanner.models import Event, Instance, Media, MediaServer, RunRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from scanner.searches.send import search_missing
from tests.helpers import SERVER_TOKEN, block_nfo, scan_inline
from tests.library import Library

MARK = "[de] "


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """A request in German leaves German active in the thread: the next test reads
    English again."""
    yield
    translation.deactivate()


@pytest.fixture
def pseudo_german(monkeypatch: pytest.MonkeyPatch) -> None:
    """German, with "[de] " before each message its catalog does not hold yet."""
    german = trans_real.translation("de")
    plain, plural = german.gettext, german.ngettext

    def marked(message: str) -> str:
        said = plain(message)
        return MARK + message if said == message and "\x04" not in message else said

    def marked_plural(singular: str, many: str, number: int) -> str:
        said = plural(singular, many, number)
        return MARK + said if said in (singular, many) else said

    monkeypatch.setattr(german, "gettext", marked)
    monkeypatch.setattr(german, "ngettext", marked_plural)


def _listing(client: Client, **filters: str) -> str:
    response = client.get("/admin/scanner/event/", filters, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    return response.content.decode()


def _told(client: Client, events: list[Event]) -> dict[str, str]:
    """Each event's sentence in German, checked against the list page: shown, marked as
    read from the catalog, and the stored English message nowhere."""
    page = _listing(client)
    said = {}
    for event in events:
        with translation.override("de"):
            text = event_message(event)
        assert text != event.message, event.kind
        assert escape(text) in page, (event.kind, text)
        assert f">{escape(event.message)}<" not in page, (event.kind, event.message)
        said[event.kind] = text
    return said


def test_a_scan_and_a_dry_run_tell_their_ends_and_changes(
    admin_client: Client, pseudo_german: None, sonarr_instance: Instance, tv_library: Library
) -> None:
    planned = scan_inline(sonarr_instance, dry_run=True)
    applied = scan_inline(sonarr_instance)
    events = list(Event.objects.filter(run__in=[planned, applied]))
    assert {e.kind for e in events} == {
        Event.Kind.SCAN_FINISHED, Event.Kind.TAG_PLANNED, Event.Kind.TAG_CHANGED,
    }  # fmt: skip
    _told(admin_client, events)
    changed = len([t for t in tv_library.expected.values() if t != "none"])
    finished = Event.objects.get(run=applied, kind=Event.Kind.SCAN_FINISHED)
    with translation.override("de"):
        assert event_message(finished) == ngettext(
            "Scan #%(run)s finished: %(count)d tag change written",
            "Scan #%(run)s finished: %(count)d tag changes written",
            changed,
        ) % {"run": applied.pk, "count": changed}
        dry = Event.objects.get(run=planned, kind=Event.Kind.SCAN_FINISHED)
        assert event_message(dry) == ngettext(
            "Dry run #%(run)s finished: %(count)d tag change planned, nothing written",
            "Dry run #%(run)s finished: %(count)d tag changes planned, nothing written",
            changed,
        ) % {"run": planned.pk, "count": changed}
        assert finished.message == f"scan #{applied.pk} finished: {changed} tag changes written"
        # A tag that was not there is "no tag", never the word "none".
        half = Event.objects.get(run=planned, media__title="Anime Half")
        assert event_message(half).startswith("Anime Half: ")
        assert " none " not in event_message(half) and "none →" not in event_message(half)
        assert gettext("no tag") in event_message(half)


def test_an_item_whose_folder_went_and_an_nfo_that_cannot_be_written(
    admin_client: Client, pseudo_german: None, sonarr_instance: Instance, tv_library: Library
) -> None:
    Instance.objects.filter(pk=sonarr_instance.pk).update(create_nfo=True)
    block_nfo(tv_library.folder("Anime Dubbed"))
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    work = plan_run(run.pk)
    shutil.rmtree(tv_library.folder("Anime Half"))  # gone since the plan
    run_inline(work, sleep=lambda seconds: None)
    failed = Event.objects.get(kind=Event.Kind.ITEM_FAILED)
    nfo = Event.objects.get(kind=Event.Kind.NFO_ERROR)
    finished = Event.objects.get(kind=Event.Kind.SCAN_FINISHED)
    said = _told(admin_client, [failed, nfo, finished])
    assert failed.data["cause"]  # a code, told as a clause
    with translation.override("de"):
        scanned = gettext("%(title)s could not be scanned: %(cause)s")
        nfo_text = gettext("%(title)s: its NFO could not be written")
    assert said[Event.Kind.ITEM_FAILED].startswith(scanned % {"title": "Anime Half", "cause": ""})
    assert said[Event.Kind.NFO_ERROR] == nfo_text % {"title": "Anime Dubbed"}
    with translation.override("de"):
        items = ngettext("%(count)d item failed", "%(count)d items failed", 1) % {"count": 1}
    assert items in said[Event.Kind.SCAN_FINISHED]
    assert "items failed" not in said[Event.Kind.SCAN_FINISHED].replace(items, "")
    page = admin_client.get(
        f"/admin/scanner/event/{failed.pk}/change/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert escape(failed.message) not in page
    # The run's page tells its error from the same figures, not the stored English.
    run.refresh_from_db()
    page = admin_client.get(
        f"/admin/scanner/scanrun/{run.pk}/change/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    with translation.override("de"):
        nfos = ngettext(
            "%(count)d NFO could not be written", "%(count)d NFOs could not be written", 1
        ) % {"count": 1}
    assert f'id="scan-error" data-live="error" >{escape(nfos)} und {escape(items)}</div>' in page
    assert run.error not in page


def test_webhooks_tell_what_they_did(
    client: Client, admin_client: Client, pseudo_german: None, sent_work: list
) -> None:
    from tests.factories import InstanceFactory

    sonarr = InstanceFactory(kind=Instance.Kind.SONARR)
    url = f"/api/webhooks/{sonarr.get_webhook_token()}/"
    for body in ({"eventType": "Test"}, {"eventType": "Download", "series": {"id": 12}}):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 202)
    events = list(Event.objects.filter(kind=Event.Kind.WEBHOOK).order_by("id"))
    assert [e.data["what"] for e in events] == ["test", events[1].data["what"]]
    _told(admin_client, events)
    with translation.override("de"):
        arr = sonarr.get_kind_display()
        assert event_message(events[0]) == gettext("Test webhook from %(arr)s received") % {
            "arr": arr
        }
        assert "Download" in event_message(events[1]) and "12" in event_message(events[1])


def test_a_settings_change_a_search_and_review_decisions(
    admin_client: Client, pseudo_german: None, sonarr_instance: Instance, sonarr: FakeArr
) -> None:
    scan_inline(sonarr_instance)
    sonarr_instance.search_daily_limit = 1  # the bound cuts Anime Half's two episodes
    save_instance(sonarr_instance, user="admin", via="admin")
    search_missing(
        list(Media.objects.filter(title="Anime Half").values_list("pk", flat=True)),
        trigger="manual",
        user="admin",
    )
    media = Media.objects.get(title="Anime Wrong")
    confirm_guesses(media, user="ops", via="api")
    set_unknown_language(media, "jpn", user="ops", via="api")
    set_unknown_language(media, "", user="ops", via="api")
    events = list(
        Event.objects.filter(kind__in=[Event.Kind.CONFIG, Event.Kind.SEARCH, Event.Kind.REVIEW])
    )
    said = _told(admin_client, events)
    search = Event.objects.get(kind=Event.Kind.SEARCH)
    with translation.override("de"):
        assert said[Event.Kind.SEARCH] == (
            f"Anime Half: {gettext('Sonarr')} gebeten, S02E01 zu suchen (fehlende Sprache: "
            "Englisch)"
        )
        reviews = [event_message(e) for e in Event.objects.filter(kind=Event.Kind.REVIEW)]
    assert search.message == "Anime Half: asked Sonarr to search S02E01 (English missing)"
    assert reviews[0].startswith("Anime Wrong: ")
    assert len(set(reviews)) == 3


@pytest.fixture
def jellyfin() -> Iterator[FakeJellyfin]:
    shows = [
        build_series("s1", "Anime Dubbed", "/media/tv/Anime Dubbed",
                     ProviderIds={"Tvdb": "100001"}),
        build_series("s2", "Anime Half", "/media/tv/Anime Half", ProviderIds={"Tvdb": "100002"}),
    ]  # fmt: skip
    with FakeJellyfin(token=SERVER_TOKEN, items=shows, version="10.11.11") as fake:
        yield fake


@pytest.mark.django_db(transaction=True)
def test_a_media_server_that_refuses_an_item_and_lacks_others(
    admin_client: Client,
    pseudo_german: None,
    sonarr_instance: Instance,
    tv_library: Library,
    jellyfin: FakeJellyfin,
) -> None:
    server = MediaServer(
        name="jellyfin",
        url=jellyfin.url,
        path_mappings=[{"remote": "/media/tv", "local": str(tv_library.root)}],
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set([sonarr_instance])
    jellyfin.state.fail_item("s2", 400)  # Anime Half
    scan_inline(sonarr_instance)
    events = list(Event.objects.filter(kind=Event.Kind.MEDIA_SERVER).order_by("id"))
    said = _told_each(admin_client, events)
    with translation.override("de"):
        refused = gettext("%(server)s: tags of %(title)s not written: %(problem)s") % {
            "server": "jellyfin", "title": "Anime Half",
            "problem": gettext("the server refused the request"),
        }  # fmt: skip
    assert refused in said
    unfound = next(e for e in events if e.data.get("what") == "unmatched").data["count"]
    with translation.override("de"):
        lacking = ngettext(
            "%(server)s: %(count)d item not found on the server",
            "%(server)s: %(count)d items not found on the server",
            unfound,
        ) % {"server": "jellyfin", "count": unfound}
    assert lacking in said
    unmatched = next(e for e in events if e.data.get("what") == "unmatched")
    with translation.override("de"):
        details = dict(data_lines(unmatched.data))
    assert "what" not in details and "count" not in details  # told by the sentence
    assert details[gettext("not found on the server")] == ", ".join(
        row["title"] for row in unmatched.data["unmatched"]
    )


def _told_each(client: Client, events: list[Event]) -> list[str]:
    page = _listing(client)
    texts = []
    for event in events:
        with translation.override("de"):
            text = event_message(event)
        assert text != event.message and escape(text) in page, text
        assert f">{escape(event.message)}<" not in page
        texts.append(text)
    return texts


def test_an_older_event_without_its_figures_reads_as_its_kinds_sentence(
    admin_client: Client, pseudo_german: None
) -> None:
    """Written before its data held the figures: never the English message."""
    from tests.factories import EventFactory

    old = [
        EventFactory(kind=kind, message=f"an old English line of {kind}", data={})
        for kind in Event.Kind.values
    ]
    page = _listing(admin_client)
    for event in old:
        assert event.message not in page
        with translation.override("de"):
            assert event_message(event) != event.message
