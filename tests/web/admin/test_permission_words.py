"""The groups' and users' permission pickers in the reader's language: Django stores each
permission's name in English ("Can add instance": django/contrib/auth/management,
_get_builtin_permissions) and its pickers showed it; web/admin/permissions.py says each
from its model's translated names."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from scanner.models import Instance
from web.admin.permissions import permission_text

pytestmark = pytest.mark.django_db


def _options(html: str, field: str) -> list[str]:
    start = html.index(f'name="{field}"')
    select = html[start : html.index("</select>", start)]
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("/admin/auth/group/add/", "permissions"),
        ("/admin/auth/user/{pk}/change/", "user_permissions"),
    ],
)
def test_the_permission_pickers_speak_french(
    admin_client: Client, admin_user: User, page: str, field: str
) -> None:
    html = admin_client.get(
        page.format(pk=admin_user.pk), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    options = _options(html, field)
    assert len(options) == Permission.objects.count()
    assert not [option for option in options if "Can " in option]
    with translation.override("fr"):
        plural = capfirst(str(Instance._meta.verbose_name_plural))
    assert f"Taggarr | {plural}\u00a0: ajouter" in options


def test_a_permission_of_its_own_keeps_its_name() -> None:
    """Not one of the four default actions of its model: said as Django says it."""
    own = Permission.objects.create(
        codename="export_instance",
        name="Can export an instance",
        content_type=Permission.objects.get(codename="add_instance").content_type,
    )
    assert permission_text(own) == str(own)
    with translation.override("de"):
        added = permission_text(Permission.objects.get(codename="add_instance"))
    assert added.endswith(": hinzufügen") and "Can add" not in added
