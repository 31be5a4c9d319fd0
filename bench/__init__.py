"""Benchmark tooling, kept out of the project package: `manage.py bench` (the site under
gunicorn, the load tool, the scenarios) and `manage.py bench_search`."""
