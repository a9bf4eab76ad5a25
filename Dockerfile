# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TAGGARR_DATA_DIR=/config \
    PUID=1000 \
    PGID=1000 \
    UMASK=022

# libmediainfo comes inside the pymediainfo wheel. MKVToolNix (mkvmerge, mkvpropedit) is
# Debian bookworm's 74.0.0 (its security updates too): the tool of the field beside
# Taggarr's own in-place writer of a file's default tracks (issue 81), the one a user is
# told to run for a file whose header has no room. Nothing else is needed at run time
# (setpriv, which the entrypoint drops to PUID:PGID with, is in util-linux, in the base).
RUN apt-get update \
    && apt-get install -y --no-install-recommends mkvtoolnix=74.0.0-* \
    && rm -rf /var/lib/apt/lists/*
# /config is the all-in-one role's data dir; /data the compose stack's (docker-compose.yml
# sets TAGGARR_DATA_DIR=/data), made here so that its named volume starts as taggarr's.
RUN useradd --uid 1000 --user-group --home-dir /app --no-create-home taggarr \
    && mkdir -p /app /config /data \
    && chown taggarr:taggarr /config /data

WORKDIR /app
COPY requirements.txt requirements-listen.txt ./
RUN pip install -r requirements.txt
# Listening to audio tracks (README, "Listening"): `docker build --build-arg LISTEN=1 .`
# adds faster-whisper (some 250 MB); the model is fetched into the data dir's models/ on
# first use.
ARG LISTEN=0
RUN if [ "$LISTEN" = "1" ]; then pip install -r requirements.txt -r requirements-listen.txt; fi

COPY --chown=taggarr:taggarr . .
# One layer: the modules compiled once here (PYTHONDONTWRITEBYTECODE keeps every process,
# each `manage.py` command included, from caching them, so each would compile them again
# as it starts); the translations' catalogs, compiled in pure Python (the slim image has
# no gettext); the static files (collectstatic needs settings: throwaway secrets and data
# dir that are never kept).
RUN python -m compileall -q taggarr scanner api \
    && python scripts/compile_messages.py \
    && TAGGARR_DATA_DIR=/tmp/build \
    TAGGARR_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    TAGGARR_ENCRYPTION_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build

# No USER: the entrypoint starts as root only to make /config PUID:PGID's, then drops to
# them (docker/entrypoint.sh); the compose stack starts each role as PUID:PGID itself.
# The default role, all-in-one, is web, worker and beat on SQLite and the embedded broker
# in /config, on one port; web, worker, beat and flower are the compose stack's roles.
VOLUME ["/config"]
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["all-in-one"]
