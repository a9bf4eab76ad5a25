#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    finally:
        skip_final_collection()


def skip_final_collection() -> None:
    """Leave the command's objects to the end of the process. The interpreter's last
    garbage collection walks every object still alive (a rescan of 2,000 series: 0.3 s
    of its 3); the process is ending and its memory goes with it, so frozen objects are
    left out. Objects in reference cycles then are not finalised at exit, which Python
    never promised: logs are flushed and database connections closed before this."""
    gc.freeze()


if __name__ == "__main__":
    main()
