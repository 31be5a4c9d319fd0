"""`manage.py bench`: the site under gunicorn on a generated community, measured under load.

It builds a fresh database (an SQLite file under var/bench/, or the database DATABASE_URL
names, which is emptied), generates the dataset with seed_demo, starts gunicorn with the
repository's config on 127.0.0.1, signs 16 users in, drives closed-loop load scenario by
scenario (three runs, interleaved, median reported) and writes the table into
docs/benchmarks.md, in the section of the database it ran on.
"""

import asyncio
import os
import platform
import re
import secrets
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.load import close_clients, drive, median, open_clients
from bench.scenarios import SCENARIOS, context_for
from bench.server import Server, manage
from microblog.demo import DEMO_PASSWORD

BENCH_DIR = Path(settings.BASE_DIR) / "var" / "bench"
REPORT = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
TARGETS = {"home_p95": 0.100, "poll_p50": 0.010, "search_p95": 0.200, "page40_ratio": 2.0}


class Command(BaseCommand):
    help = "Benchmark the site under gunicorn on a generated community; writes docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=1000)
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--follows", type=int, default=50)
        parser.add_argument("--messages", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
        parser.add_argument("--duration", type=float, default=10, help="seconds measured per run")
        parser.add_argument("--warmup", type=float, default=2, help="seconds before measuring")
        parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
        parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config)")
        parser.add_argument(
            "--only", default="", help="comma-separated scenario keys (default: all)"
        )
        parser.add_argument(
            "--keep-data",
            action="store_true",
            help="reuse the database if it already holds the dataset (skips generating it)",
        )
        parser.add_argument("--output", default=str(REPORT), help="Markdown file to update")
        parser.add_argument(
            "--directory",
            default=str(BENCH_DIR),
            help="where the SQLite file, search index and gunicorn log go",
        )
        parser.add_argument("--note", default="", help="a line to add under the section title")

    def handle(self, *args, **options):
        if options["clients"] < 1 or options["runs"] < 1 or options["duration"] <= 0:
            raise CommandError("--clients, --runs and --duration must be positive.")
        only = {key for key in options["only"].split(",") if key}
        unknown = only - {s.key for s in SCENARIOS}
        if unknown:
            raise CommandError(f"Unknown scenarios: {', '.join(sorted(unknown))}")
        scenarios = [s for s in SCENARIOS if not only or s.key in only]
        directory = Path(options["directory"])
        directory.mkdir(parents=True, exist_ok=True)

        env = self.environment(directory)
        kind = self.kind(env)
        self.stdout.write(f"Benchmarking on {kind}.")
        load_before = os.getloadavg()[0]
        seed_seconds = self.prepare_data(env, options)
        manage("collectstatic", "--no-input", "-v0", env=env)

        log = directory / "gunicorn.log"
        log.unlink(missing_ok=True)
        with Server(env, log, workers=options["workers"]) as server, self.rq_worker(env, directory):
            self.workers = 0  # counted once every client has signed in, before any recycling
            results = asyncio.run(self.measure(server, scenarios, options))
            workers = f"{self.workers} workers"
            recycled = server.worker_count() - self.workers
            if recycled > 0:
                workers += f" ({recycled} recycled by max_requests during the run)"
        locked_in_log = log.read_text(errors="replace").count("database is locked")

        section = self.section(
            kind, scenarios, results, options, workers, seed_seconds, load_before, locked_in_log
        )
        self.write_report(Path(options["output"]), kind, section)
        self.stdout.write(section)
        self.stdout.write(f"Written to {options['output']}.")

    # Set-up --------------------------------------------------------------------------------

    @contextmanager
    def rq_worker(self, env, directory):
        """With REDIS_URL, one `rqworker default search` beside gunicorn, as in production: the
        index updates and e-mails that requests queue are done during the run, on these cores."""
        if not env.get("REDIS_URL"):
            yield
            return
        with (directory / "rqworker.log").open("wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "rqworker", "default", "search"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                yield
            finally:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()

    def environment(self, directory):
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{directory / 'bench.sqlite3'}")
        env.setdefault("SEARCH_URL", f"whoosh://{directory / 'whoosh_index'}")
        env.setdefault("THROTTLE_CACHE_DIR", str(directory / "throttle_cache"))
        env.update(
            DEBUG="false",
            SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(64),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SETTINGS_MODULE="bench.settings",  # the query-count headers
            # plain HTTP on 127.0.0.1: no proxy terminating TLS in front
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            SECURE_HSTS_SECONDS="0",
            LOG_TO_STDOUT="true",  # errors into the gunicorn log, where the report looks
            # 16 clients from one address measure the site, not its rate limits
            API_THROTTLE_ANON="1000000/minute",
            API_THROTTLE_USER="1000000/minute",
            API_THROTTLE_CREDENTIALS="1000000/minute",
        )
        return env

    @staticmethod
    def kind(env):
        database = "SQLite" if env["DATABASE_URL"].startswith("sqlite") else "PostgreSQL"
        extras = []
        if env.get("REDIS_URL"):
            extras.append("Redis")
        return " + ".join([database, *extras])

    def prepare_data(self, env, options):
        """A fresh database holding the generated community; returns seed_demo's seconds."""
        url = env["DATABASE_URL"]
        sqlite_file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None
        if options["keep_data"] and self.has_dataset(env, options):
            self.stdout.write("Reusing the generated data already in the database.")
            return None
        if sqlite_file is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        manage("migrate", "--no-input", "-v0", env=env)
        if sqlite_file is None:
            manage("flush", "--no-input", "-v0", env=env)
        self.stdout.write("Generating the dataset...")
        output = manage(
            "seed_demo",
            *("--users", str(options["users"]), "--posts", str(options["posts"])),
            *("--follows", str(options["follows"]), "--messages", str(options["messages"])),
            *("--seed", str(options["seed"])),
            env=env,
        )
        self.stdout.write(output.strip())
        match = re.search(r"Done in ([\d.]+) s", output)
        return float(match.group(1)) if match else None

    @staticmethod
    def has_dataset(env, options):
        code = (
            "from accounts.models import User; from posts.models import Post; "
            "print(User.objects.count(), Post.objects.count())"
        )
        try:
            users, posts = manage("shell", "-c", code, env=env).split()[-2:]
        except RuntimeError:
            return False
        return int(users) >= options["users"] and int(posts) >= options["posts"]

    # Measuring -----------------------------------------------------------------------------

    async def measure(self, server, scenarios, options):
        base_url = server.url
        available = [s for s in scenarios if s.available()]
        usernames = [f"user{n:06d}" for n in range(options["clients"])]
        api = any(s.api for s in available)
        self.stdout.write(f"Signing {len(usernames)} users in...")
        clients = await open_clients(base_url, usernames, DEMO_PASSWORD, api=api)
        self.workers = server.worker_count()
        try:
            user_ids = await self.user_ids(base_url, clients[0]) if api else []
            context = context_for(options["users"], user_ids)
            results = {s.key: [] for s in available}
            for run in range(1, options["runs"] + 1):
                for scenario in available:
                    result = await drive(
                        base_url,
                        clients,
                        scenario.build(context),
                        options["duration"],
                        options["warmup"],
                    )
                    results[scenario.key].append(result)
                    self.stdout.write(
                        f"run {run} {scenario.key:<13} {result.rps:7.1f} req/s  "
                        f"p50 {result.percentile(50) * 1000:7.1f} ms  "
                        f"p95 {result.percentile(95) * 1000:7.1f} ms  errors {result.errors}"
                    )
                    for sample in result.samples:
                        self.stderr.write(f"    {sample}")
        finally:
            await close_clients(clients)
        return results

    @staticmethod
    async def user_ids(base_url, client):
        headers = {"Authorization": f"Bearer {client.token}", "Accept": "application/json"}
        async with client.session.get(
            f"{base_url}/api/users?per_page=100", headers=headers
        ) as response:
            if response.status != 200:
                raise aiohttp.ClientError(f"GET /api/users answered {response.status}")
            return [item["id"] for item in (await response.json())["items"]]

    # Reporting -----------------------------------------------------------------------------

    def section(self, kind, scenarios, results, options, workers, seed_s, load, locked_in_log):
        def ms(value):
            return f"{value * 1000:.1f}" if value == value else "–"

        rows = [
            "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | queries/request "
            "| Flask tutorial req/s | × Flask |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        summary = {}
        for scenario in scenarios:
            runs = results.get(scenario.key)
            if not runs:
                rows.append(f"| {scenario.title} | not available | | | | | | | |")
                continue
            rps = median([r.rps for r in runs])
            p50, p95, p99 = (median([r.percentile(p) for r in runs]) for p in (50, 95, 99))
            errors = sum(r.errors for r in runs)
            queries = sorted(q for r in runs for q in r.queries)
            typical = queries[len(queries) // 2] if queries else None
            query_text = "–" if typical is None else str(typical)
            if queries and queries[-1] != typical:
                query_text += f" (max {queries[-1]})"
            flask = f"{scenario.flask:g}" if scenario.flask else ""
            factor = f"{rps / scenario.flask:.1f}×" if scenario.flask else ""
            if scenario.flask_factor:
                factor += f" (goal {scenario.flask_factor:g}×)"
            rows.append(
                f"| {scenario.title} | {rps:.1f} | {ms(p50)} | {ms(p95)} | {ms(p99)} | {errors} "
                f"| {query_text} | {flask} | {factor} |"
            )
            summary[scenario.key] = {
                "rps": rps,
                "p50": p50,
                "p95": p95,
                "errors": errors,
                "locked": sum(r.locked for r in runs),
                "queries": typical,
            }

        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        commit = self.git_commit()
        contention = (
            f"**measured under contention**: load average {load:.1f} on "
            f"{os.cpu_count()} cores before the run (other processes were busy)"
            if load > 0.5 * (os.cpu_count() or 1)
            else f"quiet machine: load average {load:.1f} before the run"
        )
        lines = [
            f"### {kind}",
            "",
            f"{now}, commit `{commit}`, {platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} cores; {contention}.",
            "",
            f"Dataset: {options['users']} users, {options['posts']} posts, {options['follows']} "
            f"follows each, {options['messages']} messages (`--seed {options['seed']}`)"
            + (f", generated in {seed_s:.1f} s." if seed_s is not None else " (reused)."),
            f"Load: {options['clients']} closed-loop clients, gunicorn with {workers}"
            + (" and one `rqworker default search`" if "Redis" in kind else "")
            + ", "
            f"{options['runs']} runs × {options['duration']:g} s per scenario "
            f"(after {options['warmup']:g} s warm-up), median of the runs; errors summed.",
        ]
        if options["note"]:
            lines += ["", options["note"]]
        lines += ["", *rows, "", *self.verdicts(summary, locked_in_log), ""]
        return "\n".join(lines)

    @staticmethod
    def verdicts(summary, locked_in_log):
        def check(ok):
            return "met" if ok else "**missed**"

        lines = []
        errors = sum(s["errors"] for s in summary.values())
        locked = sum(s["locked"] for s in summary.values()) + locked_in_log
        lines.append(
            f'- Errors: {errors} in all; "database is locked": {locked} ({check(not errors)}).'
        )
        if "home" in summary:
            p95 = summary["home"]["p95"]
            lines.append(f"- Home timeline p95 {p95 * 1000:.1f} ms < 100 ms: {check(p95 < 0.1)}.")
        if "home" in summary and "home40" in summary:
            ratio = summary["home40"]["p50"] / summary["home"]["p50"]
            same = summary["home40"]["queries"] == summary["home"]["queries"]
            lines.append(
                f"- Page 40 p50 is {ratio:.2f}× page 1 (within 2×: {check(ratio <= 2)}); "
                f"queries per request {'the same' if same else '**different**'}."
            )
        if "poll" in summary:
            p50 = summary["poll"]["p50"]
            lines.append(
                f"- Notifications poll p50 {p50 * 1000:.1f} ms < 10 ms: {check(p50 < 0.01)}."
            )
        if "search" in summary:
            p95 = summary["search"]["p95"]
            lines.append(f"- Search p95 {p95 * 1000:.1f} ms < 200 ms: {check(p95 < 0.2)}.")
        return lines

    @staticmethod
    def git_commit():
        try:
            return subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    @staticmethod
    def write_report(path, kind, section):
        """Replace this database's section of the report, keeping the rest of the file."""
        start, end = f"<!-- bench:{kind}:start -->", f"<!-- bench:{kind}:end -->"
        block = f"{start}\n{section}\n{end}"
        text = path.read_text() if path.exists() else "# Benchmarks\n"
        if start in text and end in text:
            before, rest = text.split(start, 1)
            text = before + block + rest.split(end, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
