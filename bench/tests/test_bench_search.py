"""`manage.py bench_search`: the search index's rebuild and query times."""

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_bench_search_reports_rebuild_and_search_times(search_index):
    call_command("seed_demo", "--users", "5", "--posts", "60", stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_search", "--queries", "5", stdout=out)
    report = out.getvalue()
    assert "60 posts of active users in the database." in report
    assert "rebuild_index:" in report
    assert "60 posts in the index." in report
    assert "search, first page of 25 posts with authors (5 queries): median" in report


def test_bench_search_explains_what_to_do_without_posts(search_index):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("bench_search", stdout=io.StringIO())
