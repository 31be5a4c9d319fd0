import pytest

from . import live


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """An empty migrated SQLite database file, made once and copied for each live site."""
    return live.migrated_template(tmp_path_factory.mktemp("template"))
