# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TAGGARR_DATA_DIR=/data

# libmediainfo comes inside the pymediainfo wheel; nothing else is needed at run time.
RUN useradd --uid 1000 --user-group --home-dir /app --no-create-home taggarr \
    && mkdir -p /app /data \
    && chown taggarr:taggarr /data

WORKDIR /app
COPY requirements.txt requirements-listen.txt ./
RUN pip install -r requirements.txt
# Listening to audio tracks (README, "Listening"): `docker build --build-arg LISTEN=1 .`
# adds faster-whisper (some 250 MB); the model is fetched into /data/models on first use.
ARG LISTEN=0
RUN if [ "$LISTEN" = "1" ]; then pip install -r requirements.txt -r requirements-listen.txt; fi

COPY --chown=taggarr:taggarr . .
# Compiled once here: PYTHONDONTWRITEBYTECODE keeps every process (each `manage.py`
# command included) from caching them, so each would compile them again as it starts.
RUN python -m compileall -q taggarr scanner api
# The translations' catalogs, compiled in pure Python (the slim image has no gettext).
RUN python scripts/compile_messages.py
# collectstatic needs settings: give it throwaway secrets and data dir that are never kept.
RUN TAGGARR_DATA_DIR=/tmp/build \
    TAGGARR_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    TAGGARR_ENCRYPTION_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build

USER taggarr
VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
