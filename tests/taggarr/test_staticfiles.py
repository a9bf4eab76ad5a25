"""Static files as the Docker image serves them (collected: hashed names, compressed,
cached for a year) and as ``make run`` and the tests do (not collected: plain names from
the apps, no error for want of a manifest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

YEAR = 10 * 365 * 24 * 60 * 60  # WhiteNoise's max-age for a file whose name has its hash


def test_not_collected_a_file_keeps_its_plain_name(settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "empty"
    (tmp_path / "empty").mkdir()
    assert static("taggarr/theme.css") == "/static/taggarr/theme.css"
    answer = Client().get("/static/taggarr/theme.css")
    assert answer.status_code == 200
    assert "immutable" not in answer.headers["Cache-Control"]


@pytest.mark.django_db
def test_collected_files_are_hashed_compressed_and_cached_for_good(
    settings, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path / "collected"
    call_command("collectstatic", interactive=False, verbosity=0)
    url = staticfiles_storage.url("taggarr/theme.css")
    assert url != "/static/taggarr/theme.css" and url.startswith("/static/taggarr/theme.")
    answer = Client().get(url, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == f"max-age={YEAR}, public, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"
    # A stylesheet imports another by its hashed name: a changed theme.css is a new file,
    # not one the browser keeps for a year under the old name.
    admin_css = Path(staticfiles_storage.path(staticfiles_storage.stored_name("taggarr/admin.css")))
    assert f'url("{Path(url).name}")' in admin_css.read_text()
