"""``POST /api/rescan/`` and ``manage.py scan --path``: a tool names a file or folder it
changed; the items whose folder holds it are rescanned, as a webhook's would be."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from scanner.models import Instance, Media, ScanRequest, ScanRun
from scanner.pipeline.work import Plan
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the work is sent on commit

SHOW = "/data/tv/Anime Half"
FILE = f"{SHOW}/Season 02/Anime Half - S02E01.mkv"


@pytest.fixture
def show() -> Media:
    """An item of a Sonarr instance that has had its first scan; the *arr calls its
    folder /tv/Anime Half, this host /data/tv/Anime Half."""
    instance = InstanceFactory(
        name="tv",
        first_scan_at=timezone.now(),
        path_mappings=[{"remote": "/tv", "local": "/data/tv"}],
    )
    MediaFactory(instance=instance, title="Other", path="/data/tv/Other", arr_id=8)
    return MediaFactory(
        instance=instance, title="Anime Half", path=SHOW, arr_path="/tv/Anime Half", arr_id=7
    )


def _post(client: APIClient, path: object) -> object:
    return client.post("/api/rescan/", {"path": path}, format="json")


@pytest.mark.parametrize(
    "given",
    [
        FILE,  # the file, as this host sees it
        SHOW,  # the folder
        "/tv/Anime Half/Season 02/Anime Half - S02E01.mkv",  # as the *arr sees it
        "/tv/Anime Half/Subs/Anime Half - S02E01.de.srt",  # a new subtitle in Subs/
    ],
)
def test_the_item_holding_the_path_is_scanned(token_api, show, sent_work, given) -> None:
    response = _post(token_api, given)
    assert response.status_code == 202, response.content
    run = ScanRun.objects.get()
    assert response.json() == [{"item": "Anime Half", "instance": "tv", "scan": run.pk}]
    assert (run.trigger, run.scope) == (ScanRun.Trigger.WEBHOOK, [7])
    assert sent_work == [Plan(run.pk)]


def test_while_a_scan_runs_the_item_waits_for_it(token_api, show, sent_work) -> None:
    active = ScanRun.objects.create(instance=show.instance, trigger="api", status="running")
    response = _post(token_api, FILE)
    assert response.status_code == 202
    assert response.json()[0]["scan"] is None
    assert list(ScanRequest.objects.values_list("arr_id", "event_type")) == [(7, "Rescan")]
    assert list(ScanRun.objects.all()) == [active]


@pytest.mark.parametrize(
    ("given", "status", "says"),
    [
        ("/data/tv/Unknown Show/x.mkv", 404, "no item of any instance holds"),
        ("Anime Half/x.mkv", 400, "is not an absolute path"),
        ("", 400, "This field may not be blank"),
        ("/data/tv/x\u0000.mkv", 400, "Null characters are not allowed"),
        ("/" + "x" * 5000, 400, "no more than 1024 characters"),
        ("/a" * 2048, 400, "no more than 1024 characters"),  # the probe's: 2,048 folders
        ("/tv" * 65, 400, "the path is more than 64 folders deep"),
        (["/a", "/b"], 400, "Not a valid string"),
    ],
)
def test_a_path_no_item_holds_or_no_path_at_all_is_a_4xx(
    token_api, show, sent_work, given, status, says
) -> None:
    response = _post(token_api, given)
    assert response.status_code == status
    assert says in response.content.decode()
    assert not ScanRun.objects.exists() and not sent_work


def test_a_disabled_instances_items_are_not_found(token_api, show, sent_work) -> None:
    Instance.objects.filter(pk=show.instance_id).update(enabled=False)
    assert _post(token_api, FILE).status_code == 404


def test_it_needs_a_token_and_the_right_to_scan(show, sent_work) -> None:
    assert _post(APIClient(), FILE).status_code == 401
    viewer = User.objects.create_user("viewer", password="x" * 12, is_staff=True)
    client = APIClient()
    client.force_login(viewer)
    assert _post(client, FILE).status_code == 403
    assert not sent_work


def test_the_command_line_form(show, sent_work) -> None:
    out = StringIO()
    call_command("scan", "--path", FILE, stdout=out)
    run = ScanRun.objects.get()
    assert out.getvalue().strip() == f"tv: Anime Half: scan #{run.pk} queued"
    with pytest.raises(CommandError, match="no item of any instance holds"):
        call_command("scan", "--path", "/elsewhere/x.mkv")
    with pytest.raises(CommandError, match="the path is longer than 1024 characters"):
        call_command("scan", "--path", "/a" * 2048)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("path=" + FILE.replace(" ", "+"), 202),  # as curl --data-urlencode sends it
        ("path=%2Fdata%2Ftv%2Fx%00.mkv", 400),
        ("path=", 400),
        ("other=1", 400),
        ("path=%FF%FE", 400),  # not UTF-8
        ("path=/a&path=" + FILE.replace(" ", "+"), 202),  # twice: the last one counts
        ("path=" + "%2Fa" * 2048, 400),  # Bazarr's form field, bounded as JSON is
    ],
)
def test_the_path_may_come_as_a_form_field(token_api, show, sent_work, body, status) -> None:
    response = token_api.generic(
        "POST", "/api/rescan/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == status, response.content
    assert ScanRun.objects.exists() == (status == 202)


def test_a_long_path_is_refused_before_any_item_is_looked_up(token_api, show, sent_work) -> None:
    """The probe's 4,096-character path (2,048 folders, each looked up as an item's):
    refused by its length alone, with no query for the items."""
    with CaptureQueriesContext(connection) as queries:
        response = _post(token_api, "/a" * 2048)
    assert response.status_code == 400
    assert response.json() == {"path": ["Ensure this field has no more than 1024 characters."]}
    assert not [q["sql"] for q in queries.captured_queries if "scanner_media" in q["sql"]]
