"""The cache on a real Redis writes only where it is told: in the database REDIS_URL
names (the broker's), every key under Taggarr's prefix, or in TAGGARR_CACHE_URL's; and
a key another program keeps in that database outlives Taggarr's use of the cache and
everything Taggarr deletes. Each test runs Taggarr in a process of its own (the settings
read the environment once) and looks at Redis with a client of its own.

Other tests and programs may use the same databases at once: the keys here are unique
to the test, and nothing here empties a database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)"
)

PREFIX = "taggarr-cache:"
PRODUCT = ("accounts", "api", "scanner", "taggarr", "web")

# Run inside Taggarr: the login throttle counts a failure then forgets it (the one key
# Taggarr deletes), the webhook rate counts, and a plain set/get; prints the keys as
# they are in Redis.
_USE_THE_CACHE = """
import sys
import django
django.setup()
from django.core.cache import cache
from django.test import RequestFactory
from accounts.throttles import LoginFailureThrottle, login_failed, login_succeeded
from api.webhook_rate import WINDOW_SECONDS, clock, over_rate

tag = sys.argv[1]
login = RequestFactory().post("/api/auth/token/", {"username": tag}, REMOTE_ADDR="10.9.8.7")
throttle_key = cache.make_key(LoginFailureThrottle().get_cache_key(login, None))
login_failed(login)
assert cache.get(LoginFailureThrottle().get_cache_key(login, None))
print(throttle_key)
over_rate(tag)
print(cache.make_key(f"webhook-rate:{tag}:{int(clock() // WINDOW_SECONDS)}"))
cache.set(f"plain-{tag}", "value", 60)
assert cache.get(f"plain-{tag}") == "value"
print(cache.make_key(f"plain-{tag}"))
if sys.argv[2] == "forget":
    login_succeeded(login)
    cache.delete(f"plain-{tag}")
"""


def _on_database(url: str, number: int) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{number}", query="").geturl()


def _use_the_cache(tmp_path: Path, env: dict[str, str], tag: str, then: str = "keep") -> list[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TAGGARR_CACHE_URL")}
    done = subprocess.run(
        [sys.executable, "-c", _USE_THE_CACHE, tag, then],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "taggarr.settings",
            "TAGGARR_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.fixture
def tag() -> str:
    return f"t{uuid.uuid4().hex}"


@pytest.fixture
def clients() -> Iterator[dict[int, redis.Redis]]:
    """A client per database the test looks at (the tests delete their keys by name,
    and every key they write expires: never a FLUSHDB)."""
    url = os.environ["REDIS_URL"]

    class Opener(dict):  # type: ignore[type-arg]
        def __missing__(self, number: int) -> redis.Redis:
            self[number] = redis.Redis.from_url(_on_database(url, number))
            return self[number]

    opened = Opener()
    yield opened
    for client in opened.values():
        client.close()


def _database(url: str) -> int:
    return int(redis.Redis.from_url(url).connection_pool.connection_kwargs.get("db", 0))


def _keys(client: redis.Redis, tag: str, written: list[str]) -> set[str]:
    """The keys in ``client``'s database that Taggarr wrote for this test."""
    return {key for key in written if client.exists(key)} | {
        key.decode() for key in client.scan_iter(match=f"*{tag}*")
    }


@needs_redis
def test_the_cache_writes_in_the_brokers_database_under_its_prefix_and_leaves_others_keys(
    tmp_path: Path, tag: str, clients: dict[int, redis.Redis]
) -> None:
    broker_url = os.environ["REDIS_URL"]
    own = clients[_database(broker_url)]
    foreign = f"homelab:{tag}"
    own.set(foreign, "not Taggarr's", ex=600)
    try:
        written = _use_the_cache(tmp_path, {"REDIS_URL": broker_url}, tag)
        assert len(written) == 3
        assert all(key.startswith(PREFIX) for key in written)
        assert _keys(own, tag, written) == {*written, foreign}
        # What Taggarr deletes (a right password forgets the failures) is its own key only.
        forgotten = _use_the_cache(tmp_path, {"REDIS_URL": broker_url}, tag, then="forget")
        throttle, rate, plain = forgotten
        assert not own.exists(throttle) and not own.exists(plain)
        assert own.exists(rate)
        assert own.get(foreign) == b"not Taggarr's"
        own.delete(rate)
    finally:
        own.delete(foreign)


@needs_redis
def test_a_database_15_redis_url_starts_and_the_cache_works(
    tmp_path: Path, tag: str, clients: dict[int, redis.Redis]
) -> None:
    """Redis's last default database: the cache once wanted the one after it."""
    url = _on_database(os.environ["REDIS_URL"], 15)
    written = _use_the_cache(tmp_path, {"REDIS_URL": url}, tag)
    assert _keys(clients[15], tag, written) == set(written)
    assert all(key.startswith(PREFIX) for key in written)
    clients[15].delete(*written)


@needs_redis
def test_taggarr_cache_url_is_where_the_cache_writes(
    tmp_path: Path, tag: str, clients: dict[int, redis.Redis]
) -> None:
    broker_url = os.environ["REDIS_URL"]
    broker = _database(broker_url)
    other = (broker - 1) % 16  # not the + 1 the cache once took by itself
    env = {"REDIS_URL": broker_url, "TAGGARR_CACHE_URL": _on_database(broker_url, other)}
    written = _use_the_cache(tmp_path, env, tag)
    assert _keys(clients[other], tag, written) == set(written)
    assert _keys(clients[broker], tag, written) == set()
    clients[other].delete(*written)


_FLUSH = re.compile(r"\b(flushdb|flushall)\b|\bcaches?\b[\w\[\]'\".]*\.clear\(", re.IGNORECASE)


def test_no_product_code_empties_a_database() -> None:
    """Django's RedisCache.clear() is a FLUSHDB: on a shared Redis it deletes other
    services' keys and the broker's queues. Taggarr deletes its own keys by name."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}"
        for package in PRODUCT
        for path in sorted((root / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _FLUSH.search(line.split("#", 1)[0])
    ]
    assert found == []
