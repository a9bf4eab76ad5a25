#!/bin/sh
# One image, four roles; `make run` starts web, worker and beat through this script too
# (Procfile), so both run the same commands with the same options. The web role
# migrates (under a lock, so that several starts wait for one another) before serving;
# gunicorn's options are in taggarr/gunicorn_conf.py (TAGGARR_BIND, TAGGARR_WEB_WORKERS).
#
# TAGGARR_RESTART_ON_EXIT=1 (`make run` sets it): the worker and beat (and a command
# given instead of a role) are started again when they exit, as compose's
# `restart: unless-stopped` does for the containers; without it (the image) the role's
# process replaces this script and compose restarts the container. The worker exits on
# purpose when its watchdog finds a step held past its hold limit or memory past its
# bound: under honcho, an exit of one process stops all of them (web and beat too).
set -eu
role="${1:-web}"

# Run "$@" again whenever it exits, waiting 1, 2, 4 ... 30 s between starts (back to
# 1 s after a run of a minute or more); SIGTERM, SIGINT or SIGHUP stop it for good.
supervise() {
  delay=1
  stopping=""
  child=""
  trap 'stopping=1; if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || :; fi' TERM INT HUP
  while :; do
    started=$(date +%s)
    "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    # A trapped signal ends the wait early: wait for the child's own end.
    while kill -0 "$child" 2>/dev/null; do
      status=0
      wait "$child" || status=$?
    done
    child=""
    if [ -n "$stopping" ]; then
      exit "$status"
    fi
    ran=$(($(date +%s) - started))
    if [ "$ran" -ge 60 ]; then
      delay=1
    fi
    echo "taggarr: '$*' exited with status $status after $ran s; starting it again in $delay s" >&2
    sleep "$delay" &
    child=$!
    wait "$child" || :
    child=""
    if [ -n "$stopping" ]; then
      exit "$status"
    fi
    delay=$((delay * 2))
    if [ "$delay" -gt 30 ]; then
      delay=30
    fi
  done
}

run() {
  if [ "${TAGGARR_RESTART_ON_EXIT:-0}" = "1" ]; then
    supervise "$@"
  else
    exec "$@"
  fi
}

case "$role" in
  web)
    python manage.py bootstrap --wait 120
    exec gunicorn --config python:taggarr.gunicorn_conf
    ;;
  worker)
    # Both lanes (taggarr/celery.py): control work never waits behind the items.
    run celery -A taggarr worker --hostname "worker@%h" --queues control,items
    ;;
  beat)
    run celery -A taggarr beat
    ;;
  flower)
    : "${FLOWER_BASIC_AUTH:?set FLOWER_BASIC_AUTH=user:password}"
    exec celery -A taggarr flower --port=5555 --basic-auth="$FLOWER_BASIC_AUTH"
    ;;
  *)
    run "$@"
    ;;
esac
