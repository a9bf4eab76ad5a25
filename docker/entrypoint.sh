#!/bin/sh
# One image, four roles; `make run` starts web, worker and beat through this script too
# (Procfile), so both run the same commands with the same options. The web role
# migrates (under a lock, so that several starts wait for one another) before serving;
# gunicorn's options are in taggarr/gunicorn_conf.py (TAGGARR_BIND, TAGGARR_WEB_WORKERS).
set -eu
role="${1:-web}"
case "$role" in
  web)
    python manage.py bootstrap --wait 120
    exec gunicorn --config python:taggarr.gunicorn_conf
    ;;
  worker)
    # Both lanes (taggarr/celery.py): control work never waits behind the items.
    exec celery -A taggarr worker --hostname "worker@%h" --queues control,items
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
