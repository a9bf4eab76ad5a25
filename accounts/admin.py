"""API tokens in the admin: list, revoke (delete), and create one whose key is shown once.
And the users' profiles (their language)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.language import remember
from accounts.models import ApiToken, Profile, new_key


def _only_self(users: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
    """The signed-in user alone (none for an anonymous one, whom the admin never serves:
    as ``filter(pk=None)`` would answer, typed)."""
    if isinstance(request.user, AnonymousUser):
        return users.none()
    return users.filter(pk=request.user.pk)


# ModelAdmin is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("prefix", "name", "user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("user", "name")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a token is created or revoked, never edited

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "user":
            users = get_user_model().objects.filter(is_staff=True, is_active=True)
            if not request.user.is_superuser:
                # Otherwise a staff user could mint a key that acts as a superuser.
                users = _only_self(users, request)
            kwargs["queryset"] = users
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        key = new_key()
        obj.set_key(key)
        super().save_model(request, obj, form, change)
        request.taggarr_new_key = key  # type: ignore[attr-defined]  # for response_add only

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("API token created"),
            "token": obj,
            "key": request.taggarr_new_key,  # type: ignore[attr-defined]
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/accounts/apitoken/created.html", context)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # as ApiTokenAdmin
    list_display = ("user", "language")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "language")

    def save_model(self, request: HttpRequest, obj: Profile, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.user_id == request.user.pk:
            remember(request, obj.language)  # one's own choice applies at once

    def get_queryset(self, request: HttpRequest) -> Any:
        profiles = super().get_queryset(request)
        # A staff user sees and sets only their own; a superuser everyone's.
        return profiles if request.user.is_superuser else profiles.filter(user=request.user)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "user":
            users = get_user_model().objects.filter(is_active=True)
            if not request.user.is_superuser:
                users = _only_self(users, request)
            kwargs["queryset"] = users
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
