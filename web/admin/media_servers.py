"""Media servers (Jellyfin, Emby, Plex): the token write-only (only a hint is ever shown),
the instances that feed it, path mappings, and "Test connection" (action and button)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from scanner import validators
from scanner.actions.check_media_server import server_report
from scanner.connect.sentences import said
from scanner.models import MediaServer
from web.admin.base import PlainTitles
from web.admin.fields import LinesField, PathMappingsField
from web.admin.secrets import SecretField, SecretsModelForm
from web.labelled import label_value_html


class MediaServerForm(SecretsModelForm):
    token = SecretField(
        label=_("API key"),
        needed=_("A media server needs an API key."),
        help_text=_(
            "Jellyfin: Dashboard → API Keys → +; Plex: the X-Plex-Token. Write-only; "
            "stored encrypted."
        ),
    )
    path_mappings = PathMappingsField(
        required=False,
        help_text=_(
            "The server's folders as Taggarr sees them, one per line: "
            "/media/tv => /mnt/media/tv (server => Taggarr). Used when no provider id matches."
        ),
    )
    libraries = LinesField(
        required=False, help_text=_("Library names to write in, one per line; empty: every one.")
    )

    class Meta:
        model = MediaServer
        fields = (
            "name",
            "kind",
            "url",
            "token",
            "enabled",
            "instances",
            "path_mappings",
            "libraries",
            "write_tags",
            "refresh_after_nfo",
            "set_person_tracks",
            "write_badges",
        )
        widgets = {"instances": forms.CheckboxSelectMultiple}

    def clean_token(self) -> str:
        return validators.clean_server_token(self.cleaned_data.get("token") or "")


# ModelAdmin is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
@admin.register(MediaServer)
class MediaServerAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    add_title = _("New media server")
    form = MediaServerForm
    change_form_template = "admin/scanner/mediaserver/change_form.html"
    list_display = ("name", "kind", "url", "enabled", "saved_token", "fed_by")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "url")
    readonly_fields = ("saved_token", "created_at", "updated_at")
    actions = ("test_connection",)

    @method_decorator(sensitive_post_parameters("token"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MediaServer]:
        return super().get_queryset(request).prefetch_related("instances")

    @admin.display(description=_("saved token"))
    def saved_token(self, server: MediaServer) -> str:
        """What is shown of the saved token ("****" and its last 4), never the token."""
        return server.token_hint or "-"

    @admin.display(description=_("instances"))
    def fed_by(self, server: MediaServer) -> str:
        return ", ".join(i.name for i in server.instances.all()) or pgettext("no instance", "none")

    # Testing sends the saved token: change permission, as its own settings need.
    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request: HttpRequest, queryset: QuerySet[MediaServer]) -> None:
        for server in queryset:
            self._test(request, server)

    def _test(self, request: HttpRequest, server: MediaServer) -> None:
        """The report's facts one per line: what the server is, its libraries, the
        matches per instance (each line escaped, in the reader's language)."""
        report = server_report(server)
        head = gettext("Connection OK.") if report.ok else gettext("Connection problem.")
        lines = format_html_join("", "<li>{}</li>", ((said(line),) for line in report.lines))
        listed = label_value_html(server.name, format_html("<ul>{}</ul>", lines))
        message = format_html("{} {}", head, listed)
        level = messages.SUCCESS if report.ok and not report.warnings else messages.WARNING
        self.message_user(request, message, level)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(require_POST(self.test_view))
        return [
            path("<int:object_id>/test-connection/", view, name="scanner_mediaserver_test"),
            *super().get_urls(),
        ]

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        server = self.get_object(request, str(object_id))
        if server is None:
            raise Http404("no such media server")
        if not self.has_change_permission(request, server):
            raise PermissionDenied
        self._test(request, server)
        return HttpResponseRedirect(reverse("admin:scanner_mediaserver_change", args=[server.pk]))
