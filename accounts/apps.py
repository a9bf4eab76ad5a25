from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who may come in: the admin's rate-limited login, API tokens and their
    authentication. Knows nothing of the scanner."""

    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.language import remember_on_login

        user_logged_in.connect(remember_on_login, dispatch_uid="taggarr-language")
