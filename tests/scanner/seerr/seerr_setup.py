"""The Seerr tests' connection: a key as Seerr makes them, and a connection whose test
passed, its users linked to people, and Seerr's Webhook agent posting to Taggarr with the
settings Taggarr gives."""

from __future__ import annotations

import re

from fakes.seerr import FakeSeerr, Webhook
from scanner.models import Instance, Person, SeerrConnection, SeerrUser
from scanner.seerr.connection_test import test_connection as run_connection_test
from scanner.seerr.settings import authorization, json_payload, types_sum

SEERR_KEY = "MTcwMDAwMDAwMDAwMGFiY2RlZjAxMjM0NTY3ODk="  # Seerr's keys are base64
# Taggarr's marker, the last paragraph of each of its messages (scanner/seerr/marker.py).
MARK = re.compile(r"\n\n— Taggarr #([0-9]+)\.([0-9]+)\Z")


def unmarked(message: str) -> str:
    """A message of Taggarr's as a person reads it, its marker left out."""
    return MARK.sub("", message)


def marks(messages: list[str]) -> list[tuple[int, int]]:
    """Each marked message's (ask id, number)."""
    found = (MARK.search(message) for message in messages)
    return [(int(mark[1]), int(mark[2])) for mark in found if mark is not None]


def connect(
    seerr: FakeSeerr, live_url: str, name: str, links: dict[str, Person]
) -> SeerrConnection:
    """A connection to ``seerr`` whose test passed (its users listed), each user of
    ``links`` (by e-mail) linked to their person, serving every instance, and Seerr's
    agent posting to Taggarr."""
    connection = SeerrConnection(name=name, url=seerr.url)
    connection.set_api_key(SEERR_KEY)
    connection.save()
    connection.instances.set(Instance.objects.all())  # as a new one is, by the API or admin
    assert run_connection_test(connection).ok
    for email, person in links.items():
        SeerrUser.objects.filter(connection=connection, email=email).update(person=person)
    seerr.state.webhook = Webhook(
        url=f"{live_url}/api/webhooks/seerr/",
        auth_header=authorization(connection.get_webhook_token()),
        json_payload=json_payload(),
        types=types_sum(),
    )
    connection.refresh_from_db()
    return connection
