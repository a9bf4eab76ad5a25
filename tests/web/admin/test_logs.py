"""Log files in the admin: superusers list and download the data dir's logs; no name
reaches anything but the files listed (no traversal, no symlink out, no other file)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

SECRET = "the-contents-of-a-file-outside-the-log-folder"


@pytest.fixture
def logs(tmp_path: Path, settings) -> Path:
    """A log folder with rotated logs, and beside it files that must stay unreachable."""
    folder = tmp_path / "data" / "logs"
    folder.mkdir(parents=True)
    settings.LOG_DIR = folder
    (folder / "taggarr-web.log").write_text("web line 1\nweb line 2\n")
    (folder / "taggarr-web.log.1").write_text("older web line\n")
    (folder / "taggarr-worker.log").write_bytes(b"w" * 3_000_000)  # streamed, not buffered
    (tmp_path / "data" / "secret_key").write_text(SECRET)
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET)
    (folder / "evil.log").symlink_to(outside)  # a symlink out of the folder
    (folder / "inside-link.log").symlink_to(folder / "taggarr-web.log")  # even one inside
    (folder / "notes.txt").write_text(SECRET)  # not a log file
    (folder / "secret_key").write_text(SECRET)
    (folder / "folder.log").mkdir()  # not a file
    os.mkfifo(folder / "pipe.log")  # would block a reader
    return folder


def test_the_list_shows_the_log_files_only(admin_client: Client, logs: Path) -> None:
    response = admin_client.get("/admin/logs/")
    assert response.status_code == 200
    html = response.content.decode()
    names = [log.name for log in response.context["logs"]]
    assert names == ["taggarr-web.log", "taggarr-web.log.1", "taggarr-worker.log"]
    assert 'href="/admin/logs/taggarr-web.log.1"' in html
    assert "2.9\xa0MB" in html
    for hidden in ("evil.log", "inside-link.log", "notes.txt", "secret_key", "pipe.log"):
        assert hidden not in html
    assert 'id="logs-link"' in html  # the link in the header, for superusers


def test_a_log_file_downloads_streamed(admin_client: Client, logs: Path) -> None:
    response = admin_client.get("/admin/logs/taggarr-web.log")
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == b"web line 1\nweb line 2\n"
    assert response["Content-Disposition"] == 'attachment; filename="taggarr-web.log"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    big = admin_client.get("/admin/logs/taggarr-worker.log")
    assert big["Content-Length"] == "3000000"
    assert sum(len(chunk) for chunk in big.streaming_content) == 3_000_000


@pytest.mark.parametrize(
    "path",
    [
        "/admin/logs/../secret_key",
        "/admin/logs/..%2Fsecret_key",
        "/admin/logs/%2E%2E%2Fsecret_key",
        "/admin/logs/..%252Fsecret_key",
        "/admin/logs/..",
        "/admin/logs//etc/passwd",
        "/admin/logs/%2Fetc%2Fpasswd",
        "/admin/logs/taggarr-web.log%00",
        "/admin/logs/evil.log",
        "/admin/logs/inside-link.log",
        "/admin/logs/notes.txt",
        "/admin/logs/secret_key",
        "/admin/logs/folder.log",
        "/admin/logs/pipe.log",
        "/admin/logs/missing.log",
        "/admin/logs/TAGGARR-WEB.LOG",
    ],
)
def test_nothing_but_a_listed_file_is_served(admin_client: Client, logs: Path, path: str) -> None:
    response = admin_client.get(path)
    assert response.status_code == 404
    assert SECRET.encode() not in response.content


def test_a_log_file_replaced_by_a_symlink_after_listing_is_refused(
    logs: Path, tmp_path: Path
) -> None:
    from web.logfiles import open_log

    handle = open_log(logs, "taggarr-web.log")
    assert handle is not None
    handle.close()
    (logs / "taggarr-web.log").unlink()
    (logs / "taggarr-web.log").symlink_to(tmp_path / "outside.txt")
    assert open_log(logs, "taggarr-web.log") is None


def test_staff_who_are_not_superusers_get_403(client: Client, logs: Path) -> None:
    staff = User.objects.create_user("staff", password="pw-for-staff-only", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/logs/").status_code == 403
    assert client.get("/admin/logs/taggarr-web.log").status_code == 403
    assert 'id="logs-link"' not in client.get("/admin/").content.decode()


def test_logged_out_goes_to_the_login(client: Client, logs: Path) -> None:
    for path in ("/admin/logs/", "/admin/logs/taggarr-web.log"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_no_log_folder_is_an_empty_list(admin_client: Client, settings, tmp_path: Path) -> None:
    settings.LOG_DIR = tmp_path / "nothing-here"
    response = admin_client.get("/admin/logs/")
    assert response.status_code == 200
    assert 'id="no-logs"' in response.content.decode()
    assert admin_client.get("/admin/logs/taggarr-web.log").status_code == 404


def test_a_log_reads_in_the_browser_filtered_by_level(admin_client: Client, logs: Path) -> None:
    (logs / "taggarr-web.log").write_text(
        "2026-11-25 07:00:00 INFO    web: started\n"
        "2026-11-25 07:00:01 WARNING scanner: tv: slow answer\n"
        "2026-11-25 07:00:02 ERROR   scanner: tv: failed\n"
        "Traceback (most recent call last):\n"
        "2026-11-25 07:00:03 DEBUG   scanner: detail\n"
    )
    html = admin_client.get("/admin/logs/view/taggarr-web.log").content.decode()
    assert '<span class="lvl-ERROR">2026-11-25 07:00:02 ERROR   scanner: tv: failed</span>' in html
    assert 'href="/admin/logs/taggarr-web.log" download' in html  # the download stays
    warnings = admin_client.get("/admin/logs/view/taggarr-web.log?level=WARNING&format=json")
    lines = warnings.json()["lines"]
    assert [level for level, _ in lines] == ["WARNING", "ERROR", "ERROR"]  # the traceback too
    assert "started" not in str(lines) and "detail" not in str(lines)
    last = admin_client.get("/admin/logs/view/taggarr-web.log?lines=100&format=json").json()
    assert last["lines"][-1] == ["DEBUG", "2026-11-25 07:00:03 DEBUG   scanner: detail"]


def test_the_viewer_opens_only_listed_files(admin_client: Client, logs: Path) -> None:
    for name in ("evil.log", "inside-link.log", "notes.txt", "secret_key", "pipe.log"):
        assert admin_client.get(f"/admin/logs/view/{name}").status_code == 404


def test_only_the_end_of_a_big_log_is_read(admin_client: Client, logs: Path) -> None:
    text = "".join(f"2026-11-25 07:00:00 INFO    worker: line {n}\n" for n in range(100_000))
    (logs / "taggarr-worker.log").write_text(text)  # 4.5 MB
    lines = admin_client.get("/admin/logs/view/taggarr-worker.log?format=json").json()["lines"]
    assert len(lines) == 300  # the default
    assert lines[-1][1].endswith("line 99999") and lines[0][1].endswith("line 99700")


def test_the_viewer_is_for_superusers(client: Client, logs: Path) -> None:
    User.objects.create_user("staff", password="pw-staff-42", is_staff=True)
    client.login(username="staff", password="pw-staff-42")
    assert client.get("/admin/logs/view/taggarr-web.log").status_code == 403
