# gunicorn 27.0 (gunicorn/glogging.py): the logger taggarr/gunicorn_conf.py subclasses.
import logging
from typing import Any

class Logger:
    error_log: logging.Logger
    access_log: logging.Logger
    cfg: Any  # gunicorn.config.Config
    def __init__(self, cfg: Any) -> None: ...
    def setup(self, cfg: Any) -> None: ...
