"""Feed tokens: make one (its feed URL is shown once, then only its prefix), see when a
feed reader last read it, revoke it. And the namespace of the feed's ids, to see only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.language import creator_language
from scanner.models import FeedNamespace, FeedToken
from scanner.models.feeds import feed_path, new_token
from web.admin.base import PlainTitles, ReadOnlyAdmin


# ModelAdmin is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
@admin.register(FeedToken)
class FeedTokenAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    add_title = _("New feed token")
    list_display = ("prefix", "name", "scope", "made", "last_used_at", "state")
    list_filter = ("instance",)
    list_select_related = ("instance",)
    search_fields = ("name", "prefix")
    fields = ("name", "instance", "language")
    actions = ("revoke",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a token is made or revoked, never edited

    @admin.display(description=_("feed of"))
    def scope(self, token: FeedToken) -> str:
        return token.instance.name if token.instance else gettext("every instance")

    @admin.display(description=_("made"), ordering="created_at")
    def made(self, token: FeedToken) -> Any:
        return token.created_at

    @admin.display(description=_("state"), ordering="revoked_at")
    def state(self, token: FeedToken) -> str:
        if token.revoked_at:
            return gettext("revoked %(when)s") % {"when": f"{token.revoked_at:%Y-%m-%d %H:%M}"}
        return gettext("active")

    def save_model(self, request: HttpRequest, obj: FeedToken, form: Any, change: bool) -> None:
        plain = new_token()
        obj.set_token(plain)
        obj.created_by = request.user.get_username()[:150]
        obj.language = obj.language or creator_language(request.user)
        super().save_model(request, obj, form, change)
        request.taggarr_feed_url = request.build_absolute_uri(feed_path(plain))  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: FeedToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Feed token created"),
            "token": obj,
            "url": request.taggarr_feed_url,  # type: ignore[attr-defined]
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/scanner/feedtoken/created.html", context)

    @admin.action(description=_("Revoke (the feed stops answering)"), permissions=["delete"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoke()
        count = len(tokens)
        text = ngettext("%(count)d feed token revoked.", "%(count)d feed tokens revoked.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(FeedNamespace)
class FeedNamespaceAdmin(ReadOnlyAdmin):
    """Made by the first read of a feed; the feed readers' entries are known by the ids made
    from it, so it is never deleted here (a new one would show every entry again)."""

    list_display = ("namespace", "made")

    @admin.display(description=_("namespace of the feed entries' ids"), ordering="uuid")
    def namespace(self, row: FeedNamespace) -> str:
        return str(row.uuid)

    @admin.display(description=_("made"), ordering="created_at")
    def made(self, row: FeedNamespace) -> Any:
        return row.created_at

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
