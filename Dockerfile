# Microblog's image: one image, two roles.
#   docker build -t microblog .
#   docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=... -e DATABASE_URL=... microblog           (web)
#   docker run -e ... microblog rqworker                                            (RQ worker)
# scripts/boot.sh waits for the database, migrates, compiles messages, collects static files
# and execs gunicorn; see compose.yaml for the whole set of services.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# gettext for compilemessages at boot. Debian's package versions are not pinned: the base
# image's release decides them, and a pinned version disappears from the mirrors.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 microblog \
    && useradd --system --create-home --uid 10001 --gid 10001 microblog

# Dependencies in their own layer: rebuilt only when requirements.txt changes.
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

WORKDIR /app
COPY . .
# The code stays root's; the app user writes only what boot.sh produces.
RUN mkdir -p var staticfiles locale \
    && chown -R 10001:10001 var staticfiles locale \
    && chmod +x scripts/boot.sh

USER 10001:10001
ENV DEBUG=false \
    LOG_TO_STDOUT=true \
    PORT=8000
EXPOSE 8000
ENTRYPOINT ["scripts/boot.sh"]
CMD ["web"]
