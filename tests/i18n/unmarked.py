"""The rule "every string a person reads is marked for translation", made cheap and precise.

Python: an AST walk over the places a person's text goes. A literal (a plain string with
a letter in it, an f-string, or one joined with ``+``/``%``) is unmarked when it is

- the value of ``verbose_name``, ``verbose_name_plural``, ``help_text`` or ``label`` (a
  keyword argument, or an assignment in a class body);
- the label of a ``TextChoices``/``IntegerChoices`` member (``NAME = "value", "label"``);
- the first argument of an error a person reads (``ValidationError``, DRF's
  ``PermissionDenied``/``NotFound``/``ParseError``...);
- the value of a ``"detail"`` key of a dict (DRF's error answers).

A call in that place (``_("...")``, ``ngettext(...)``, any function) counts as marked:
the rule looks for literals only, which is what a new unmarked string is.

Templates: a text node with a letter in it outside ``{% translate %}``/
``{% blocktranslate %}``, read by Django's own template lexer.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.template.base import Lexer, TokenType

TEXT_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label"}
ERRORS = {
    "ValidationError",
    "PermissionDenied",
    "NotFound",
    "ParseError",
    "AuthenticationFailed",
    "NotAuthenticated",
    "APIException",
    "SuspiciousOperation",
    "_invalid",  # scanner.validators: a ValidationError with its parameters
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


def unmarked_in_python(source: str) -> list[int]:
    """The line numbers of unmarked person-read literals in ``source``."""
    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
            if _call_name(node) in ERRORS and node.args:
                found.append(node.args[0])
        elif isinstance(node, ast.ClassDef):
            found += list(_choice_labels(node))
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
    """The line numbers of text nodes with a letter in them outside the translate tags.
    Text inside an HTML tag's attributes counts too (titles, aria-labels, alt)."""
    lines: set[int] = set()
    inside = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans"}:
                inside = True
            elif name in {"endblocktranslate", "endblocktrans"}:
                inside = False
        elif token.token_type == TokenType.TEXT and not inside and _has_words(token.contents):
            lines.add(token.lineno)
    return sorted(lines)


def _has_words(text: str) -> bool:
    return any(char.isalpha() for char in _words(text))


def _words(text: str) -> str:
    """A text node less its markup: tags, entities and attribute values that are not
    for people (classes, ids, URLs) are dropped; aria-label, title, alt and placeholder
    values are kept."""
    kept = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', text))
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[a-zA-Z]+;|&#\d+;", " ", text)
    return f"{text} {kept}"


def python_files(root: Path, packages: tuple[str, ...]) -> Iterator[Path]:
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
