"""The household's admin (issue 70): a person's page and the list render for a logged-in
admin, the languages are checked, and the account is picked from the list the server
gives. A server whose list cannot be read leaves the page working and says why.

The media-server fakes list no users yet (issue 70's Plex and Jellyfin work adds them),
so the server's client is a small test double put where the product builds it
(scanner.household.server_accounts.server_client): everything else is the product's."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from fakes.plex import FakePlex
from scanner.http.reasons import Code, Said
from scanner.media_servers.clients.base import ServerAccount, ServerAuthError
from scanner.models import MediaServer, Person, PersonAccount, PersonCount, PersonItemWant
from tests.factories import MediaFactory, NotifierFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/scanner/person/add/"
LIST_URL = "/admin/scanner/person/"
ACCOUNTS = [
    ServerAccount("1", "Admin", "plex-admin"),
    ServerAccount("22", "Léa", "plex-managed"),
]


class AccountsClient:
    """A media-server client as far as the picker uses it: its accounts, or an error."""

    def __init__(self, answer: list[ServerAccount] | Exception) -> None:
        self.answer = answer
        self.closed = False

    def accounts(self) -> list[ServerAccount]:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def close(self) -> None:
        self.closed = True


def _server(name: str) -> MediaServer:
    server = MediaServer(name=name, kind=MediaServer.Kind.PLEX, url=f"http://{name}:32400")
    server.set_token(SERVER_TOKEN)
    server.save()
    return server


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, AccountsClient]:
    """Each server's client by the server's name."""
    clients: dict[str, AccountsClient] = {}
    monkeypatch.setattr(
        "scanner.household.server_accounts.server_client", lambda server: clients[server.name]
    )
    return clients


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Léa",
        "languages": "VFQ, fr",
        "series_want": "dub",
        "movie_want": "original-subtitled",
        "accounts-TOTAL_FORMS": "1",
        "accounts-INITIAL_FORMS": "0",
        "accounts-MIN_NUM_FORMS": "0",
        "accounts-MAX_NUM_FORMS": "1000",
        "accounts-0-account": "",
        "item_wants-TOTAL_FORMS": "0",
        "item_wants-INITIAL_FORMS": "0",
        "item_wants-MIN_NUM_FORMS": "0",
        "item_wants-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_a_person_is_added_with_an_account_picked_from_the_servers_list(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)
    page = admin_client.get(ADD_URL)
    assert page.status_code == 200
    assert f'value="{server.pk}:22"' in page.content.decode()
    media = MediaFactory(title="Anime")
    response = admin_client.post(
        ADD_URL,
        _form(
            **{
                "accounts-0-account": f"{server.pk}:22",
                "item_wants-TOTAL_FORMS": "1",
                "item_wants-0-media": str(media.pk),
                "item_wants-0-want": "original",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get()
    assert person.languages == ["fr-CA", "fra"]
    assert person.movie_want == Person.Want.ORIGINAL_SUBTITLED
    account = PersonAccount.objects.get()
    assert (account.person, account.media_server, account.account_id) == (person, server, "22")
    assert (account.account_name, account.account_kind) == ("Léa", "plex-managed")
    assert PersonItemWant.objects.get().want == "original"
    assert answers["plex"].closed
    listing = admin_client.get(LIST_URL).content.decode()
    assert "Léa (plex)" in listing and "Canadian French, French" in listing


def test_an_account_another_person_has_is_refused_not_a_crash(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)
    owner = Person.objects.create(name="Tom", languages=["jpn"])
    PersonAccount.objects.create(
        person=owner, media_server=server, account_id="22", account_name="Léa",
        account_kind="plex-managed",
    )  # fmt: skip
    response = admin_client.post(ADD_URL, _form(**{"accounts-0-account": f"{server.pk}:22"}))
    assert response.status_code == 200
    assert "This account is already linked to another person." in response.content.decode()
    assert not Person.objects.filter(name="Léa").exists()


def test_an_account_the_server_did_not_list_is_refused(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)
    response = admin_client.post(ADD_URL, _form(**{"accounts-0-account": f"{server.pk}:999"}))
    assert response.status_code == 200 and not Person.objects.exists()


def test_a_server_that_cannot_list_leaves_the_page_working_and_says_why(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    good, bad = _server("plex"), _server("broken")
    answers["plex"] = AccountsClient(ACCOUNTS)
    refused = Said("broken refused the token", Code.MS_TOKEN_REFUSED,
                   {"server": "broken", "status": 401})  # fmt: skip
    answers["broken"] = AccountsClient(ServerAuthError("401", said=refused))
    with translation.override("fr"):
        page = admin_client.get(ADD_URL, HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert page.status_code == 200
    assert "broken" in text and f'value="{good.pk}:1"' in text
    assert "broken\u00a0: les comptes n&#x27;ont pas pu être lus" in text
    english = admin_client.get(ADD_URL).content.decode()
    assert "The accounts of broken could not be read: broken refused the token (401)" in english
    # The rest of the form is saved.
    response = admin_client.post(ADD_URL, _form(**{"accounts-0-account": f"{good.pk}:1"}))
    assert response.status_code == 302
    assert PersonAccount.objects.get().media_server == good
    assert bad.person_accounts.count() == 0


@pytest.mark.parametrize("answer", [KeyError("Users"), ServerAuthError("401")])
def test_every_failure_of_the_list_is_a_sentence_never_a_500(
    admin_client: Client, answers: dict[str, AccountsClient], answer: Exception
) -> None:
    _server("plex")
    answers["plex"] = AccountsClient(answer)
    page = admin_client.get(ADD_URL)
    assert page.status_code == 200
    assert "plex" in page.content.decode()
    response = admin_client.post(ADD_URL, _form())
    assert response.status_code == 302 and Person.objects.get().languages == ["fr-CA", "fra"]


def test_a_saved_account_stays_when_its_server_cannot_list_now(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(KeyError("Users"))
    person = Person.objects.create(name="Léa", languages=["fr-CA"])
    linked = PersonAccount.objects.create(
        person=person, media_server=server, account_id="22", account_name="Léa",
        account_kind="plex-managed",
    )  # fmt: skip
    url = f"/admin/scanner/person/{person.pk}/change/"
    page = admin_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert f'value="{server.pk}:22" selected' in text
    assert "The accounts of plex could not be read (the log says why)." in text
    kept = _form(**{
        "accounts-TOTAL_FORMS": "1", "accounts-INITIAL_FORMS": "1",
        "accounts-0-id": str(linked.pk), "accounts-0-person": str(person.pk),
        "accounts-0-account": f"{server.pk}:22", "languages": "fr-CA, ja",
    })  # fmt: skip
    response = admin_client.post(url, kept)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Person.objects.get().languages == ["fr-CA", "jpn"]
    assert PersonAccount.objects.get().account_name == "Léa"


def test_an_unknown_language_is_a_form_error(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, _form(languages="fr-CA, klingonish"))
    assert response.status_code == 200 and not Person.objects.exists()
    assert "unknown language or region" in response.content.decode()


def test_no_server_says_so(admin_client: Client) -> None:
    page = admin_client.get(ADD_URL)
    assert page.status_code == 200
    assert "No media server is enabled: add one first." in page.content.decode()


def test_the_household_is_in_the_list_of_pages(admin_client: Client) -> None:
    text = admin_client.get("/admin/all/").content.decode()
    assert LIST_URL in text and "Household" in text


def test_two_accounts_on_one_server_for_one_person_are_refused(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)
    both = _form(**{
        "accounts-TOTAL_FORMS": "2",
        "accounts-0-account": f"{server.pk}:1", "accounts-1-account": f"{server.pk}:22",
    })  # fmt: skip
    response = admin_client.post(ADD_URL, both)
    assert response.status_code == 200 and not Person.objects.exists()
    text = response.content.decode()
    assert "A person has one account per media server." in text and "media_server" not in text


def test_what_a_server_says_is_shown_as_text(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    _server("plex")
    _server("evil")
    answers["plex"] = AccountsClient([ServerAccount("3", "<script>x</script>", "plex-home")])
    params = {"server": "evil", "url": "http://evil", "status": 500, "detail": "<b>hi</b>"}
    detail = Said("evil answered", Code.MS_ANSWERED_SAID, params)
    answers["evil"] = AccountsClient(ServerAuthError("500", said=detail))
    text = admin_client.get(ADD_URL).content.decode()
    assert "<script>x</script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text
    assert "<b>hi</b>" not in text and "hi" in text


def test_the_items_are_found_by_their_title(admin_client: Client) -> None:
    anime = MediaFactory(title="Frieren")
    MediaFactory(title="Other")
    query = "app_label=scanner&model_name=personitemwant&field_name=media&term=frie"
    found = admin_client.get(f"/admin/autocomplete/?{query}")
    assert found.status_code == 200
    assert [row["id"] for row in found.json()["results"]] == [str(anime.pk)]


PIN = "7391"


def _with_pin(server: MediaServer, person: Person | None = None, **changes: Any) -> dict[str, Any]:
    saved = person.accounts.first() if person else None
    return _form(**{
        "accounts-0-account": f"{server.pk}:22", "accounts-0-pin": PIN,
        **({
            "accounts-INITIAL_FORMS": "1", "accounts-0-id": str(saved.pk),
            "accounts-0-person": str(person.pk),
        } if saved and person else {}),
        **changes,
    })  # fmt: skip


def test_a_plex_home_pin_is_kept_encrypted_and_never_shown(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)

    response = admin_client.post(ADD_URL, _with_pin(server))

    assert response.status_code == 302, response.content.decode()[:3000]
    account = PersonAccount.objects.get()
    assert account.get_pin() == PIN
    assert account.pin_encrypted and PIN not in account.pin_encrypted
    assert account.pin_hint == "****"
    person = account.person
    url = f"/admin/scanner/person/{person.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert PIN not in page and "Saved: ****" in page
    assert 'name="accounts-0-pin" autocomplete="new-password"' in page
    # Left empty, the saved PIN is kept.
    kept = _with_pin(server, person, **{"accounts-0-pin": ""})
    assert admin_client.post(url, kept).status_code == 302
    assert PersonAccount.objects.get().get_pin() == PIN
    # The API's persons list the account, never its PIN.
    api = admin_client.get("/api/persons/")
    assert api.status_code == 200 and "Léa" in api.content.decode()
    assert PIN not in api.content.decode() and "pin" not in api.content.decode().casefold()


def test_another_account_forgets_the_pin(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient([*ACCOUNTS, ServerAccount("23", "Zoé", "plex-home")])
    assert admin_client.post(ADD_URL, _with_pin(server)).status_code == 302
    person = Person.objects.get()
    url = f"/admin/scanner/person/{person.pk}/change/"

    moved = _with_pin(server, person, **{"accounts-0-account": f"{server.pk}:23",
                                          "accounts-0-pin": ""})  # fmt: skip
    assert admin_client.post(url, moved).status_code == 302

    account = PersonAccount.objects.get()
    assert (account.account_id, account.get_pin(), account.pin_hint) == ("23", "", "")


def test_a_saved_pin_is_cleared_by_its_box_alone(
    admin_client: Client, answers: dict[str, AccountsClient]
) -> None:
    """A profile whose PIN was removed in Plex: the PIN is cleared without another account
    picked; the box is offered only while a PIN is saved, and a new PIN typed with it
    checked is refused (which of the two was meant is not known)."""
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)
    adding = admin_client.get(ADD_URL).content.decode()
    assert 'type="hidden" name="accounts-0-clear_pin"' in adding
    assert admin_client.post(ADD_URL, _with_pin(server)).status_code == 302
    person = Person.objects.get()
    url = f"/admin/scanner/person/{person.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="accounts-0-clear_pin"' in page
    assert "Clear the saved PIN" in page

    both = _with_pin(server, person, **{"accounts-0-clear_pin": "on"})
    refused = admin_client.post(url, both)
    assert refused.status_code == 200
    assert "Enter a new PIN or clear the saved PIN, not both." in refused.content.decode()
    assert PIN not in refused.content.decode()
    assert PersonAccount.objects.get().get_pin() == PIN

    cleared = _with_pin(server, person, **{"accounts-0-pin": "", "accounts-0-clear_pin": "on"})
    assert admin_client.post(url, cleared).status_code == 302
    account = PersonAccount.objects.get()
    assert (account.account_id, account.get_pin(), account.pin_hint) == ("22", "", "")
    assert (account.pin_encrypted, account.pin_last4) == ("", "")
    page = admin_client.get(url).content.decode()
    assert 'type="hidden" name="accounts-0-clear_pin"' in page  # nothing left to clear
    # A forged box with nothing saved changes nothing (the field is disabled).
    forged = _with_pin(server, person, **{"accounts-0-clear_pin": "on"})
    assert admin_client.post(url, forged).status_code == 302
    assert PersonAccount.objects.get().get_pin() == PIN
    with translation.override("de"):
        german = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Clear the saved PIN" not in german


@pytest.mark.parametrize(
    ("account", "pin", "error"),
    [
        ("1", PIN, "Only a Plex Home user has a PIN."),
        ("22", "12a4", "A Plex Home PIN is 4 digits."),
        ("22", "123", "A Plex Home PIN is 4 digits."),
    ],
)
def test_a_pin_where_none_can_be_is_refused(
    admin_client: Client, answers: dict[str, AccountsClient], account: str, pin: str, error: str
) -> None:
    server = _server("plex")
    answers["plex"] = AccountsClient(ACCOUNTS)

    response = admin_client.post(
        ADD_URL,
        _with_pin(
            server, **{"accounts-0-account": f"{server.pk}:{account}", "accounts-0-pin": pin}
        ),
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert error in text
    assert not PersonAccount.objects.exists()
    assert pin not in text


def test_a_change_of_languages_or_wants_asks_for_a_count_a_new_name_does_not(
    admin_client: Client,
) -> None:
    assert admin_client.post(ADD_URL, _form()).status_code == 302
    person = Person.objects.get()

    def asked() -> set[int]:
        return set(PersonCount.objects.filter(person=person).values_list("asked", flat=True))

    assert asked() == {1}  # the page's first count (scanner.household.counts)
    change = f"/admin/scanner/person/{person.pk}/change/"
    assert admin_client.post(change, _form(languages="fr")).status_code == 302
    assert asked() == {2}
    assert admin_client.post(change, _form(languages="fr", name="Lea")).status_code == 302
    assert asked() == {2}
    assert (
        admin_client.post(change, _form(languages="fr", name="Lea", movie_want="dub")).status_code
        == 302
    )
    assert asked() == {3}


def test_a_persons_page_lists_their_own_notifiers_and_adds_one_for_them(
    admin_client: Client,
) -> None:
    """Notifier.person: the person's page links their own notifiers, and the add link
    opens the notifier form with them chosen (the admin's ?field= initial value)."""
    lea = Person.objects.create(name="Léa", languages=["fr-CA"])
    NotifierFactory(name="Léa's phone", person=lea)
    NotifierFactory(name="kitchen")
    page = admin_client.get(f"/admin/scanner/person/{lea.pk}/change/").content.decode()
    assert "Léa&#x27;s phone" in page and "kitchen" not in page
    assert f'href="/admin/scanner/notifier/add/?person={lea.pk}"' in page
    form = admin_client.get(f"/admin/scanner/notifier/add/?person={lea.pk}").content.decode()
    assert f'<option value="{lea.pk}" selected>Léa</option>' in form
    assert admin_client.get(ADD_URL).status_code == 200  # a new person: nothing to list yet


def test_plex_tv_that_does_not_answer_is_named_not_the_server(admin_client: Client) -> None:
    """The Plex server answers; plex.tv, which lists its people, does not: the page
    names plex.tv (issue 79, finding 6: it named the server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with FakePlex(token=SERVER_TOKEN) as plex, override_settings(PLEX_TV_URL=closed):
        server = MediaServer(name="salon", kind=MediaServer.Kind.PLEX, url=plex.url)
        server.set_token(SERVER_TOKEN)
        server.save()
        page = admin_client.get(ADD_URL).content.decode()
        where = plex.url
    assert f"The accounts of salon could not be read: plex.tv at {closed} did not answer" in page
    assert f"salon at {where} did not answer" not in page
