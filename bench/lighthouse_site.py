"""bench/lighthouse.py's site: a library as a person has it (the browser tests' seed:
a review waiting, a failed scan, events of every kind; and a Sonarr's items with their
posters, fetched from the fake *arr over HTTP as a worker fetches them), then the web
server as the Docker image runs it: static files collected (hashed names, compressed),
gunicorn with ``--config python:taggarr.gunicorn_conf``, DEBUG off."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.services import answers, start_service
from bench.workers import free_port

REPO = Path(__file__).resolve().parent.parent
KEY = "0123456789abcdef0123456789abcdef"
TAGS = ("dub", "semi-dub", "none", "wrong-dub", "dub")
WITHOUT_POSTER = 3  # every third item has none: the placeholder is drawn too


def seed_library(data_dir: Path, count: int) -> int:
    """The rows the pages show; returns how many media items there are."""
    from fakes.arr import FakeArr, FakeArrOptions, generate_library
    from scanner.arr.payloads import parse_item
    from scanner.artwork.refresh import refresh_artwork
    from scanner.models import Instance, Media
    from tests.browser.seed import seed
    from tests.factories import InstanceFactory, MediaFactory

    seed(data_dir / "logs")
    items = generate_library("sonarr", count)
    with FakeArr(FakeArrOptions(app="sonarr", api_key=KEY), items=items) as fake:
        for item in items[::WITHOUT_POSTER]:
            fake.state.covers.remove(item["id"], "poster")
        instance = InstanceFactory.create(
            name="series", kind=Instance.Kind.SONARR, url=fake.url, api_key=KEY
        )
        for item in items:
            MediaFactory.create(
                instance=instance,
                arr_id=item["id"],
                title=item["title"],
                year=item.get("year"),
                applied_tag=TAGS[item["id"] % len(TAGS)],
                arr_covers=dict(parse_item(fake.state.served(item), kind="sonarr").covers),
            )
        counts = refresh_artwork(instance)
    if counts.failed:
        raise RuntimeError(f"posters not fetched from the fake Sonarr: {counts.failed[:3]}")
    return Media.objects.count()


def session_cookie() -> str:
    """A superuser's session, as the login form would leave it."""
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.create_superuser("bench-lighthouse", password=None)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def collect_static() -> bool:
    """collectstatic as the Dockerfile runs it; True when STATIC_ROOT was empty before (so
    that the run can leave it as it found it)."""
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    was_empty = not any(root.iterdir())
    call_command("collectstatic", interactive=False, verbosity=0)
    return was_empty


@contextlib.contextmanager
def web_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn as the Procfile starts it (docker/entrypoint.sh web); yields its URL."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config",
        "python:taggarr.gunicorn_conf",
    ]
    url = f"http://127.0.0.1:{port}"
    web = start_service(
        "gunicorn", command, {**env, "TAGGARR_BIND": f"127.0.0.1:{port}"}, log,
        ready=answers(f"{url}/healthz"), cwd=REPO,
    )  # fmt: skip
    try:
        yield url
    finally:
        web.stop()
