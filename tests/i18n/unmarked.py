"""The rule "every string a person reads is marked for translation", made cheap and precise.

Python: an AST walk over the places a person's text goes. A literal (a plain string with
a letter in it, an f-string, or one joined with ``+``/``%``) is unmarked when it is

- the value of ``verbose_name``, ``verbose_name_plural``, ``help_text`` or ``label`` (a
  keyword argument, or an assignment in a class body);
- the label of a ``TextChoices``/``IntegerChoices`` member (``NAME = "value", "label"``);
- the first argument of an error a person reads (``ValidationError``, DRF's
  ``PermissionDenied``/``NotFound``/``ParseError``...);
- the value of a ``"detail"`` key of a dict (DRF's error answers);
- the message of ``messages.error(request, ...)`` (and ``success``, ``warning``,
  ``info``, ``add_message``) and of a ModelAdmin's ``message_user(request, ...)``;
- the ``description`` of an admin column or action, ``empty_value_display``.

And a model field (``models.XField(...)``, a relation) without a ``verbose_name``:
Django would name it after the attribute, in English.

A call in that place (``_("...")``, ``ngettext(...)``, any function) counts as marked:
the rule looks for literals only, which is what a new unmarked string is.

Templates: a word (two letters or more) in a template's text outside
``{% translate %}``/``{% blocktranslate %}``, its markup left out, read with Django's own
template lexer.

Scripts (web/static/taggarr/*.js): a literal (quoted or a template literal) with a word
in it, put where a person reads it: assigned to ``textContent``, ``innerText``,
``title`` or ``placeholder``, given to ``setAttribute`` for ``aria-label``, ``title``
or ``placeholder``, or as the text of a ``new Option``. ``gettext(...)`` there is marked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.template.base import Lexer, Token, TokenType

TEXT_KEYWORDS = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
    "description",
    "empty_value_display",
}
# Calls whose message is their second argument (after the request).
MESSAGES = {"error", "success", "warning", "info", "message_user"}
ERRORS = {
    "ValidationError",
    "PermissionDenied",
    "NotFound",
    "ParseError",
    "AuthenticationFailed",
    "NotAuthenticated",
    "APIException",
    "SuspiciousOperation",
    "ConfigError",  # scanner.errors: what the admin and the API tell a person
    "invalid",  # scanner.validators.common: a ValidationError with its parameters
}
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|\{\w*\}")
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _is_raw_text(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant):
        text = PLACEHOLDER.sub("", node.value) if isinstance(node.value, str) else ""
        return any(char.isalpha() for char in text)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _is_raw_text(node.left) or _is_raw_text(node.right)
    return False


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _choice_labels(cls: ast.ClassDef) -> Iterator[ast.AST]:
    bases = {getattr(base, "attr", getattr(base, "id", "")) for base in cls.bases}
    if not bases & CHOICES_BASES:
        return
    for statement in cls.body:
        value = statement.value if isinstance(statement, ast.Assign) else None
        if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
            yield value.elts[-1]


def _unnamed_model_field(statement: ast.stmt) -> bool:
    """``x = models.CharField(max_length=9)``: a field Django would name "x" in English."""
    call = statement.value if isinstance(statement, ast.Assign) else None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    if getattr(call.func.value, "id", "") != "models":
        return False
    kind = call.func.attr
    relation = kind in {"ForeignKey", "OneToOneField", "ManyToManyField"}
    if not (kind.endswith("Field") or relation):
        return False
    named = any(keyword.arg == "verbose_name" for keyword in call.keywords)
    return not named and (relation or not call.args)


def unmarked_in_python(source: str) -> list[int]:
    """The line numbers of unmarked person-read literals and unnamed model fields."""
    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
            if _call_name(node) in ERRORS and node.args:
                found.append(node.args[0])
            if _call_name(node) in MESSAGES and len(node.args) >= 2:
                found.append(node.args[1])
            if _call_name(node) == "add_message" and len(node.args) >= 3:
                found.append(node.args[2])
        elif isinstance(node, ast.ClassDef):
            found += list(_choice_labels(node))
            found += [ast.Constant("unnamed field", lineno=statement.lineno)
                      for statement in node.body if _unnamed_model_field(statement)]  # fmt: skip
            for statement in node.body:
                if isinstance(statement, ast.Assign):
                    names = {getattr(t, "id", "") for t in statement.targets}
                    if names & TEXT_KEYWORDS:
                        found.append(statement.value)
        elif isinstance(node, ast.Dict):
            found += [
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == "detail"
            ]
    return sorted({node.lineno for node in found if _is_raw_text(node)})


def unmarked_in_template(source: str) -> list[int]:
    """The line numbers of words outside the translate tags: the template's text, with
    its tags and variables taken out, read as HTML (the markup, entities and attribute
    values dropped, but for those people read: title, alt, aria-label, placeholder)."""
    text = "".join(_text_only(Lexer(source).tokenize()))
    found = set()
    for match in _HUMAN_ATTRIBUTE.finditer(text):
        if _has_letters(match.group(1)):
            found.add(text.count("\n", 0, match.start()) + 1)
    words = _MARKUP.sub(_blank, text)
    for match in _WORDS.finditer(words):
        found.add(words.count("\n", 0, match.start()) + 1)
    return sorted(found)


_HUMAN_ATTRIBUTE = re.compile(r'(?:title|alt|aria-label|placeholder)="([^"]*)"')
_MARKUP = re.compile(r"<[^>]*>|&#?\w+;")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_SKIPPED = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
            "comment": "endcomment"}  # fmt: skip


def _text_only(tokens: list[Token]) -> Iterator[str]:
    """Each token's text; a tag, a variable, a comment and what a blocktranslate or a
    comment block holds become a blank with the same line breaks."""
    until = ""
    for token in tokens:
        name = (token.contents.split() or [""])[0]
        if token.token_type == TokenType.BLOCK and until and name == until:
            until = ""
        elif token.token_type == TokenType.BLOCK and name in _SKIPPED:
            until = _SKIPPED[name]
        if token.token_type == TokenType.TEXT and not until:
            yield token.contents
        else:
            yield " " + "\n" * token.contents.count("\n")


def _blank(match: re.Match[str]) -> str:
    return " " + "\n" * match.group().count("\n")


def _has_letters(text: str) -> bool:
    return _WORDS.search(text) is not None


def python_files(root: Path, packages: tuple[str, ...]) -> Iterator[Path]:
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


_SCRIPT_LITERAL = r"""(?:"[^"]*"|'[^']*'|`[^`]*`)"""
_SCRIPT_PLACES = re.compile(
    r"(?:\.(?:textContent|innerText|title|placeholder)\s*=\s*"
    r"|setAttribute\(\s*[\"'](?:aria-label|title|placeholder)[\"']\s*,\s*"
    r"|new Option\(\s*)"
    rf"({_SCRIPT_LITERAL})"
)


def unmarked_in_script(source: str) -> list[int]:
    """The line numbers of literals a person reads in a script, not through gettext."""
    found = set()
    for match in _SCRIPT_PLACES.finditer(source):
        text = re.sub(r"\$\{[^}]*\}", "", match.group(1))
        if _WORDS.search(text):
            found.add(source.count("\n", 0, match.start()) + 1)
    return sorted(found)
