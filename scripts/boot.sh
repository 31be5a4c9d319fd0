#!/usr/bin/env bash
# The container's entry point (and a production start on any machine):
#   boot.sh web        wait for the database, migrate, compile messages, collect static
#                      files, then exec gunicorn with gunicorn.conf.py (the default)
#   boot.sh rqworker   wait for the database, then exec `manage.py rqworker` with the
#                      remaining arguments (queue names; "default search" when none)
#   boot.sh CMD...     anything else runs as given (e.g. `boot.sh python manage.py shell`)
# DATABASE_WAIT_TIMEOUT (seconds, default 60) bounds the wait for the database.
set -euo pipefail
cd "$(dirname "$0")/.."

manage() { python manage.py "$@"; }

mode="${1:-web}"
case "$mode" in
  web)
    shift || true
    # Reading the gunicorn config first stops a malformed WEB_CONCURRENCY or PORT with a
    # message naming it, before anything else happens.
    python -c 'import runpy; runpy.run_path("gunicorn.conf.py")'
    manage wait_for_database --timeout "${DATABASE_WAIT_TIMEOUT:-60}"
    manage migrate_safely  # one replica at a time
    if compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null; then
      manage compilemessages --ignore ".venv" --ignore "var" --ignore "staticfiles"
    fi
    manage collectstatic --no-input --verbosity 1
    exec gunicorn --config gunicorn.conf.py "$@" microblog.wsgi
    ;;
  rqworker)
    shift
    manage wait_for_database --timeout "${DATABASE_WAIT_TIMEOUT:-60}"
    [ $# -gt 0 ] || set -- default search
    exec python manage.py rqworker "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
