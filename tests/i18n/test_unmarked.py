"""A new person-read string that is not marked for translation fails here
(tests/i18n/unmarked.py says the rule).

Not checked, and why: the engine and the HTTP clients (scanner/engine, scanner/arr,
scanner/media_servers/clients) are pure Python without Django, so they cannot mark
anything: what they say reaches people through the layers above. The command line is
English (ENGLISH). Nothing else is left out: KNOWN_UNMARKED stays empty (a folder put
in it would need its reason here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.unmarked import (
    python_files,
    unmarked_in_python,
    unmarked_in_script,
    unmarked_in_template,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "api", "scanner", "web")
PURE = ("scanner/engine/", "scanner/arr/", "scanner/media_servers/clients/")
# The command line speaks English, like the *arrs' logs; a secret that cannot be
# decrypted is named by the Secret's own English name (scanner.models.secrets).
ENGLISH = (
    "scanner/management/",
    "accounts/management/",
    "scanner/legacy_import/",  # import_config / import_state
    "scanner/crypto.py",
)
KNOWN_UNMARKED: tuple[str, ...] = ()
CHECKED_ANYWAY = {"templates/admin/language_switcher.html"}


def _checked(relative: str) -> bool:
    if relative in CHECKED_ANYWAY:
        return True
    return not relative.startswith(PURE + ENGLISH + KNOWN_UNMARKED)


def test_python_modules_mark_what_people_read() -> None:
    unmarked = {}
    for path in python_files(ROOT, PACKAGES):
        relative = str(path.relative_to(ROOT))
        if _checked(relative):
            lines = unmarked_in_python(path.read_text("utf-8"))
            if lines:
                unmarked[relative] = lines
    assert unmarked == {}, "wrap them in gettext_lazy/ngettext (README, Translations)"


def test_templates_mark_what_people_read() -> None:
    unmarked = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = str(path.relative_to(ROOT))
        if _checked(relative):
            lines = unmarked_in_template(path.read_text("utf-8"))
            if lines:
                unmarked[relative] = lines
    assert unmarked == {}, "use {% translate %} / {% blocktranslate %} (README, Translations)"


def test_scripts_mark_what_people_read() -> None:
    unmarked = {}
    for path in sorted((ROOT / "web" / "static" / "taggarr").glob("*.js")):
        lines = unmarked_in_script(path.read_text("utf-8"))
        if lines:
            unmarked[str(path.relative_to(ROOT))] = lines
    assert unmarked == {}, "use gettext()/interpolate() of the JavaScript catalog (README)"


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ('status.textContent = "Asking…";', [1]),
        ('status.textContent = gettext("Asking…");', []),
        ("span.textContent = `${text}\\n`;", []),
        ("x.textContent = `Failed: ${error}`;", [1]),
        ('el.setAttribute("aria-label", "Add a language");', [1]),
        ('el.setAttribute("aria-live", "polite");', []),
        ('select.append(new Option("Add…", ""));', [1]),
        ("select.append(new Option(label, value));", []),
    ],
)
def test_the_script_rule(source: str, lines: list[int]) -> None:
    assert unmarked_in_script(source) == lines


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ('name = models.CharField(help_text="What it is.")', [1]),
        ('name = models.CharField(help_text=_("What it is."))', []),
        ('raise ValidationError(f"bad {value}")', [1]),
        ('raise serializers.ValidationError(_("bad %(v)s") % {"v": v})', []),
        ('raise invalid("%(value)r has no host", value=value)', [1]),
        ('raise invalid("%(reason)s", reason=reason)', []),  # only a placeholder
        ('class Kind(models.TextChoices):\n    A = "a", "Apple"\n    B = "b", _("Bee")', [2]),
        ('class Meta:\n    verbose_name = "thing"', [2]),
        ('answer = {"detail": "no such items"}', [1]),
        ('answer = {"detail": _("no such items")}', []),
        ('logger.info("not for people: %s", x)', []),
        ("class A(models.Model):\n    size = models.IntegerField(default=0)", [2]),
        ('class A(models.Model):\n    size = models.IntegerField(_("size"))', []),
        ("class A(models.Model):\n    b = models.ForeignKey(B, on_delete=CASCADE)", [2]),
        ("class A(serializers.Serializer):\n    size = serializers.IntegerField()", []),
    ],
)
def test_the_python_rule(source: str, lines: list[int]) -> None:
    assert unmarked_in_python(source) == lines


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("<p>Hello</p>", [1]),
        ('<p>{% translate "Hello" %}</p>', []),
        ("{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}", []),
        ('<a href="/admin/x" class="button">{{ label }}</a>', []),
        ('<button aria-label="Dismiss">&times;</button>', [1]),
        ("{# a note #}{% comment %}\nnot shown{% endcomment %}", []),
        ("<p>{{ a }}</p>\n<p>Words</p>", [2]),
    ],
)
def test_the_template_rule(source: str, lines: list[int]) -> None:
    assert unmarked_in_template(source) == lines
