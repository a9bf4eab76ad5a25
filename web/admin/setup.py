"""The guided setup, /admin/setup/ (issue 94 item 1): a first evening in four short steps,
each saved when submitted, so that a person may leave and come back to the next one
(web.admin.setup_steps reads where they stand from the database): the household's
languages, picked; the *arr (its address found on request, its key typed, tested at
once); what Taggarr should do (the acts, planned only); the first scan, dry. Whoever
knows skips it: "Add instance" stays."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from scanner import validators
from scanner.actions.arr_choices import arr_choices
from scanner.actions.find_arr import PORTS, found_addresses
from scanner.actions.scans import ScanAlreadyActive, apply_planned, start_scan
from scanner.changes import planning, run_plans
from scanner.errors import ConfigError
from scanner.models import Instance, Media, RunRequest, ScanRun
from scanner.models.choices import Via
from scanner.wish_profiles import first_mapping
from web.admin import setup_profiles
from web.admin import setup_steps as steps
from web.admin.review import pending_media, start_and_report

# It adds and changes an instance, and the household's people (step 1: who wants the dub,
# who watches the original; one who is no longer asked for is removed).
PERMISSIONS = (
    "scanner.add_instance",
    "scanner.change_instance",
    "scanner.add_person",
    "scanner.change_person",
    "scanner.delete_person",
)
TEMPLATE = "admin/setup/page.html"
PLANNING_REFRESH = 3  # seconds between two looks while the acts still plan (step 5)


class LanguagesForm(forms.Form):
    targets = forms.MultipleChoiceField(
        label=_("The languages your household watches in"),
        widget=forms.CheckboxSelectMultiple,
    )
    also_original = forms.BooleanField(
        label=_("Someone also watches the original, with subtitles"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["targets"])
        field.choices = [(offered.code, offered.name) for offered in steps.offered_languages()]


class ArrForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What holds your library"),
        choices=Instance.Kind.choices,
        widget=forms.RadioSelect,
        initial=Instance.Kind.SONARR,
    )
    url = forms.CharField(label=_("Address"), required=False, max_length=500)
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("In Sonarr and Radarr: Settings → General."),
    )
    folder = forms.CharField(
        label=_("Library folder"),
        required=False,
        max_length=1000,
        help_text=_("A library folder only: the folder as Taggarr sees it."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == Instance.Kind.LIBRARY:
            if not cleaned.get("folder", "").strip():
                self.add_error("folder", gettext("Say where the library folder is."))
            return cleaned
        for name, check, missing in (
            ("url", validators.clean_arr_url, gettext("Say where Sonarr or Radarr answers.")),
            ("api_key", validators.clean_api_key, gettext("Sonarr and Radarr need an API key.")),
        ):
            value = cleaned.get(name, "").strip()
            if not value:
                self.add_error(name, missing)
                continue
            try:
                cleaned[name] = check(value)
            except ValidationError as exc:
                self.add_error(name, exc)
        return cleaned


class ActsForm(forms.Form):
    default_tracks = forms.BooleanField(
        label=_("The household's dub plays first: each file's default audio track is planned."),
        required=False,
        initial=True,
    )
    wish_profiles = forms.BooleanField(
        label=_("Each item gets the quality profile that grabs its dub: planned."),
        required=False,
        initial=True,
    )
    root_folders = forms.MultipleChoiceField(
        label=_("Only these root folders (none ticked: every one)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, instance: Instance, folders: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not instance.is_arr:
            del self.fields["wish_profiles"]  # a library folder has no *arr to set it in
        if folders:
            field = cast(forms.MultipleChoiceField, self.fields["root_folders"])
            field.choices = [(folder, folder) for folder in folders]
        else:
            del self.fields["root_folders"]


def _arr_folders(instance: Instance) -> list[str]:
    """The *arr's root folders, as the instance form offers them; none when it does not
    answer (the step goes on: empty means every folder)."""
    if not instance.is_arr:
        return []
    try:
        key = instance.get_api_key()
    except ConfigError:
        return []
    answer = arr_choices(instance.kind, instance.url, key)
    folders = answer.get("root_folders", [])
    return [str(folder) for folder in folders] if isinstance(folders, list) else []


@sensitive_post_parameters("api_key")
def setup_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied
    now = steps.state()
    asked = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    shown = int(asked) if asked in {str(step) for step in steps.STEPS} else now.current
    shown = min(shown, now.current)
    context: dict[str, Any] = {}
    user = request.user.get_username()
    if request.method == "POST":
        if shown == steps.HOUSEHOLD_STEP:
            form = LanguagesForm(request.POST)
            if form.is_valid():
                targets, original = form.cleaned_data["targets"], form.cleaned_data["also_original"]
                steps.save_languages(list(targets), original, user=user)
                return HttpResponseRedirect(reverse("taggarr-setup"))
            context["languages_form"] = form
        elif shown == steps.ARR_STEP and now.instance is None:
            answer = _arr_step(request, user)
            if isinstance(answer, HttpResponse):
                return answer
            context.update(answer)
        elif shown == steps.ACTS_STEP and now.instance is not None:
            folders = _arr_folders(now.instance)
            acts = ActsForm(request.POST, instance=now.instance, folders=folders)
            if acts.is_valid():
                if "root_folders" in acts.fields:
                    now.instance.root_folders = list(acts.cleaned_data["root_folders"])
                wish = bool(acts.cleaned_data.get("wish_profiles", False))
                # Each wish with no mapping yet gets the profile that grabs it (issue 94).
                mapped = (
                    first_mapping.map_wishes(now.instance, user=user).data()
                    if wish and now.instance.is_arr
                    else None
                )
                steps.save_acts(
                    now.instance,
                    default_tracks=acts.cleaned_data["default_tracks"],
                    wish_profiles=wish,
                    user=user,
                    mapped=mapped,
                )
                return HttpResponseRedirect(reverse("taggarr-setup"))
            context["acts_form"] = acts
        elif shown == steps.DRY_RUN_STEP and now.instance is not None:
            return _dry_run(request, now.instance)
        elif shown == steps.APPLY_STEP and now.instance is not None and now.dry_run is not None:
            return _apply(request, now.instance, now.dry_run)
    return _page(request, steps.state(), shown, context)


def _arr_step(request: HttpRequest, user: str) -> dict[str, Any] | HttpResponse:
    """Step 2 posted: find the *arr (nothing saved), pick a found address, or test and
    save."""
    find = request.POST.get("find", "")
    if find in PORTS:
        found = found_addresses(find)
        form = ArrForm(initial={"kind": find})
        return {"arr_form": form, "found": found, "looked_for": Instance.Kind(find).label}
    pick = request.POST.get("pick", "")
    kind = request.POST.get("kind", "")
    if pick:
        return {"arr_form": ArrForm(initial={"kind": kind or Instance.Kind.SONARR, "url": pick})}
    form = ArrForm(request.POST)
    if not form.is_valid():
        return {"arr_form": form}
    data = form.cleaned_data
    tried = steps.try_instance(
        request.session, data["kind"], data.get("url", ""), data.get("api_key", ""),
        data.get("folder", "").strip(), user=user,
    )  # fmt: skip
    if not tried.ok:
        # The key typed is not shown again: it is typed again with the address corrected.
        return {"arr_form": ArrForm(initial={"kind": data["kind"], "url": data.get("url", "")}),
                "test_lines": tried.lines, "test_failed": True}  # fmt: skip
    # Passed: the steps' list says it beside the instance (a toast would cover the next step).
    return HttpResponseRedirect(reverse("taggarr-setup"))


def _dry_run(request: HttpRequest, instance: Instance) -> HttpResponse:
    try:
        run = start_scan(instance, RunRequest(ScanRun.Trigger.MANUAL, dry_run=True))
    except ScanAlreadyActive as exc:
        if exc.run is not None:
            return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[exc.run.pk]))
        messages.warning(request, gettext("Another scan is still active."))
        return HttpResponseRedirect(reverse("taggarr-setup"))
    except ConfigError as exc:
        messages.error(request, gettext("Not started: %(error)s.") % {"error": exc})
        return HttpResponseRedirect(reverse("taggarr-setup"))
    return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[run.pk]))


def _apply(request: HttpRequest, instance: Instance, dry: ScanRun) -> HttpResponse:
    """Step 5 posted: every act's rows the dry run planned handed to the workers (each
    act's checks run there before a write), and its tags written by a run that reads no
    file; the Changes page then shows each row's state."""
    from django.contrib import admin  # the site, as every admin page has it

    if planning.planning(dry.pk):  # applied once every act's plan is in
        return HttpResponseRedirect(reverse("taggarr-setup"))
    user = request.user.get_username()
    sent = run_plans.apply_run(dry.pk, by=user, via=Via.ADMIN)
    started = None
    if pending_media(dry).exists():
        started = start_and_report(
            admin.site.get_model_admin(Media),
            request,
            instance,
            partial(apply_planned, instance, trigger=ScanRun.Trigger.MANUAL),
        )
    if not sent and started is None:
        messages.warning(request, gettext("Nothing planned is left to apply."))
        return HttpResponseRedirect(reverse("taggarr-setup"))
    if sent:
        count = sum(sent.values())
        messages.success(
            request,
            ngettext(
                "Queued %(count)d item: a worker writes its changes, and its line below "
                "says how it went.",
                "Queued %(count)d items: workers write their changes, and each line below "
                "says how it went.",
                count,
            )
            % {"count": count},
        )
    return HttpResponseRedirect(reverse("taggarr-changes"))


def _page(
    request: HttpRequest, now: steps.State, shown: int, context: dict[str, Any]
) -> HttpResponse:
    from django.contrib import admin  # the site, as every admin page has it

    if shown == steps.HOUSEHOLD_STEP and "languages_form" not in context:
        context["languages_form"] = LanguagesForm(
            initial={"targets": now.targets, "also_original": now.also_original}
        )
    if shown == steps.ARR_STEP and "arr_form" not in context and now.instance is None:
        context["arr_form"] = ArrForm()
    if shown == steps.ACTS_STEP and "acts_form" not in context and now.instance is not None:
        context["acts_form"] = ActsForm(
            instance=now.instance,
            folders=_arr_folders(now.instance),
            initial={"root_folders": list(now.instance.root_folders)},
        )
    if shown == steps.ACTS_STEP and now.instance is not None and now.instance.is_arr:
        proposal, problem = first_mapping.preview(now.instance)
        shown_proposal = replace(proposal, unread=False)  # the offer's problem says why
        context["profile_lines"] = setup_profiles.lines(shown_proposal, now.instance)
        context["profile_problem"] = problem
    summary = first_mapping.Proposal.of(now.mapped)
    if summary is not None and now.instance is not None and now.instance.is_arr:
        context["profile_summary"] = setup_profiles.lines(summary, now.instance)
        # The mapping page's link once, after the lines, when one of them sends there.
        context["profile_summary_link"] = any(line.link for line in context["profile_summary"])
    if now.instance is not None and now.instance.is_arr:
        context["mapping_url"] = reverse("admin:wish_profiles_mapping", args=[now.instance.pk])
    if shown == steps.APPLY_STEP and now.dry_run is not None:
        context["tags_planned"] = pending_media(now.dry_run).count()
        context["act_plans"] = run_plans.plans_of_run(now.dry_run.pk)
        waiting = planning.planning(now.dry_run.pk)
        if waiting:  # the acts' plans come in: the page reloads itself until they are
            counted = [pair for pair in waiting.values() if pair[1] is not None]
            context.update(
                still_planning=True,
                planning_refresh=PLANNING_REFRESH,
                planning_done=sum(done for done, _due in counted),
                planning_due=0
                if len(counted) < len(waiting)
                else sum(due or 0 for _done, due in counted),
            )
    titles = (
        gettext("The household's languages"),
        gettext("Your Sonarr, Radarr or library folder"),
        gettext("What Taggarr should do"),
        gettext("The first scan, dry"),
        gettext("Apply what it planned"),
    )
    return render(
        request,
        TEMPLATE,
        {
            **admin.site.each_context(request),
            "title": gettext("Guided setup"),
            "state": now,
            "shown": shown,
            "titles": [
                {"number": number, "title": title, "done": number < now.current}
                for number, title in enumerate(titles, start=1)
            ],
            "targets_named": [
                offered.name for offered in steps.offered_languages() if offered.code in now.targets
            ],
            "ports": PORTS,
            **context,
        },
    )
