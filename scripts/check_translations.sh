#!/usr/bin/env bash
# Fail when a Spanish entry is missing or fuzzy, or a compiled .mo is stale (also part of ./test).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python
exec "$PYTHON" -m pytest -q -p no:cacheprovider microblog/tests/test_translations.py
