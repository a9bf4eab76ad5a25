"""The configuration page (docs/configuration.md) documents exactly the settings the code
reads: one section with its own anchor (``<a id="NAME"></a>`` over ``### `NAME```, an
anchor that works on the forge as in the built site) per environment variable. The list
is taken from the code itself, never written out here: every call of one of
``taggarr.env.Env``'s readers in ``taggarr/settings.py`` (``env.int("NAME", ...)``,
nested calls too, as the old name inside ``TAGGARR_HOLD_SECONDS``'s default), and every
``os.environ.get``/``os.getenv``/``os.environ[...]`` read in the ``taggarr`` package
(gunicorn's config reads ``TAGGARR_BIND`` and ``TAGGARR_WEB_WORKERS`` so). A setting the
code gains fails until the page has it; a section the code no longer reads fails too.
``.env.example`` sets nothing that neither the code nor the compose file reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "taggarr"
PAGE = ROOT / "docs" / "configuration.md"
ANCHOR = re.compile(r'^<a id="([A-Za-z0-9_-]+)"></a>\n\n### `([A-Z][A-Z0-9_]*)`$', re.M)


def _readers() -> set[str]:
    """The public methods of ``Env`` in taggarr/env.py: the names of its readers."""
    tree = ast.parse((PACKAGE / "env.py").read_text(encoding="utf-8"))
    (env,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Env"]
    return {
        f.name for f in env.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")
    }


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _is_os_environ(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _names_read(path: Path, readers: set[str]) -> set[str]:
    """The environment variables ``path`` reads: through ``env.<reader>("NAME")`` or
    ``os.environ.get("NAME")``, ``os.getenv("NAME")``, ``os.environ["NAME"]``
    (``os.environ.setdefault`` sets a value for a library: not a setting)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            by_env = (
                isinstance(func.value, ast.Name) and func.value.id == "env" and func.attr in readers
            )
            by_os = (func.attr == "get" and _is_os_environ(func.value)) or (
                func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os"
            )
            name = _first_string(node) if by_env or by_os else None
            if name is not None:
                names.add(name)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.add(key.value)
    return names


def settings_read_by_the_code() -> set[str]:
    readers = _readers()
    names: set[str] = set()
    for path in sorted(PACKAGE.glob("*.py")):
        names |= _names_read(path, readers)
    return names


def anchors_on_the_page() -> list[tuple[str, str]]:
    return ANCHOR.findall(PAGE.read_text(encoding="utf-8"))


def test_the_code_reads_the_settings_this_test_looks_for() -> None:
    """The reading of the code finds the settings module's readers at all (a rename of
    ``env`` or of its readers would otherwise leave both sides empty and equal)."""
    names = settings_read_by_the_code()
    assert {"DATABASE_URL", "TAGGARR_DATA_DIR", "TAGGARR_HTTPS", "TAGGARR_BIND"} <= names
    assert len(names) >= 40


def test_each_section_is_anchored_by_its_own_name_once() -> None:
    anchors = anchors_on_the_page()
    assert [(anchor, name) for anchor, name in anchors if name != anchor] == []
    assert len(anchors) == PAGE.read_text(encoding="utf-8").count("\n### `")
    names = [anchor for anchor, _ in anchors]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_every_setting_the_code_reads_has_a_section_and_no_other_has() -> None:
    documented = {anchor for anchor, _ in anchors_on_the_page()}
    read = settings_read_by_the_code()
    assert sorted(read - documented) == [], "add a section to docs/configuration.md"
    assert sorted(documented - read) == [], "the code no longer reads these: remove them"


def _secrets_read_by_the_code() -> set[str]:
    """The settings read with ``env.secret`` (which also reads ``NAME_FILE``)."""
    tree = ast.parse((PACKAGE / "settings.py").read_text(encoding="utf-8"))
    return {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "secret"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "env"
        and (name := _first_string(node)) is not None
    }


def test_each_secret_says_it_can_come_from_a_file() -> None:
    """A setting read as a secret says in its section that ``NAME_FILE`` works too."""
    text = PAGE.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### `([A-Z][A-Z0-9_]*)`$(.*?)(?=^#|^<a |\Z)", text, re.M | re.S))
    secrets = _secrets_read_by_the_code()
    assert "DATABASE_URL" in secrets
    assert sorted(n for n in secrets if f"`{n}_FILE" not in sections.get(n, "")) == []


def test_env_example_sets_only_what_is_read() -> None:
    """Every variable ``.env.example`` sets (or shows commented out) is read by Taggarr's
    code or by the compose file (``${NAME}``): none is a leftover of a renamed setting."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assigned = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.M))
    compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "docker-compose.yml").read_text()))
    assert sorted(assigned - settings_read_by_the_code() - compose) == []
