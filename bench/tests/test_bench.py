"""`manage.py bench` end to end on a tiny dataset (the real run takes minutes), and its report."""

import os

from bench.management.commands.bench import Command
from bench.server import manage

TINY = [
    *("--users", "20", "--posts", "300", "--follows", "3", "--messages", "5"),
    *("--clients", "2", "--runs", "1", "--duration", "1", "--warmup", "1"),
]


def cells(text, title):
    row = next(line for line in text.splitlines() if line.startswith(f"| {title} |"))
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_bench_measures_the_site_under_gunicorn_and_writes_the_table(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SEARCH_URL"}
    }
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\nHow we measure.\n")
    scenarios = "home,home40,poll,api_users,write"
    manage(
        "bench", *TINY, "--only", scenarios, "--directory", str(tmp_path), "--output",
        str(report), env=env,
    )  # fmt: skip

    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nHow we measure.\n")
    assert "<!-- bench:SQLite:start -->" in text and "gunicorn with" in text
    for title in (
        "Home timeline, page 1",
        "Home timeline, page 40",
        "Notifications poll",
        "GET /api/users?page=5",
        "Write mix: 20 % new posts, 80 % home",
    ):
        row = cells(text, title)
        assert float(row[1]) > 0, row  # requests/s
        assert row[5] == "0", row  # errors
        assert row[6].split()[0].isdigit(), row  # queries per request, from the server
    # Deep pages cost what the first does; page 40 of this tiny dataset is past the end, so it
    # skips the one query for the page's images (Post.objects.with_media()).
    first = int(cells(text, "Home timeline, page 1")[6].split()[0])
    assert int(cells(text, "Home timeline, page 40")[6].split()[0]) in (first, first - 1)
    assert "Errors: 0 in all" in text


def test_a_new_run_replaces_its_own_section_only(tmp_path):
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n")
    Command.write_report(report, "SQLite", "### SQLite\nfirst")
    Command.write_report(report, "PostgreSQL + Redis", "### PostgreSQL\nother")
    Command.write_report(report, "SQLite", "### SQLite\nsecond")
    text = report.read_text()
    assert "second" in text and "first" not in text and "other" in text
    assert text.count("<!-- bench:SQLite:start -->") == 1
    assert text.index("SQLite") < text.index("PostgreSQL")
