"""Setting up an instance without guessing (issue 61, Deliver 6): a connection test
passed in the form counts once the same values are saved (and only those: another
address or key is asked again, and the key never enters the session); the language
picker names languages in the reader's language and writes the codes its hint shows;
two or more targets offer per-language tags, and the home guide speaks of them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from fakes.arr import FakeArr
from scanner.actions.form_test import SESSION_KEY
from scanner.models import Event, Instance
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY
from tests.web.admin.test_instance_admin import ADD_URL, _form
from tests.web.admin.test_instance_steps import _steps

pytestmark = pytest.mark.django_db

CHOICES_URL = "/admin/scanner/instance/arr-choices/"
OTHER_KEY = "fedcba9876543210fedcba9876543210"


def _connection_tests(instance: Instance) -> list[dict[str, Any]]:
    return [
        event.data["connection_test"]
        for event in Event.objects.filter(instance=instance, kind=Event.Kind.CONFIG)
        if "connection_test" in event.data
    ]


def _test_in_form(client: Client, sonarr: FakeArr, **values: str) -> dict[str, Any]:
    posted = {"kind": "sonarr", "url": sonarr.url, "api_key": ARR_KEY, **values}
    answer: dict[str, Any] = client.post(CHOICES_URL, posted).json()
    return answer


def test_a_test_passed_in_the_form_counts_after_saving(
    admin_client: Client, sonarr: FakeArr
) -> None:
    assert "error" not in _test_in_form(admin_client, sonarr, url=f"{sonarr.url}/")
    response = admin_client.post(ADD_URL, _form(url=sonarr.url), follow=True)
    instance = Instance.objects.get(name="tv")
    assert _connection_tests(instance) == [
        {"ok": True, "version": None, "lines": [], "in_form": True}
    ]
    page = response.content.decode()
    assert "its connection test passed in the form. Next: a dry run." in page
    # The steps go on to the dry run: the test is not asked for again.
    assert _steps(page) == [
        ("Connect", "done"), ("Test", "done"), ("Choose", "done"), ("First dry run", "current"),
    ]  # fmt: skip
    assert "the connection test passed, so" in page
    # Used up: saving again is not tested again.
    admin_client.post(f"/admin/scanner/instance/{instance.pk}/change/", _form(url=sonarr.url))
    assert len(_connection_tests(instance)) == 1


def test_only_exactly_what_was_tested_counts(admin_client: Client, sonarr: FakeArr) -> None:
    _test_in_form(admin_client, sonarr)
    admin_client.post(ADD_URL, _form(name="other-key", url=sonarr.url, api_key=OTHER_KEY))
    admin_client.post(ADD_URL, _form(name="other-url", url="http://127.0.0.1:1"))
    admin_client.post(ADD_URL, _form(name="other-kind", kind="radarr", url=sonarr.url))
    for name in ("other-key", "other-url", "other-kind"):
        assert _connection_tests(Instance.objects.get(name=name)) == [], name
    # A failed test is not remembered at all.
    assert "error" in _test_in_form(admin_client, sonarr, api_key=OTHER_KEY)
    admin_client.post(ADD_URL, _form(name="failed", url=sonarr.url, api_key=OTHER_KEY))
    assert _connection_tests(Instance.objects.get(name="failed")) == []


def test_the_session_holds_no_key(admin_client: Client, sonarr: FakeArr) -> None:
    _test_in_form(admin_client, sonarr)
    [session] = Session.objects.all()
    decoded = session.get_decoded()
    assert decoded[SESSION_KEY] and len(decoded[SESSION_KEY]) == 1
    assert ARR_KEY not in session.session_data and ARR_KEY not in str(decoded)


def test_a_saved_instance_tested_with_its_saved_key_counts(
    admin_client: Client, sonarr: FakeArr
) -> None:
    instance = InstanceFactory(url=sonarr.url, api_key=ARR_KEY, target_languages=["eng"])
    answer = _test_in_form(admin_client, sonarr, api_key="", object_id=str(instance.pk))
    assert "error" not in answer
    form = _form(name=instance.name, url=sonarr.url, api_key="", target_languages="en")
    response = admin_client.post(f"/admin/scanner/instance/{instance.pk}/change/", form)
    assert response.status_code == 302
    assert [test["ok"] for test in _connection_tests(instance)] == [True]


def test_the_language_picker_speaks_the_readers_language(
    admin_client: Client, sonarr: FakeArr
) -> None:
    answer = admin_client.post(
        CHOICES_URL,
        {"kind": "sonarr", "url": sonarr.url, "api_key": ARR_KEY},
        HTTP_ACCEPT_LANGUAGE="de",
    ).json()
    offered = answer["languages"]
    assert {"code": "de", "name": "Deutsch"} in offered
    assert {"code": "fr", "name": "Französisch"} in offered
    assert {"code": "pt-BR", "name": "Portugiesisch (Brasilien)"} in offered
    names = [language["name"] for language in offered]
    assert names.index("Deutsch") < names.index("Englisch") < names.index("Französisch")


def test_the_field_shows_and_reads_what_its_hint_says(admin_client: Client) -> None:
    # Two-letter codes as the hint shows them, a variety by its tag, a name in the
    # reader's language: stored as codes, shown back as the hint writes them.
    response = admin_client.post(
        ADD_URL,
        _form(target_languages="de, fr-ca, Japanisch", allowed_extra_languages="en"),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302
    instance = Instance.objects.get(name="tv")
    assert instance.target_languages == ["deu", "fr-CA", "jpn"]
    assert instance.allowed_extra_languages == ["eng"]
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert re.search(r'name="target_languages"[^>]*value="de, fr-CA, ja"', page), page
    # Saved again as shown: nothing changed, nothing decided again.
    events = Event.objects.count()
    form = _form(target_languages="de, fr-CA, ja", allowed_extra_languages="en", api_key="")
    admin_client.post(f"/admin/scanner/instance/{instance.pk}/change/", form)
    assert Event.objects.count() == events
    # Anything else is still refused, named.
    response = admin_client.post(ADD_URL, _form(name="x", target_languages="de, klingonisch"))
    assert response.status_code == 200 and "klingonisch" in response.content.decode()


def _per_language_section(html: str) -> tuple[bool, bool]:
    """(folded, suggestion shown) of the per-language section."""
    heading = html.index("Per-language and subtitle tags</h2>")
    folded = html.rfind("<details", 0, heading) > html.rfind("</details>", 0, heading)
    notice = re.search(r'<p class="taggarr-notice" id="per-language-suggestion"( hidden)?>', html)
    assert notice is not None
    return folded, notice.group(1) is None


def test_two_targets_offer_per_language_tags(admin_client: Client) -> None:
    assert _per_language_section(admin_client.get(ADD_URL).content.decode()) == (True, False)
    one = InstanceFactory(target_languages=["deu"], language_tags=False)
    two = InstanceFactory(target_languages=["deu", "fra"], language_tags=False)
    on = InstanceFactory(target_languages=["deu", "fra"], language_tags=True)
    shown = {
        instance.pk: _per_language_section(
            admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
        )
        for instance in (one, two, on)
    }
    assert shown == {one.pk: (True, False), two.pk: (False, True), on.pk: (True, False)}
    # A form sent back with an error says it too, as it was typed.
    response = admin_client.post(ADD_URL, _form(target_languages="de, fr", read_timeout="-1"))
    assert _per_language_section(response.content.decode()) == (False, True)


def test_the_home_guide_speaks_of_per_language_tags(admin_client: Client) -> None:
    guide = admin_client.get("/admin/").content.decode()
    assert "per-language tags (dub-de, semi-dub-fr)" in guide
    instance = InstanceFactory(target_languages=["deu", "fra"], language_tags=False)
    Event.objects.create(
        instance=instance, kind=Event.Kind.CONFIG, data={"connection_test": {"ok": True}}
    )
    guide = admin_client.get("/admin/").content.decode()
    assert f"{instance.name} has two or more target languages and no per-language tags" in guide
