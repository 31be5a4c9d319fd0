"""The Spanish catalogs are complete and compiled: CI fails otherwise.

Runs makemessages on a scratch copy of the project (the real catalogs are never touched),
so a string marked for translation anywhere but missing from the .po fails here, as does an
empty or fuzzy entry, or a .mo that does not match its .po. To fix: run
scripts/update_translations.sh, fill in the Spanish, run it again, commit locale/.
"""

import gettext
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

LOCALE = settings.BASE_DIR / "locale"
CATALOGS = LOCALE / "es" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
# Not sources of our strings (and, for .venv, far too big to copy).
SKIP = [".venv", "staticfiles", "var", "test-artifacts", "vendor", "node_modules", ".*cache"]


def entries(po_file, *flags):
    """The msgids msgattrib selects with `flags` (e.g. --untranslated)."""
    output = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po_file)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    msgids = [line[len("msgid ") :] for line in output.splitlines() if line.startswith("msgid ")]
    return [msgid for msgid in msgids if msgid != '""']  # '""' is the header, always kept


@pytest.fixture(scope="module")
def refreshed_catalogs(tmp_path_factory):
    """The catalogs brought up to date with the code by makemessages, in a scratch copy of
    the project (makemessages writes beside the sources it reads; ours stay untouched)."""
    copy = tmp_path_factory.mktemp("project") / "microblog"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".git", "__pycache__", "*.mo", "*.sqlite3*", *SKIP),
    )
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "es", "-d", domain]
            + ["--no-obsolete", "--verbosity=0"],
            cwd=copy,
            check=True,
        )
    return copy / "locale" / "es" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_spanish(refreshed_catalogs, domain):
    po_file = refreshed_catalogs / f"{domain}.po"
    assert entries(po_file, "--untranslated") == [], (
        f"Strings without Spanish in {domain}.po: run scripts/update_translations.sh"
    )
    assert entries(po_file, "--only-fuzzy") == [], f"Fuzzy Spanish entries in {domain}.po"


@pytest.mark.parametrize("domain", DOMAINS)
def test_committed_catalogs_are_complete_and_compiled(tmp_path, domain):
    po_file = CATALOGS / f"{domain}.po"
    assert entries(po_file, "--untranslated") == []
    assert entries(po_file, "--only-fuzzy") == []
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po_file)], check=True)
    with fresh.open("rb") as expected, (CATALOGS / f"{domain}.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(expected)._catalog
        ), f"locale/es/LC_MESSAGES/{domain}.mo is stale: run scripts/update_translations.sh"
