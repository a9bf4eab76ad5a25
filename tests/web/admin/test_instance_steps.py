"""A new instance in steps (issue 51): connect, test before saving, choose folders and
languages, first dry run; the form folds what most people keep (but a section with an
error); saving goes on to the instance's page, where the next step waits."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from scanner.models import Instance
from tests.factories import EventFactory, InstanceFactory, ScanRunFactory
from tests.web.admin.test_instance_admin import ADD_URL, _form

pytestmark = pytest.mark.django_db


def _steps(html: str) -> list[tuple[str, str]]:
    """(title, state) per step shown."""
    block = html.split('id="setup-steps"', 1)
    if len(block) == 1:
        return []
    steps = block[1].split("</ol>", 1)[0]
    found = re.findall(r'<li class="(\w*)"[^>]*><strong>(?:<span[^>]*>✓ </span>)?([^<]+)', steps)
    return [(title, state) for state, title in found]


def test_the_add_page_is_the_steps_with_the_rest_folded(admin_client: Client) -> None:
    html = admin_client.get(ADD_URL).content.decode()
    assert _steps(html) == [
        ("Connect", "current"), ("Test", ""), ("Choose", ""), ("First dry run", ""),
    ]  # fmt: skip
    # Django draws a folded section as <details>: the steps' sections stay open.
    folded = re.findall(r"<details[^>]*>\s*<summary>\s*<h2[^>]*>([^<]+)</h2>", html)
    assert set(folded) == {
        "Per-language and subtitle tags", "What counts", "Writing", "Schedule",
        "Search for missing dubs",
    }  # fmt: skip
    assert "Connection" not in folded and "Languages and tags" not in folded


def test_a_folded_section_with_an_error_opens(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, _form(scan_interval_minutes="-5"))
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html
    folded = re.findall(r"<details[^>]*>\s*<summary>\s*<h2[^>]*>([^<]+)</h2>", html)
    assert "Schedule" not in folded and "Writing" in folded


def test_saving_goes_on_to_the_next_step(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, _form(name="tv"))
    instance = Instance.objects.get(name="tv")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/scanner/instance/{instance.pk}/change/"
    page = admin_client.get(response["Location"]).content.decode()
    assert _steps(page) == [
        ("Connect", "done"), ("Test", "current"), ("Choose", "done"), ("First dry run", ""),
    ]  # fmt: skip
    assert "Next: test the connection, then a dry run." in page


def test_a_passing_test_makes_the_dry_run_the_step(admin_client: Client) -> None:
    instance = InstanceFactory(first_scan_at=None)
    EventFactory(instance=instance, kind="config", message="test",
                 data={"connection_test": {"ok": True, "lines": ["Sonarr 4"]}})  # fmt: skip
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert _steps(page)[1:] == [("Test", "done"), ("Choose", "done"), ("First dry run", "current")]


def test_no_steps_once_scanning_began(admin_client: Client) -> None:
    instance = InstanceFactory()
    ScanRunFactory(instance=instance)
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert _steps(page) == [] and 'id="setup-steps"' not in page
