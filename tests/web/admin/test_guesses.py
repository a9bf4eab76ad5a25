"""The admin's review page: the items that rest on a guess with why, each decision one
click; the media list's filter and its "Confirm the guesses" action."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from scanner.models import Media
from tests.factories import MediaFactory
from tests.helpers import has_nested_forms

pytestmark = pytest.mark.django_db
PAGE = "/admin/guesses/"
REASON = "2 of 2 files: the first audio track has no language and is taken as the original"


@pytest.fixture
def guessed() -> Media:
    MediaFactory(title="Clear")
    return MediaFactory(
        title="Guessed",
        review_reasons=[{"code": "unknown_first_track", "reason": REASON, "files": ["a.mkv"]}],
        needs_review=True,
        original_language="eng",
        original_suggestion="jpn",
    )


def test_the_page_lists_what_rests_on_a_guess_and_decides(
    admin_client: Client, guessed: Media
) -> None:
    html = admin_client.get(PAGE).content.decode()
    assert "Guessed" in html and REASON in html and "Clear" not in html
    assert "Original is Japanese (jpn)" in html
    assert not has_nested_forms(html)
    answer = admin_client.post(
        PAGE, {"media": guessed.pk, "decision": "unknown", "language": "ja"}, follow=True
    )
    assert answer.status_code == 200
    guessed.refresh_from_db()
    assert guessed.unknown_language == "jpn"
    html = answer.content.decode()
    assert 'id="unknown-overrides"' in html and "taken as Japanese (jpn)" in html
    admin_client.post(PAGE, {"media": guessed.pk, "decision": "original", "language": "jpn"})
    guessed.refresh_from_db()
    assert guessed.original_override == "jpn"
    bad = admin_client.post(
        PAGE, {"media": guessed.pk, "decision": "unknown", "language": "Klingonish"}, follow=True
    )
    assert "unknown language" in bad.content.decode()
    for junk in ({"media": "x", "decision": "confirm"}, {"media": 2**70, "decision": "confirm"}):
        assert admin_client.post(PAGE, junk).status_code == 404


def test_the_list_filter_and_the_confirm_action(admin_client: Client, guessed: Media) -> None:
    listed = admin_client.get("/admin/scanner/media/?review=yes").content.decode()
    assert "Guessed" in listed and ">Clear<" not in listed
    admin_client.post(
        "/admin/scanner/media/",
        {"action": "confirm_selected_guesses", "_selected_action": [guessed.pk]},
    )
    guessed.refresh_from_db()
    assert (guessed.needs_review, guessed.review_confirmed) == (False, ["unknown_first_track"])
    assert "Nothing to review" in admin_client.get(PAGE).content.decode()


def test_a_viewer_sees_but_cannot_decide(client: Client, guessed: Media) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client.force_login(viewer)
    html = client.get(PAGE).content.decode()
    assert "Guessed" in html and 'value="confirm"' not in html
    assert client.post(PAGE, {"media": guessed.pk, "decision": "confirm"}).status_code == 403
    viewer.user_permissions.clear()
    assert client.get(PAGE).status_code == 403
