"""``make run``: web, worker and beat in one terminal; Ctrl-C stops all of them.

Each runs as its own process, exactly as in Docker (gunicorn, celery worker,
celery beat), on whatever DATABASE_URL/REDIS_URL say: by default SQLite and the
embedded broker. If one of them dies, the others are stopped too. The address is
tried first: a taken port stops it before anything starts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taggarr.bind import BindError, check_free, parse_bind


class Command(BaseCommand):
    help = "Run web (gunicorn), a Celery worker and Celery beat until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT")
        parser.add_argument(
            "--check-bind",
            action="store_true",
            help="only check that the address is free (make run does, before migrating)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            address = parse_bind(str(options["bind"]))
            check_free(address)
        except BindError as exc:
            raise CommandError(str(exc)) from None
        if options["check_bind"]:
            return
        bin_dir = os.path.dirname(sys.executable)
        commands = {
            "web": [
                os.path.join(bin_dir, "gunicorn"),
                "--config",
                "python:taggarr.gunicorn_conf",
                "--bind",
                str(address),
                "--workers",
                "2",
            ],
            "worker": [
                os.path.join(bin_dir, "celery"),
                "-A",
                "taggarr",
                "worker",
            ],
            "beat": [os.path.join(bin_dir, "celery"), "-A", "taggarr", "beat"],
        }
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(f"Taggarr is running at http://{address}/ (Ctrl-C stops it)")
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with status {process.returncode}")
                    exit_code = 1
                    stopping = True
            time.sleep(0.5)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            process.wait()
        sys.exit(exit_code)
