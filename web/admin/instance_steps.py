"""A new instance in four steps, as its form and page show them: connect (the URL and
the key), test (in the form, before saving), choose the root folders and the target
languages, then the first dry run. The settings most people keep as they are start
folded, so that the form is the steps and not nine sections (a folded section with an
error opens: Django's Fieldset.is_collapsible)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.models import Instance

# Sections folded (their defaults suit most libraries); compared in the reader's
# language, as the fieldsets name them (web/admin/instances.py).
FOLDED = (
    _("Per-language and subtitle tags"), _("What counts"), _("Writing"), _("Schedule"),
    _("Search for missing dubs"),
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    state: str  # "done", "current" or ""


def fold_rarely_changed(fieldsets: Any) -> tuple[Any, ...]:
    """The sections past the steps folded (a <details> each)."""
    folded = []
    for name, options in fieldsets:
        if name in FOLDED:
            classes = (*options.get("classes", ()), "collapse")
            options = {**options, "classes": classes}
        folded.append((name, options))
    return tuple(folded)


def setup_steps(instance: Instance | None, connection: dict[str, Any] | None) -> list[Step]:
    """The four steps and where the instance is; [] once its first scan started."""
    if instance is not None and not instance.waits_for_first_scan:
        return []
    saved = instance is not None
    tested = connection is not None and connection["ok"]
    states = {
        "connect": "done" if saved else "current",
        "test": "done" if tested else ("current" if saved else ""),
        "choose": "done" if saved else "",
        "dry_run": "current" if saved and tested else "",
    }
    return [
        Step(gettext("Connect"), gettext("The *arr's URL and API key."), states["connect"]),
        Step(
            gettext("Test"),
            gettext("Test the connection: the form asks the *arr before saving."),
            states["test"],
        ),
        Step(
            gettext("Choose"),
            gettext("Root folders and target languages, picked from what the *arr offers."),
            states["choose"],
        ),
        Step(
            gettext("First dry run"),
            gettext("Plans every tag for review; writes nothing."),
            states["dry_run"],
        ),
    ]


def next_step(
    instance: Instance, connection: dict[str, Any] | None, *, decided_again: bool = False
) -> dict[str, Any]:
    """The instance page's primary action, and whether scans are offered at all: not
    while the last connection test failed; a new instance is tested, then dry-run, and so
    is one whose tag settings changed since its last scan."""
    if connection is not None and not connection["ok"]:
        return {"primary": "test", "offer_scans": False}
    if decided_again:
        return {"primary": "dry_run", "offer_scans": True}
    if instance.waits_for_first_scan:
        return {"primary": "dry_run" if connection else "test", "offer_scans": True}
    return {"primary": "scan", "offer_scans": True}
