"""The garbage collector's settings of every Taggarr process (taggarr/memory.py)."""

from __future__ import annotations

import os

from taggarr.memory import YOUNG_THRESHOLD
from tests.helpers import python_code

_AFTER_SETUP = """
import gc
before = gc.get_threshold()[0]
import django
django.setup()
print(before, gc.get_threshold()[0], gc.get_freeze_count())
"""


def test_a_process_set_up_leaves_its_modules_and_young_objects_alone() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taggarr.settings"}
    result = python_code(_AFTER_SETUP, env=env)
    before, after, frozen = map(int, result.stdout.split())
    assert (before, after) == (700, YOUNG_THRESHOLD), result.stderr
    assert frozen > 10_000  # Django's and Taggarr's modules, models and settings
