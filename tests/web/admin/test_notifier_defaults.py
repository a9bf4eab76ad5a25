"""A notifier as it comes (issue 84, part 6): its add form saves untouched but for the
name and the URL, with the news people expect ticked; and it speaks the language of the
person it is for, else of the one who made it (a French or a Spanish admin's household
notifier writes French or Spanish), never English by default."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from accounts.models import Profile
from scanner import tasks
from scanner.models import NotificationKind, Notifier, Person, expected_notification_kinds
from tests.capture import CapturingServer

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/scanner/notifier/add/"


class _Form(HTMLParser):
    """What a browser submits of a form left as it is: its fields' values, the ticked
    boxes, each select's selected options (a single select: its first when none is)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select: tuple[str, bool] | None = None  # its name, and whether it is multiple
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and found.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in found:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(found.get("value", default))
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in found), []
        elif tag == "option" and self.select is not None:
            self.options.append((found.get("value", ""), "selected" in found))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.data[name] = chosen
            self.select = None


def untouched(html: str, form_id: str) -> dict[str, list[str]]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.data


def test_the_add_form_saves_as_it_comes_with_the_news_people_expect(
    admin_client: Client, inbox: CapturingServer
) -> None:
    data = untouched(admin_client.get(ADD_URL).content.decode(), "notifier_form")
    data.update(name=["phone"], url=[inbox.url])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # A dub arrived or lost, a scan that failed or could not reach its *arr, Taggarr's
    # answers in Seerr: what an *arr ticks for a new connection (On Import, On Health
    # Issue). Not wrong-dub items: a verdict to review, not news.
    assert Notifier.objects.get().events == [
        NotificationKind.SCAN_FAILED,
        NotificationKind.UNREACHABLE,
        NotificationKind.DUB_ARRIVED,
        NotificationKind.DUB_LOST,
        NotificationKind.SEERR,
    ]
    # Untouched otherwise: enabled, every instance, every language.
    notifier = Notifier.objects.get()
    assert notifier.enabled and not notifier.instances.exists() and notifier.languages == []


def _admin(name: str, language: str = "") -> Client:
    user = User.objects.create_superuser(name, f"{name}@example.org", "pw")
    if language:
        Profile.objects.create(user=user, language=language)  # their saved choice
    client = Client()
    client.force_login(user)
    return client


def _test_message(
    client: Client, inbox: CapturingServer, *, headers: dict[str, str] | None = None, **fields: str
) -> dict[str, str]:
    """Add a notifier left as it comes, as ``client``'s reader, and send its test message
    as the worker would (the task run here)."""
    headers = headers or {}  # a browser's, sent with each request
    page = client.get(ADD_URL, headers=headers)
    data = untouched(page.content.decode(), "notifier_form")
    data.update(name=["Foyer"], url=[inbox.url], **{k: [v] for k, v in fields.items()})
    added = client.post(ADD_URL, data, headers=headers)
    assert added.status_code == 302, added.context["adminform"].form.errors
    before = len(inbox.posts)
    tasks.send_test_notification(Notifier.objects.get(name="Foyer").pk)
    return inbox.wait_for(before + 1)[-1]


def _in(language: str) -> tuple[str, str]:
    """The test message's title, and its body up to the notifier's name, in ``language``."""
    with translation.override(language):
        body = ngettext(
            "Notifier '%(name)s' works. It tells you of this event: %(kinds)s.",
            "Notifier '%(name)s' works. It tells you of these events: %(kinds)s.",
            5,
        )
        return gettext("Taggarr: test message"), body.split("%(name)s")[0]


@pytest.mark.parametrize(("language", "how"), [("fr", "saved"), ("es", "browser")])
def test_a_household_notifier_speaks_its_makers_language(
    inbox: CapturingServer, language: str, how: str
) -> None:
    """The issue's French and Spanish admins: the household notifier's message language
    left empty, its test message was English ("Taggarr: test message / Notifier 'Foyer'
    works..."). Their language is their saved choice, else their browser's."""
    if how == "saved":
        client, headers = _admin("chef", language), {}
    else:
        client, headers = _admin("jefe"), {"accept-language": f"{language},en;q=0.5"}
    sent = _test_message(client, inbox, headers=headers)
    title, opening = _in(language)
    assert title != "Taggarr: test message" and sent["title"] == title
    assert sent["message"].startswith(opening), sent["message"]
    assert Notifier.objects.get().language == language  # shown, and changed, on its page


def test_a_persons_notifier_speaks_their_language_else_its_makers(
    inbox: CapturingServer,
) -> None:
    client = _admin("chef", "fr")
    paula = Person.objects.create(name="Paula", languages=["es", "fra"])
    sent = _test_message(client, inbox, person=str(paula.pk))
    assert sent["title"] == _in("es")[0]
    assert Notifier.objects.get().language == ""  # it follows her languages
    Notifier.objects.all().delete()
    kenji = Person.objects.create(name="Kenji", languages=["jpn"])  # none Taggarr speaks
    sent = _test_message(client, inbox, person=str(kenji.pk))
    assert sent["title"] == _in("fr")[0]


def test_the_api_makes_one_the_same_way(inbox: CapturingServer) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("jefa", "jefa@example.org", "pw"))
    made = api.post(
        "/api/notifiers/", {"name": "Hogar", "url": inbox.url}, format="json",
        headers={"accept-language": "es"},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["events"] == expected_notification_kinds()
    assert made.json()["language"] == "es"
