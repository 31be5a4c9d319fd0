from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Only the `bench` and `bench_search` commands: no models, no URLs, nothing at start-up."""

    name = "bench"
    verbose_name = "Benchmark"
