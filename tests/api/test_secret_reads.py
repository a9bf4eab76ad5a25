"""No read shows a secret, to anyone; a token Taggarr makes is shown once, when made, to
who may change what it belongs to (README, "Security: what a staff permission allows").

The models are found, not listed: every model with a Secret (scanner.models.secrets, the
one way a secret is kept) and every model keeping a token as its digest (a unique digest
column nobody edits, hashed_tokens). A model added later with a secret is a new case
here, and fails until it has a row to make below (and then if any page shows it).

Issue 79, finding 4: with only ``view_seerrconnection`` the Seerr connection's API
answer and admin page held its webhook token ("Bearer …"), and the instances' held their
webhook URL, token included; with them anyone could send Taggarr Seerr's and the *arrs'
webhooks.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import hashed_tokens
from accounts.models import ApiToken
from api.urls import router
from scanner.models import (
    FeedToken,
    Instance,
    MediaServer,
    Notifier,
    Person,
    PersonAccount,
    SeerrConnection,
)
from scanner.models.secrets import URL_HINT, Secret
from tests.factories import InstanceFactory, NotifierFactory
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

APPS = ("scanner", "accounts")
LEVELS = ("view", "change", "superuser")


def _secrets(model: type[models.Model]) -> list[Secret]:
    return [value for value in vars(model).values() if isinstance(value, Secret)]


def _digests(model: type[models.Model]) -> list[str]:
    """A token kept as its digest: a unique digest column nobody edits."""
    return [
        field.name
        for field in model._meta.fields
        if isinstance(field, models.CharField)
        and field.max_length == hashed_tokens.DIGEST_LENGTH
        and field.unique
        and not field.editable
    ]


def secret_models() -> list[type[models.Model]]:
    found = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if _secrets(model) or _digests(model)
    ]
    return sorted(found, key=lambda model: model._meta.label)


# --- a row of each, as it is in use -------------------------------------------------


def _instance(user: User) -> Instance:
    return InstanceFactory()


def _seerr(user: User) -> SeerrConnection:
    # Tested: its page and its API answer show the webhook's settings.
    return SeerrConnection(name="seerr", url="http://seerr:5055", tested_at=timezone.now())


def _server(user: User) -> MediaServer:
    return MediaServer(name="plex", kind="plex", url="http://plex:32400")


def _account(user: User) -> PersonAccount:
    server = MediaServer(name="plex", kind="plex", url="http://plex:32400")
    server.set_token("plex-token-0123456789abcdef")
    server.save()
    person = Person.objects.create(name="Léa", languages=["fra"])
    return PersonAccount(
        person=person, media_server=server, account_id="22", account_name="Léa",
        account_kind=PersonAccount.Kind.PLEX_HOME,
    )  # fmt: skip


def _notifier(user: User) -> Notifier:
    return NotifierFactory()


def _feed_token(user: User) -> tuple[FeedToken, str]:
    return FeedToken.issue("Home Assistant", user=user.get_username())


def _api_token(user: User) -> tuple[ApiToken, str]:
    return ApiToken.issue(user, "backup")  # the reader's own: the admin lists only those


# A model with Secrets: an unsaved row (its secrets are set here); a model with a digest
# only: a saved row and its token, as the model issues it.
ROWS: dict[str, Callable[[User], Any]] = {
    "scanner.Instance": _instance,
    "scanner.SeerrConnection": _seerr,
    "scanner.MediaServer": _server,
    "scanner.PersonAccount": _account,
    "scanner.Notifier": _notifier,
    "scanner.FeedToken": _feed_token,
    "accounts.ApiToken": _api_token,
}


@dataclass(frozen=True)
class Row:
    obj: models.Model
    hidden: tuple[str, ...]  # what no answer may hold: each secret, and what is stored of it


def make_row(model: type[models.Model], user: User) -> Row:
    label = model._meta.label
    if label not in ROWS:
        pytest.fail(f"{label} keeps a secret: add a row of it to ROWS in {__name__}")
    made = ROWS[label](user)
    if isinstance(made, tuple):  # a token the model issued (only its digest is kept)
        obj, plain = made
        hidden = [plain]
    else:
        obj, hidden = made, []
        for secret in _secrets(model):
            mark = uuid.uuid4().hex  # unique: no hint (a scheme, the last 4) holds it
            plain = f"json://{mark}/tail" if secret.hint_style is URL_HINT else f"{mark}wxyz"
            secret.set(obj, plain)
            hidden.append(mark)
        obj.save()
        hidden += [getattr(obj, secret.column) for secret in _secrets(model)]
    hidden += [getattr(obj, name) for name in _digests(model)]
    return Row(obj, tuple(value for value in hidden if value))


# --- who reads, and what they read ----------------------------------------------------


def reader(level: str, model: type[models.Model]) -> User:
    """view: every view permission of Taggarr's models; change: those and change on the
    model; superuser: everything."""
    user = User.objects.create_user(
        f"{level}-{uuid.uuid4().hex[:6]}",
        password=PASSWORD,
        is_staff=True,
        is_superuser=level == "superuser",
    )
    if level != "superuser":
        perms = Permission.objects.filter(
            content_type__app_label__in=APPS, codename__startswith="view_"
        )
        user.user_permissions.set(perms)
    if level == "change":
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=model._meta.app_label,
                codename=f"change_{model._meta.model_name}",
            )
        )
    return user


def api_pages(row: Row) -> Iterator[tuple[str, bool]]:
    """Every list of the API, and the row's own answer (which must be read)."""
    for _prefix, viewset, basename in router.registry:
        yield reverse(f"{basename}-list"), False
        queryset = getattr(viewset, "queryset", None)  # None: a list of its own (/api/changes/)
        if queryset is not None and queryset.model is type(row.obj):
            yield reverse(f"{basename}-detail", args=[row.obj.pk]), True


def admin_pages(row: Row) -> Iterator[tuple[str, bool]]:
    """The row's change page and list, and the page of what it is an inline of."""
    model = type(row.obj)
    opts = model._meta
    if admin.site.is_registered(model):
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), True
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.obj.pk]), True
    for parent, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            if inline.model is model:
                link = next(f for f in opts.fields if getattr(f, "related_model", None) is parent)
                parent_pk = getattr(row.obj, link.attname)
                name = f"admin:{parent._meta.app_label}_{parent._meta.model_name}_change"
                yield reverse(name, args=[parent_pk]), True


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("model", secret_models(), ids=lambda model: model._meta.label)
def test_no_read_shows_a_secret(model: type[models.Model], level: str) -> None:
    user = reader(level, model)
    row = make_row(model, user)
    client = Client()
    client.force_login(user)
    read = 0
    for url, must_read in [*api_pages(row), *admin_pages(row)]:
        response = client.get(url)
        if must_read:
            assert response.status_code == 200, url
        if response.status_code != 200:
            continue
        read += 1
        body = response.content.decode()
        for secret in row.hidden:
            assert secret not in body, f"{url} shows a secret of {model._meta.label} to {level}"
    assert read > 0


def test_the_models_found_are_those_known_today() -> None:
    """The discovery finds what it must (else the test above would pass on nothing)."""
    found = {model._meta.label for model in secret_models()}
    assert found >= {"scanner.Instance", "scanner.SeerrConnection", "accounts.ApiToken"}
    assert found == set(ROWS)


# --- a token Taggarr makes: shown once, when made, to who may change its owner ----------

SHOWN_ONCE = re.compile(r'id="shown-once"[^>]*value="([^"]+)"')


def _made_tokens() -> list[tuple[type[models.Model], Secret]]:
    """Secrets found by a digest: tokens Taggarr makes for others to send it back."""
    return [
        (model, secret)
        for model in secret_models()
        for secret in _secrets(model)
        if secret.lookup_column
    ]


# Where a new token is made and shown: the API's answer (its field) and the admin's page.
MAKE: dict[str, tuple[str, Callable[[Any], str], str]] = {
    "scanner.Instance": (
        "instance-webhook-url",
        lambda answer: answer["webhook_url"].rstrip("/").rsplit("/", 1)[1],
        "admin:scanner_instance_webhook_url",
    ),
    "scanner.SeerrConnection": (
        "seerr-connection-webhook-token",
        lambda answer: answer["authorization"].removeprefix("Bearer "),
        "admin:scanner_seerrconnection_webhook_token",
    ),
}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("where", ["api", "admin"])
@pytest.mark.parametrize(
    ("model", "secret"),
    _made_tokens(),
    ids=lambda value: value._meta.label if isinstance(value, type) else value.name,
)
def test_a_made_token_is_shown_once_to_who_may_change_it(
    model: type[models.Model], secret: Secret, where: str, level: str
) -> None:
    label = model._meta.label
    if label not in MAKE:
        pytest.fail(f"{label}.{secret.name} is a token Taggarr makes: add where to MAKE")
    user = reader(level, model)
    row = make_row(model, user)
    old = secret.get(row.obj)
    api_name, from_answer, admin_name = MAKE[label]
    client = Client()
    client.force_login(user)
    if where == "api":
        response = client.post(reverse(f"{api_name}", args=[row.obj.pk]))
    else:
        response = client.post(reverse(admin_name, args=[row.obj.pk]))
    if level == "view":  # may read, may not change: nothing made, nothing shown
        assert response.status_code == 403
        row.obj.refresh_from_db()
        assert secret.get(row.obj) == old
        return
    assert response.status_code == 200
    if where == "api":
        token = from_answer(response.json())
    else:
        token = from_answer({"webhook_url": "", "authorization": ""} | _shown(response))
    row.obj.refresh_from_db()
    assert token != old
    assert model._default_manager.filter(secret.matching(token)).get() == row.obj
    # Once: its pages, read again by the one who made it, no longer hold it.
    for url, _must_read in [*api_pages(row), *admin_pages(row)]:
        assert token not in client.get(url).content.decode(), url


def _shown(response: Any) -> dict[str, str]:
    found = SHOWN_ONCE.search(response.content.decode())
    assert found is not None, "the page shows no token"
    value = found.group(1)
    return {"webhook_url": value, "authorization": value}
