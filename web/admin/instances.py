"""Instances: settings, the write-only API key, the webhook URL, and the actions
"Scan now", "Dry run" and "Test connection" (list actions and buttons)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from scanner.actions.arr_choices import arr_choices
from scanner.actions.check_instance import test_and_record
from scanner.actions.form_test import record_if_passed, remember_passed
from scanner.actions.instance_edits import (
    decided_again_since_last_scan,
    new_webhook_token,
    save_instance,
)
from scanner.actions.scans import start_scan
from scanner.actions.write_now import decide_again
from scanner.connect.sentences import said
from scanner.models import Event, Instance, RunRequest, ScanRun
from scanner.models.instance_option_list import admin_fieldsets, arr_only_fields, read_only_shown
from scanner.models.secrets import token_hint
from scanner.reports.stats import last_connection_tests
from web.admin.base import PlainTitles
from web.admin.fields import CommaListField
from web.admin.instance_form import InstanceForm
from web.admin.instance_list import InstanceListColumns
from web.admin.instance_steps import (
    fold_rarely_changed,
    next_step,
    setup_steps,
    suggests_per_language,
)
from web.admin.review import start_and_report
from web.labelled import label_value_html

DECIDES_AGAIN = _(
    "The targets or tag settings changed: every item's tag will be decided again from the "
    "tracks already read. Start a Dry run to review the new tags; nothing is written until "
    "you apply them."
)


# ModelAdmin is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
@admin.register(Instance)
class InstanceAdmin(InstanceListColumns, PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    add_title = _("New instance")
    form = InstanceForm
    change_form_template = "admin/scanner/instance/change_form.html"
    list_display = (
        "name",
        "kind",
        "state",
        "last_scan",
        "health",
        "items",
        "dubbed",
        "schedule",
    )
    list_filter = ("kind", "enabled", "dry_run")
    search_fields = ("name", "url")
    readonly_fields = read_only_shown()
    actions = ("scan_now", "dry_run_now", "test_connection")
    # The sections and their options (instance_option_list), each as a plain dict where
    # django-stubs wants its _FieldOpts TypedDict.
    fieldsets = admin_fieldsets()  # type: ignore[assignment]

    class Media:
        # The scripts' catalog first: instance-form.js calls its gettext.
        js = (
            reverse_lazy("taggarr-js-catalog"),
            "taggarr/copy.js",
            "taggarr/instance-form.js",
            "taggarr/live.js",
        )

    def get_fieldsets(self, request: HttpRequest, obj: Instance | None = None) -> Any:
        """A saved Sonarr or Radarr holds what its kind says: no "library holds" choice.
        A library folder (saved, or posted as one) has none of what only an *arr has:
        no URL, no API key, no quality profiles, no searches (instance-form.js hides
        them while the add form's kind is chosen)."""
        fieldsets = fold_rarely_changed(
            super().get_fieldsets(request, obj),
            suggest_per_language=self._suggests_per_language(request, obj),
        )
        if _kind(request, obj) == Instance.Kind.LIBRARY:
            return without_arr_only(fieldsets)
        if obj is None or not obj.is_arr:
            return fieldsets
        first, *rest = fieldsets
        fields = tuple(name for name in first[1]["fields"] if name != "library_content")
        return ((first[0], {**first[1], "fields": fields}), *rest)

    @staticmethod
    def _suggests_per_language(request: HttpRequest, obj: Instance | None) -> bool:
        """As the form stands: what was posted, else what is saved."""
        if request.method == "POST":
            typed = CommaListField().to_python(request.POST.get("target_languages", ""))
            return suggests_per_language(typed, "language_tags" in request.POST)
        if obj is None:
            return False
        return suggests_per_language(list(obj.target_languages), obj.language_tags)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        instance = self.get_object(request, object_id)
        context = {**(extra_context or {}), **_form_context(request, instance)}
        if instance is not None and instance.is_arr:
            # Never the URL itself: it holds the token, shown once when made (webhook_url_view).
            if Instance.webhook_token.readable(instance):
                context["webhook_hint"] = request.build_absolute_uri(
                    reverse("webhook", args=[token_hint(instance.get_webhook_token())])
                )
            else:
                context["webhook_key_changed"] = True
        if instance is not None:
            connection = last_connection_tests([instance.pk]).get(instance.pk)
            changed = decided_again_since_last_scan(instance)
            context.update(
                connection=connection,
                decided_again=changed,
                setup_steps=setup_steps(instance, connection, kind=_kind(request, instance)),
                **next_step(instance, connection, decided_again=changed),
            )
        return super().change_view(request, object_id, form_url, context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The steps of the kind posted (a Sonarr's until one is chosen), and the other
        kind's, hidden, for instance-form.js to show when the kind changes."""
        library = _kind(request, None) == Instance.Kind.LIBRARY
        arr, folder = setup_steps(None, None), setup_steps(None, None, kind=Instance.Kind.LIBRARY)
        context = {
            **(extra_context or {}),
            **_form_context(request, None),
            "setup_steps": folder if library else arr,
            "other_setup_steps": arr if library else folder,
            "other_steps_kind": "arr" if library else "library",
        }
        return super().add_view(request, form_url, context)

    def response_add(
        self, request: HttpRequest, obj: Instance, post_url_continue: str | None = None
    ) -> HttpResponse:
        """Saved: on to the next step (test, then the first dry run) on its page."""
        if {"_addanother", "_continue", "_popup"} & set(request.POST):
            return super().response_add(request, obj, post_url_continue)
        if getattr(request, "taggarr_tested_in_form", False):
            said = gettext(
                "Instance %(name)s saved; its connection test passed in the form. Next: a dry run."
            )
        else:
            said = gettext("Instance %(name)s saved. Next: test the connection, then a dry run.")
        self.message_user(request, said % {"name": obj.name})
        return HttpResponseRedirect(reverse("admin:scanner_instance_change", args=[obj.pk]))

    # --- saving: never contacts the *arr; the history names fields, never values -----

    @method_decorator(sensitive_post_parameters("api_key"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Instance, form: Any, change: bool) -> None:
        user = request.user.get_username()
        edit = save_instance(obj, user=user, via=Event.Via.ADMIN)
        if record_if_passed(request.session, obj, user=user, via=Event.Via.ADMIN):
            request.taggarr_tested_in_form = True  # type: ignore[attr-defined]
        if edit.decides_again:
            request.taggarr_decides_again = True  # type: ignore[attr-defined]
            self.message_user(request, DECIDES_AGAIN, messages.WARNING)

    def response_change(self, request: HttpRequest, obj: Instance) -> HttpResponse:
        """Changed targets or tag settings: back to the instance, where Dry run is the
        next step, not to the list."""
        if getattr(request, "taggarr_decides_again", False) and "_continue" not in request.POST:
            return HttpResponseRedirect(reverse("admin:scanner_instance_change", args=[obj.pk]))
        return super().response_change(request, obj)

    # --- actions ------------------------------------------------------------------

    @admin.action(description=_("Scan now"), permissions=["change"])
    def scan_now(self, request: HttpRequest, queryset: QuerySet[Instance]) -> None:
        for instance in queryset:
            self._start(request, instance, dry_run=None)

    @admin.action(description=_("Dry run (plan tags, write nothing)"), permissions=["change"])
    def dry_run_now(self, request: HttpRequest, queryset: QuerySet[Instance]) -> None:
        for instance in queryset:
            self._start(request, instance, dry_run=True)

    # Testing sends the saved key: change permission, as the key's own settings need.
    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Instance]) -> None:
        for instance in queryset:
            self._test(request, instance)

    def _start(self, request: HttpRequest, instance: Instance, *, dry_run: bool | None) -> None:
        start = partial(start_scan, instance, RunRequest(ScanRun.Trigger.MANUAL, dry_run=dry_run))
        start_and_report(self, request, instance, start)

    def _test(self, request: HttpRequest, instance: Instance) -> bool:
        """The report's facts one per line, each a sentence in the reader's language
        (scanner.connect.sentences; each line escaped)."""
        report = test_and_record(instance, user=request.user.get_username(), via=Event.Via.ADMIN)
        head = gettext("Connection OK.") if report.ok else gettext("Connection problem.")
        lines = format_html_join("", "{}", (_line(line, report.warnings) for line in report.lines))
        listed = label_value_html(instance.name, format_html("<ul>{}</ul>", lines))
        message = format_html("{} {}", head, listed)
        level = messages.SUCCESS if report.ok and not report.warnings else messages.WARNING
        self.message_user(request, message, level)
        return report.ok

    # --- the same actions as buttons on the change page ---------------------------

    def get_urls(self) -> list[URLPattern]:
        def view(handler: Callable[..., HttpResponse], name: str, route: str) -> URLPattern:
            wrapped = self.admin_site.admin_view(require_POST(handler))
            return path(f"<int:object_id>/{route}/", wrapped, name=f"scanner_instance_{name}")

        choices = self.admin_site.admin_view(require_POST(self.arr_choices_view))
        return [
            path("arr-choices/", choices, name="scanner_instance_arr_choices"),
            view(self.scan_view, "scan", "scan"),
            view(self.dry_run_view, "dry_run", "dry-run"),
            view(self.decide_view, "decide", "decide-again"),
            view(self.read_again_view, "read_again", "read-again"),
            view(self.test_view, "test", "test-connection"),
            view(self.webhook_url_view, "webhook_url", "webhook-url"),
            *super().get_urls(),
        ]

    def _button_target(self, request: HttpRequest, object_id: int, permission: str) -> Instance:
        instance = get_object_or_404(Instance, pk=object_id)
        allowed = getattr(self, f"has_{permission}_permission")(request, instance)
        if not allowed:
            raise PermissionDenied
        return instance

    def webhook_url_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """A new webhook token, its URL shown on this page only (README, "Security"): who
        may change the instance makes it; the URL the *arr had stops working."""
        instance = self._button_target(request, object_id, "change")
        if not instance.is_arr:
            raise Http404("a library folder has no webhook")
        token = new_webhook_token(instance, user=request.user.get_username(), via=Event.Via.ADMIN)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("New webhook URL"),
            "original": instance,
            "url": request.build_absolute_uri(reverse("webhook", args=[token])),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/scanner/instance/webhook_url.html", context)

    def scan_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return self._button_scan(request, object_id, dry_run=None)

    def dry_run_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return self._button_scan(request, object_id, dry_run=True)

    def decide_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Every item decided again from its stored tracks (no file read), then written
        as the instance writes (planned on a dry-run instance)."""
        instance = self._button_target(request, object_id, "change")
        start = partial(decide_again, instance, None, trigger=ScanRun.Trigger.MANUAL)
        return self._button_started(request, instance, start)

    def read_again_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Every file of the library read again, then decided and written as the instance
        writes (the media list's bulk "Rescan" for every item)."""
        instance = self._button_target(request, object_id, "change")
        run = RunRequest(ScanRun.Trigger.MANUAL, mode=ScanRun.Mode.REWRITE)
        return self._button_started(request, instance, partial(start_scan, instance, run))

    def _button_scan(
        self, request: HttpRequest, object_id: int, *, dry_run: bool | None
    ) -> HttpResponse:
        instance = self._button_target(request, object_id, "change")
        start = partial(start_scan, instance, RunRequest(ScanRun.Trigger.MANUAL, dry_run=dry_run))
        return self._button_started(request, instance, start)

    def _button_started(
        self, request: HttpRequest, instance: Instance, start: Callable[[], ScanRun]
    ) -> HttpResponse:
        object_id = instance.pk
        start_and_report(self, request, instance, start)
        run = ScanRun.objects.filter(instance=instance).order_by("-created_at", "-id").first()
        if run is not None and run.is_active:
            return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[run.pk]))
        return HttpResponseRedirect(reverse("admin:scanner_instance_change", args=[object_id]))

    @method_decorator(sensitive_post_parameters("api_key"))
    def arr_choices_view(self, request: HttpRequest) -> JsonResponse:
        """The form's "Fetch from the *arr": root folders, languages and tags to pick from."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        saved = None
        object_id = request.POST.get("object_id", "")
        if object_id.isdigit() and len(object_id) < 19:  # a bigint's digits at most
            saved = Instance.objects.filter(pk=int(object_id)).first()
        kind = request.POST.get("kind", "")
        url = request.POST.get("url", "").strip()
        api_key = request.POST.get("api_key", "").strip()
        answer = arr_choices(
            kind,
            url,
            api_key,
            saved,
            # Its saved key only for who may change it (and only to its own address).
            may_change=saved is not None and self.has_change_permission(request, saved),
            user=request.user.get_username(),
        )
        if "error" not in answer:
            # Passed: saving exactly these values counts as tested (form_test). With no
            # key typed, the saved one answered (arr_choices asks with nothing else).
            used = api_key or (saved.get_api_key() if saved is not None else "")
            remember_passed(request.session, kind, url, used)
        # What the *arr answered, or why it could not be asked, is this page's answer: a
        # 200 either way (a wrong key or an unreachable *arr is the user's input, never a
        # server error of Taggarr's); the script reads "error".
        return JsonResponse(answer)

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        instance = self._button_target(request, object_id, "change")
        self._test(request, instance)
        return HttpResponseRedirect(reverse("admin:scanner_instance_change", args=[object_id]))


def _kind(request: HttpRequest, obj: Instance | None) -> str:
    """The kind the form stands for: the one posted, else the saved one ("" on a new
    form not yet posted)."""
    posted = request.POST.get("kind", "") if request.method == "POST" else ""
    if posted in Instance.Kind.values:
        return str(posted)
    return str(obj.kind) if obj is not None else ""


def _form_context(request: HttpRequest, obj: Instance | None) -> dict[str, str]:
    """What instance-form.js reads: the kind the steps shown are for, and the fields
    it hides while the kind is a library folder."""
    library = _kind(request, obj) == Instance.Kind.LIBRARY
    return {
        "steps_kind": "library" if library else "arr",
        "arr_only_fields": " ".join(sorted(arr_only_fields())),
    }


def without_arr_only(fieldsets: Any) -> tuple[Any, ...]:
    """The fieldsets without what only an *arr has (instance_option_list's ``arr_only``),
    a section left with nothing dropped."""
    hidden = arr_only_fields()
    kept = []
    for name, options in fieldsets:
        rows = []
        for row in options["fields"]:
            line = row if isinstance(row, tuple) else (row,)
            left = tuple(field for field in line if field not in hidden)
            if left:
                rows.append(left if len(left) > 1 else left[0])
        if rows:
            kept.append((name, {**options, "fields": tuple(rows)}))
    return tuple(kept)


WARNING_ITEM = '<li class="taggarr-warn"><span aria-hidden="true">⚠ </span>{}</li>'


def _line(line: Any, warnings: tuple[str, ...]) -> tuple[str]:
    """A line of a connection test as a list item; a warning (the profile guard's) with
    the warning class and mark, never as a success."""
    text = said(line)
    if line in warnings:
        return (format_html(WARNING_ITEM, text),)
    return (format_html("<li>{}</li>", text),)
