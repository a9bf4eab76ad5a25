"""manage.py, the entry point of every command (cron's ``scan`` above all)."""

from __future__ import annotations

import os

import pytest

from tests.helpers import python_code

# manage.py run as a script after Django's set-up (which freezes what it loaded), then
# whether an object made after that is still left to the final collection.
_FROZEN_AT_THE_END = """
import django, gc, runpy, sys
django.setup()
made_after_the_setup = [object()]
sys.argv = ["manage.py", *sys.argv[1:]]
try:
    runpy.run_path("manage.py", run_name="__main__")
except SystemExit:
    pass
collectable = any(obj is made_after_the_setup for obj in gc.get_objects())
print("collectable" if collectable else "frozen")
"""


@pytest.mark.parametrize("command", [["help"], ["no-such-command"]], ids=["ends", "fails"])
def test_a_command_leaves_its_objects_out_of_the_last_collection(command: list[str]) -> None:
    """The interpreter's last garbage collection walks every object still alive, a tenth
    of a no-change rescan; frozen, they are left to the end of the process."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taggarr.settings"}
    result = python_code(_FROZEN_AT_THE_END, *command, env=env)
    assert result.stdout.strip().splitlines()[-1] == "frozen", result.stdout + result.stderr
