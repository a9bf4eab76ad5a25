"""The API asks for the model permissions the admin asks for, so that a staff user can
do by token exactly what the admin lets him do.

Writes need ``add``/``change``/``delete`` of the model (DRF's DjangoModelPermissions);
reads need ``view``, which, as in the admin, ``change`` implies. An action that is not
a plain write of its own model names what it needs in ``action_permissions``: starting
a scan is operating the scanner, like the admin's "Scan now" (``change_instance``);
testing a connection sends the saved key, and needs ``change`` too.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request

_VIEW = "%(app_label)s.view_%(model_name)s"


class AdminModelPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [_VIEW],
        "HEAD": [_VIEW],
        "OPTIONS": [_VIEW],
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:  # AnonymousUser (UNAUTHENTICATED_USER's default)
            return False
        if getattr(view, "_ignore_model_permissions", False):  # the router's index
            return True
        needed = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if needed is None:
            model = self._queryset(view).model
            needed = self.get_required_permissions(request.method or "", model)
        return all(may(request.user, permission) for permission in needed)


def may(user: Any, permission: str) -> bool:
    """``user.has_perm``, where ``view`` is also granted by ``change`` (as in the admin)."""
    if user.has_perm(permission):
        return True
    app_label, _, codename = permission.partition(".")
    model = codename.removeprefix("view_")
    return model != codename and user.has_perm(f"{app_label}.change_{model}")
