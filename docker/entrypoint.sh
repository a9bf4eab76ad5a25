#!/bin/sh
# One image, five roles. all-in-one (the image's default) is `make run` in one container:
# web, worker and beat on SQLite and the embedded broker in the data dir (TAGGARR_DATA_DIR,
# /config in the image), one port; web, worker, beat and flower are the roles of the
# six-service compose stack (docker-compose.yml). `make run` starts web, worker and beat
# through this script too (its stack role, as all-in-one does, then the Procfile), so
# every way runs the same commands with the same options. The web role migrates (under a
# lock, so that several starts wait for one another) before serving, unless the stack
# role did; gunicorn's options are in taggarr/gunicorn_conf.py (TAGGARR_BIND,
# TAGGARR_WEB_WORKERS).
#
# Users, the linuxserver way: started as root with PUID/PGID set (the image sets 1000),
# the script makes the data dir and everything in it theirs, then runs itself again as
# PUID:PGID (setpriv); started as another user (compose's `user:`, `docker run --user`)
# it runs as that user. UMASK (the image: 022) is the mask of every file it makes.
#
# TAGGARR_RESTART_ON_EXIT=1 (`make run` and all-in-one set it): the worker and beat (and a
# command given instead of a role) are started again when they exit, as compose's
# `restart: unless-stopped` does for the containers; without it (the image's other roles)
# the role's process replaces this script and compose restarts the container. The worker
# exits on purpose when its watchdog finds a step held past its hold limit or memory past
# its bound: under honcho, an exit of one process stops all of them (web and beat too).
set -eu

die() {
  echo "taggarr: $*" >&2
  exit 2
}

if [ -n "${UMASK:-}" ]; then
  case "$UMASK" in
    *[!0-7]* | ????*) die "UMASK must be an octal mask such as 022 or 002, got '$UMASK'" ;;
  esac
  umask "$UMASK"
fi

# NAME_FILE=/run/secrets/name for a secret this script itself reads (Taggarr's settings
# read their own: taggarr/env.py); an error names the variable, as there.
file_env() {
  eval "direct=\${$1:-}; file=\${$1_FILE:-}"
  if [ -z "$file" ]; then
    return 0
  fi
  if [ -n "$direct" ]; then
    die "set $1 or $1_FILE, not both"
  fi
  [ -r "$file" ] || die "$1_FILE: cannot read '$file'"
  value=$(cat "$file")
  [ -n "$value" ] || die "$1_FILE: '$file' is empty"
  export "$1=$value"
  unset "$1_FILE"
}

# Started as root with PUID/PGID: the data dir theirs, then this script again as them.
if [ "$(id -u)" = 0 ] && { [ -n "${PUID:-}" ] || [ -n "${PGID:-}" ]; }; then
  uid="${PUID:-1000}"
  gid="${PGID:-1000}"
  case "$uid$gid" in
    *[!0-9]*) die "PUID and PGID must be numbers, got PUID='$uid' PGID='$gid'" ;;
  esac
  if [ -n "${TAGGARR_DATA_DIR:-}" ]; then
    mkdir -p -m 700 "$TAGGARR_DATA_DIR"  # a new one its owner's only, as settings make it
    # Only what is not theirs yet (a restart changes nothing); links are not followed.
    find "$TAGGARR_DATA_DIR" \( ! -user "$uid" -o ! -group "$gid" \) \
      -exec chown -h "$uid:$gid" {} +
  fi
  if [ "$uid" != 0 ]; then
    # HOME as the linuxserver images have it (root's is not theirs to write).
    export HOME="${TAGGARR_DATA_DIR:-/tmp}"
    exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- sh "$0" "$@"
  fi
fi

role="${1:-all-in-one}"

# Start "$@" in the background as $child and wait for its own end, its exit status in
# $status: a trapped signal (the callers' traps pass it on to $child) ends a wait early,
# and one that came before $child was known is passed on at once.
run_child() {
  "$@" &
  child=$!
  if [ -n "${stopping:-}" ]; then
    kill -TERM "$child" 2>/dev/null || :
  fi
  status=0
  wait "$child" || status=$?
  while kill -0 "$child" 2>/dev/null; do
    status=0
    wait "$child" || status=$?
  done
}

# Run "$@" again whenever it exits, waiting 1, 2, 4 ... 30 s between starts (back to
# 1 s after a run of a minute or more); SIGTERM, SIGINT or SIGHUP stop it for good.
supervise() {
  delay=1
  stopping=""
  child=""
  trap 'stopping=1; if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || :; fi' TERM INT HUP
  while :; do
    started=$(date +%s)
    run_child "$@"
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

# Run "$@" (honcho) to its end and exit with its status, but 0 when SIGTERM, SIGINT or
# SIGHUP stopped it: they are passed on to it, and the status it ends with for them
# (honcho's 143 or 130: "stopped by a signal", whatever its processes' own) is a clean
# stop, as Sonarr's image ends 0 on `docker stop`. A process that had ended before (its
# status is honcho's then) keeps its status.
stop_cleanly() {
  child=""
  trap 'stopping=1; if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || :; fi' TERM INT HUP
  if [ -n "${stopping:-}" ]; then
    exit 0
  fi
  run_child "$@"
  if [ -n "${stopping:-}" ]; then
    case "$status" in
      0 | 129 | 130 | 143) exit 0 ;;
    esac
  fi
  exit "$status"
}

run() {
  if [ "${TAGGARR_RESTART_ON_EXIT:-0}" = "1" ]; then
    supervise "$@"
  else
    exec "$@"
  fi
}

case "$role" in
  all-in-one)
    # `make run` on its defaults, in one container: one stack per data dir (its lock),
    # then the stack role below. Plain HTTP on a LAN as Sonarr's own port, unless
    # TAGGARR_HTTPS says otherwise.
    cd "$(dirname "$0")/.."
    export TAGGARR_HTTPS="${TAGGARR_HTTPS:-false}"
    export TAGGARR_RESTART_ON_EXIT=1
    exec python scripts/data_lock.py "${TAGGARR_BIND:-0.0.0.0:8000}" sh "$0" stack
    ;;
  stack)
    # All-in-one's and `make run`'s processes, run under the data dir's lock: the
    # database migrated and the first admin made once, here (its password generated
    # into admin-password.txt unless TAGGARR_ADMIN_USER/PASSWORD are set; web's own
    # start-up is skipped, so the box or the reminder of that file is printed once),
    # then web, worker and beat under honcho, the worker and beat started again when
    # they exit, web's exit the container's. A stop (docker stop's SIGTERM, Ctrl-C)
    # ends it with 0 once every process has ended (stop_cleanly).
    cd "$(dirname "$0")/.."
    stopping=""
    trap 'stopping=1' TERM INT HUP
    python manage.py bootstrap --generate-admin
    if [ -n "$stopping" ]; then
      exit 0
    fi
    export TAGGARR_BOOTSTRAPPED=1
    stop_cleanly honcho --procfile Procfile start
    ;;
  web)
    # Under all-in-one and `make run` the stack role has migrated and made the admin.
    if [ "${TAGGARR_BOOTSTRAPPED:-}" != 1 ]; then
      python manage.py bootstrap --wait 120
    fi
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
    file_env FLOWER_BASIC_AUTH
    : "${FLOWER_BASIC_AUTH:?set FLOWER_BASIC_AUTH=user:password}"
    exec celery -A taggarr flower --port=5555 --basic-auth="$FLOWER_BASIC_AUTH"
    ;;
  *)
    run "$@"
    ;;
esac
