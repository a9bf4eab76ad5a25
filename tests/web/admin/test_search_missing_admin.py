"""The media list's action "Search for the missing dubs": a preview page first (with a
season to choose for one series), then the search queued for a worker, which asks the
fake Sonarr over HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Instance, Media, MissingSearch
from tests.helpers import has_nested_forms, scan_inline

pytestmark = pytest.mark.django_db(transaction=True)
LIST = "/admin/scanner/media/"


def _action(client: Client, titles: list[str], **extra: str) -> object:
    ids = [str(pk) for pk in Media.objects.filter(title__in=titles).values_list("pk", flat=True)]
    data = {"action": "search_missing_dubs", "_selected_action": ids, **extra}
    return client.post(LIST, data)


def test_preview_then_search(
    admin_client: Client,
    sonarr_instance: Instance,
    sonarr: FakeArr,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    scan_inline(sonarr_instance)
    page = _action(admin_client, ["Anime Half", "Anime Dubbed"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "S02E01-E02" in html and "English" in html
    assert "Anime Dubbed: no counted file of it lacks a target language" in html
    assert not has_nested_forms(html)
    assert sonarr.state.commands() == []
    one = _action(admin_client, ["Anime Half"], season="1", confirm="no")
    assert 'id="nothing-to-search"' in one.content.decode()  # season 1 has English
    monkeypatch.setattr(tasks.ask_missing_searches, "delay", tasks.ask_missing_searches)
    with django_capture_on_commit_callbacks(execute=True):
        done = _action(admin_client, ["Anime Half", "Anime Dubbed"], confirm="yes")
    assert done.status_code == 302
    (command,) = sonarr.state.commands()
    assert command["name"] == "EpisodeSearch"
    row = MissingSearch.objects.get()
    assert (row.title, row.trigger, row.user) == ("Anime Half", "manual", "admin")
    assert admin_client.get("/admin/scanner/missingsearch/").status_code == 200
