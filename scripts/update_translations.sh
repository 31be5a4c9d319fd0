#!/usr/bin/env bash
# Refresh the Spanish catalogs from the code, then compile them.
# 1. makemessages: new strings appear in locale/es/LC_MESSAGES/django.po (templates, Python)
#    and djangojs.po (static/js) with an empty msgstr; changed ones may be marked "fuzzy".
# 2. Fill in every empty msgstr and remove every "#, fuzzy" flag (checking the text).
# 3. Run this script again: it compiles the .mo files. Commit the .po and .mo files.
# scripts/check_translations.sh (also run by .ci/run) fails while anything is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python
IGNORE=(--ignore=.venv --ignore=staticfiles --ignore=var --ignore=test-artifacts
        --ignore=static/vendor --ignore=node_modules)
"$PYTHON" manage.py makemessages -l es --no-obsolete --add-location=file "${IGNORE[@]}"
"$PYTHON" manage.py makemessages -d djangojs -l es --no-obsolete --add-location=file "${IGNORE[@]}"
"$PYTHON" manage.py compilemessages -l es "${IGNORE[@]}"
for po in locale/es/LC_MESSAGES/*.po; do
  # --no-wrap: one line per msgid, so the header is the only 'msgid ""'.
  untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$po" | grep -c '^msgid "..*"$' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep -c '^msgid "..*"$' || true)
  echo "$po: ${untranslated} untranslated, ${fuzzy} fuzzy"
  if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    # The entries still to do, each with the file it comes from.
    msgattrib --untranslated --no-obsolete --no-wrap "$po" | sed -n '/^#: /p;/^msgid "..*"$/p'
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | sed -n '/^#: /p;/^msgid "..*"$/p'
  fi
done
