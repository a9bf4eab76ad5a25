"""The groups' and the users' permissions in the reader's language. Django stores each
permission's name in English when it makes it ("Can add profile": django/contrib/auth/
management/__init__.py, _get_builtin_permissions, not translated) and its pickers show
that name; here each default permission (add, change, delete, view: its codename) is
said from its model's translated names instead, one sentence per permission. A
permission of another kind keeps its own name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Field, ManyToManyField
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

ACTIONS = ("add", "change", "delete", "view")


def permission_text(permission: Permission) -> str:
    """ "Instances: add" in the reader's language, with its app's name before it."""
    model = permission.content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is None or action not in ACTIONS or model_name != model._meta.model_name:
        return str(permission)
    said = {
        "add": pgettext("a permission: what it allows", "add"),
        "change": pgettext("a permission: what it allows", "change"),
        "delete": pgettext("a permission: what it allows", "delete"),
        "view": pgettext("a permission: what it allows", "view"),
    }[action]
    return gettext("%(app)s | %(models)s: %(action)s") % {
        "app": capfirst(str(model._meta.app_config.verbose_name)),
        "models": capfirst(str(model._meta.verbose_name_plural)),
        "action": said,
    }


class PermissionsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A many-to-many picker whose permissions are said as above (a user's groups as
    they are)."""

    def label_from_instance(self, obj: Any) -> str:
        return permission_text(obj) if isinstance(obj, Permission) else str(obj)


SAID: Mapping[type[Field[Any, Any]], Mapping[str, Any]] = {
    ManyToManyField: {"form_class": PermissionsField}
}


class SaidGroupAdmin(GroupAdmin):
    formfield_overrides = SAID


class SaidUserAdmin(UserAdmin):  # type: ignore[type-arg]
    formfield_overrides = SAID


for model, model_admin in ((Group, SaidGroupAdmin), (User, SaidUserAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
