"""The language a person reads Taggarr in (accounts.language): the browser's
Accept-Language by default, TAGGARR_LANGUAGE when it asks for none Taggarr has, the
header switcher's choice at once, and a signed-in user's saved choice over all of them.
Django's LocaleMiddleware (django/middleware/locale.py, get_language_from_request in
django/utils/translation/trans_real.py) reads the cookie before Accept-Language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
SWITCH = "/i18n/setlang/"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("anna", password="a long password 1", is_staff=True)


def _language(response) -> str:
    assert response.status_code == 200
    return response["Content-Language"]


def test_the_browsers_language_then_taggarrs_default(client: Client, settings) -> None:
    assert _language(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "de"
    assert _language(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="pt-BR")) == "pt-br"
    settings.LANGUAGE_CODE = "fr"  # TAGGARR_LANGUAGE=fr
    assert _language(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="ja")) == "fr"
    assert _language(client.get(LOGIN)) == "fr"


def test_the_login_page_is_german_with_the_switcher_on_german(client: Client) -> None:
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de"' in page
    assert "Anmelden" in page  # Django's own admin catalog
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    assert 'for="taggarr-language-choice">Sprache</label>' in page
    assert ">Sprache wechseln</button>" in page


def test_a_saved_choice_wins_over_the_cookie_and_the_browser(client: Client, staff: User) -> None:
    Profile.objects.create(user=staff, language="pl")
    client.force_login(staff)  # read once, at sign-in
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert _language(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de")) == "pl"
    Profile.objects.filter(user=staff).update(language="")  # none saved: the cookie's
    client.force_login(staff)
    assert _language(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de")) == "fr"
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")
    assert not [q for q in queries.captured_queries if "accounts_profile" in q["sql"]]


def _csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def test_the_switcher_changes_the_language_at_once_and_saves_it(staff: User) -> None:
    client, token = _csrf_client()
    client.force_login(staff)
    answer = client.post(
        SWITCH, {"language": "nl", "next": "/admin/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert Profile.objects.get(user=staff).language == "nl"
    assert _language(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de")) == "nl"


def test_the_switcher_on_the_login_page_sets_only_the_cookie() -> None:
    client, token = _csrf_client()
    answer = client.post(SWITCH, {"language": "it", "next": LOGIN, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert _language(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="de")) == "it"
    assert Profile.objects.count() == 0


@pytest.mark.parametrize(
    "form",
    [
        {"language": "xx", "next": "/admin/"},  # not a language Taggarr has
        {"language": "de", "next": "https://elsewhere.example/"},  # not our site
        {"language": ["de", "fr"], "next": "//elsewhere.example"},
        {},
    ],
)
def test_the_switcher_takes_nothing_but_a_known_language_and_a_local_next(
    staff: User, form: dict
) -> None:
    client, token = _csrf_client()
    client.force_login(staff)
    answer = client.post(SWITCH, {**form, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert "elsewhere" not in answer["Location"]
    assert Profile.objects.filter(language="xx").count() == 0


def test_the_switcher_needs_the_csrf_token_and_a_post() -> None:
    client, _ = _csrf_client()
    assert client.post(SWITCH, {"language": "de"}).status_code == 403
    assert client.get(SWITCH).status_code == 405


def test_a_user_sets_their_language_in_the_admin(admin_client: Client, admin_user: User) -> None:
    page = admin_client.get("/admin/accounts/profile/add/")
    assert page.status_code == 200
    answer = admin_client.post(
        "/admin/accounts/profile/add/", {"user": admin_user.pk, "language": "es"}
    )
    assert answer.status_code == 302
    assert _language(admin_client.get("/admin/")) == "es"
