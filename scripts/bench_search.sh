#!/usr/bin/env bash
# Search benchmark on a throwaway SQLite database and Whoosh index under var/bench/:
# seeds 1,000 users and 100,000 posts (once), then times rebuild_index and searches.
# Arguments go to `manage.py bench_search` (bench/management/commands/bench_search.py),
# e.g. --queries 500, --no-rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements.txt
mkdir -p var/bench
export DATABASE_URL="sqlite:///$PWD/var/bench/db.sqlite3"
export SEARCH_URL="whoosh://$PWD/var/bench/whoosh_index"
export REDIS_URL=""
python manage.py migrate --verbosity 0
python manage.py seed_demo --users 1000 --posts 100000 --if-empty
python manage.py bench_search "$@"
