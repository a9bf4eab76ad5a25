"""scanner.models.secrets: one mechanism for every secret a model keeps."""

from __future__ import annotations

import hashlib

import pytest

from scanner.models import Instance, MediaServer, Notifier
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db

KEY = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("model", "name", "plaintext", "hint"),
    [
        (Instance, "api_key", KEY, "****cdef"),
        (MediaServer, "token", KEY, "****cdef"),
        (Notifier, "url", "ntfy://a-topic-of-its-own", "ntfy://****-own"),
    ],
    ids=["instance-api-key", "media-server-token", "notifier-url"],
)
def test_each_secret_is_kept_encrypted_and_shown_only_as_a_hint(
    model: type, name: str, plaintext: str, hint: str
) -> None:
    obj = model(name="x")
    assert getattr(obj, f"get_{name}")() == "" and getattr(obj, f"{name}_hint") == ""
    getattr(obj, f"set_{name}")(plaintext)
    assert plaintext not in getattr(obj, f"{name}_encrypted")
    assert getattr(obj, f"get_{name}")() == plaintext
    assert getattr(obj, f"{name}_hint") == hint
    getattr(obj, f"set_{name}")("")  # an empty value clears it
    assert getattr(obj, f"{name}_encrypted") == "" and getattr(obj, f"{name}_hint") == ""


def test_a_short_secret_shows_no_last_four() -> None:
    server = MediaServer(name="x")
    server.set_token("short-1")
    assert server.token_hint == "****"


def test_the_model_object_has_no_plaintext_attribute() -> None:
    instance = InstanceFactory(api_key=KEY)
    with pytest.raises(AttributeError, match="write-only"):
        instance.api_key  # noqa: B018
    with pytest.raises(AttributeError, match="set_api_key"):
        instance.api_key = "plain"
    with pytest.raises(TypeError):
        Instance(name="y", api_key=KEY)
    assert KEY not in repr(Instance.api_key)


def test_the_webhook_token_finds_its_instance_by_hash() -> None:
    instance = InstanceFactory()
    token = instance.get_webhook_token()
    assert Instance.objects.get(Instance.webhook_token.matching(token)) == instance
    rotated = instance.rotate_webhook_token()
    instance.save()
    assert not Instance.objects.filter(Instance.webhook_token.matching(token)).exists()
    assert Instance.objects.get(Instance.webhook_token.matching(rotated)) == instance


def test_the_webhook_token_hash_is_sha256_of_taggarr_and_the_token() -> None:
    # What every release has stored: the rows made before keep finding their instance.
    instance = InstanceFactory()
    token = instance.get_webhook_token()
    stored = Instance.objects.values_list("webhook_token_hash", flat=True).get(pk=instance.pk)
    assert stored == hashlib.sha256(f"taggarr:{token}".encode()).hexdigest()
    assert not Instance.objects.filter(Instance.webhook_token.matching(token[:-1])).exists()
