"""An item's wanted languages in the admin (issue 62): the media page's form, the list's
bulk actions "original only" / "as the instance", the note beside the tag in the list,
the event in the history and the verdict's reason; a viewer sees no form and is refused."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import translation

from scanner.models import Event, Media
from scanner.reports.verdict_text import reason_sentence
from tests.factories import unsure_quebec
from tests.helpers import has_nested_forms

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _page(client: Client, media: Media) -> str:
    response = client.get(f"/admin/scanner/media/{media.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def _dubbed() -> Media:
    """English episodes with a French dub, target French: ``dub``."""
    media = unsure_quebec(target_languages=["fra"])
    assert media.planned_tag == "dub"
    return media


def test_the_bulk_actions(admin_client: Client) -> None:
    media = _dubbed()
    selected = {"_selected_action": [media.pk]}
    response = admin_client.post(
        "/admin/scanner/media/", {"action": "wanted_original_only", **selected}, follow=True
    )
    assert "Wanted languages set for 1 item" in _text(response.content.decode())
    media.refresh_from_db()
    assert (media.wanted, media.wanted_by, media.planned_tag) == ("original", "admin", "none")
    listed = _text(admin_client.get("/admin/scanner/media/").content.decode())
    assert "original only" in listed
    events = _text(admin_client.get("/admin/scanner/event/").content.decode())
    assert "Unsure Quebec: wanted languages set to original only by admin" in events

    admin_client.post("/admin/scanner/media/", {"action": "wanted_as_instance", **selected})
    media.refresh_from_db()
    assert (media.wanted, media.planned_tag) == ("", "dub")
    events = _text(admin_client.get("/admin/scanner/event/").content.decode())
    assert "Unsure Quebec: wanted languages set to the instance's by admin" in events


def test_the_page_form(admin_client: Client) -> None:
    media = _dubbed()
    html = _page(admin_client, media)
    assert 'id="wanted-form"' in html and not has_nested_forms(html)
    url = f"/admin/scanner/media/{media.pk}/wanted/"

    assert admin_client.post(url, {"choice": "original"}).status_code == 302
    text = _text(_page(admin_client, media))
    assert "original only, chosen by admin on " in text
    assert "Now: original only, chosen by admin on " in text

    admin_client.post(url, {"choice": "own", "languages": "fr-ca, de"})
    media.refresh_from_db()
    assert (media.wanted, media.wanted_targets) == ("own", ["fr-CA", "deu"])
    assert media.language_verdicts == {"deu": "none", "fr-CA": "none"}
    events = _text(admin_client.get("/admin/scanner/event/").content.decode())
    assert "wanted languages set by admin: Canadian French and German" in events

    for bad in ({"choice": "own", "languages": "klingonish"}, {"choice": "own"}, {"choice": "x"}):
        response = admin_client.post(url, bad, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        media.refresh_from_db()
        assert (media.wanted, media.wanted_targets) == ("own", ["fr-CA", "deu"])


def test_the_reason_says_who_and_when(admin_client: Client) -> None:
    media = _dubbed()
    admin_client.post(f"/admin/scanner/media/{media.pk}/wanted/", {"choice": "original"})
    media.refresh_from_db()
    with translation.override("en"):
        assert re.fullmatch(
            r"original only, chosen by admin on \d{4}-\d{2}-\d{2}",  # the admin's dates
            reason_sentence(media.verdict_reasons),
        )
    reasons = {**media.verdict_reasons, "wanted": {"mode": "original", "by": "x", "at": "bad"}}
    assert reason_sentence(reasons) == "original only, chosen by x on ?"
    event = Event.objects.get(media=media, kind=Event.Kind.CONFIG)
    assert event.message == "Unsure Quebec: wanted languages set to original only by admin (admin)"


def test_a_viewer_sees_no_form_and_is_refused() -> None:
    media = _dubbed()
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client = Client()
    client.force_login(viewer)
    assert 'id="wanted-form"' not in _page(client, media)
    response = client.post(f"/admin/scanner/media/{media.pk}/wanted/", {"choice": "original"})
    assert response.status_code == 403
    media.refresh_from_db()
    assert media.wanted == ""


@pytest.mark.parametrize("form", ["wanted", "varieties", "original", "rescan"])
def test_without_the_permission_an_item_that_is_not_there_is_refused_alike(form: str) -> None:
    """Before: 404 for a missing item, 403 for one that is there: the answer told a user
    without the permission which items exist."""
    media = _dubbed()
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client = Client()
    client.force_login(viewer)
    there = client.post(f"/admin/scanner/media/{media.pk}/{form}/", {"choice": "original"})
    missing = client.post(f"/admin/scanner/media/{media.pk + 999}/{form}/", {"choice": "x"})
    assert (there.status_code, missing.status_code) == (403, 403)
