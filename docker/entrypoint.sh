#!/bin/sh
# One image, four roles. The web role migrates (under a lock) before serving.
set -eu
role="${1:-web}"
case "$role" in
  web)
    python manage.py bootstrap --wait 120
    exec gunicorn --config python:taggarr.gunicorn_conf --bind 0.0.0.0:8000 \
      --workers "${TAGGARR_WEB_WORKERS:-2}" --forwarded-allow-ips '*'
    ;;
  worker)
    exec celery -A taggarr worker --hostname "worker@%h"
    ;;
  beat)
    exec celery -A taggarr beat
    ;;
  flower)
    : "${FLOWER_BASIC_AUTH:?set FLOWER_BASIC_AUTH=user:password}"
    exec celery -A taggarr flower --port=5555 --basic-auth="$FLOWER_BASIC_AUTH"
    ;;
  *)
    exec "$@"
    ;;
esac
