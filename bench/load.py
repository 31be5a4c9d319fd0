"""Closed-loop HTTP load: N clients, each sending its next request as soon as the last answered.

One asyncio loop with aiohttp drives every client, so the load tool takes one process (and
little CPU) on a 2-core machine that also runs the server. Each client is a real user: a
session cookie from the login form for pages, a Bearer token from POST /api/tokens for the API.
"""

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field

import aiohttp

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOCKED = "database is locked"


@dataclass
class Client:
    """One simulated user: its HTTP session (cookies), its API token, and its identity."""

    number: int
    username: str
    session: aiohttp.ClientSession
    token: str = ""

    @property
    def csrf_token(self):
        cookie = self.session.cookie_jar.filter_cookies("http://127.0.0.1/").get("csrftoken")
        return cookie.value if cookie else ""


@dataclass
class Request:
    method: str
    path: str
    data: dict | None = None
    api: bool = False
    expect: tuple = (200,)


@dataclass
class Result:
    """What one measured run of one scenario saw."""

    seconds: float
    latencies: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    errors: int = 0
    locked: int = 0
    samples: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.latencies)

    @property
    def rps(self):
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def record_error(self, what):
        self.errors += 1
        if LOCKED in what:
            self.locked += 1
        if len(self.samples) < 5:
            self.samples.append(what)


async def sign_in(client, base_url, password):
    """Sign in through the login form, like a browser: the session cookie is kept."""
    async with client.session.get(f"{base_url}/auth/login") as response:
        html = await response.text()
    match = CSRF_INPUT.search(html)
    if not match:
        raise RuntimeError(f"no CSRF token on the login page ({response.status})")
    form = {
        "username": client.username,
        "password": password,
        "remember_me": "on",
        "csrfmiddlewaretoken": match.group(1),
    }
    async with client.session.post(
        f"{base_url}/auth/login", data=form, allow_redirects=False
    ) as response:
        if response.status != 302:
            raise RuntimeError(f"signing in as {client.username} answered {response.status}")


async def get_token(client, base_url, password):
    auth = aiohttp.BasicAuth(client.username, password)
    async with client.session.post(f"{base_url}/api/tokens", auth=auth) as response:
        if response.status != 200:
            raise RuntimeError(f"POST /api/tokens answered {response.status}")
        client.token = (await response.json())["token"]


async def open_clients(base_url, usernames, password, api=False):
    clients = []
    for number, username in enumerate(usernames):
        session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # keep cookies for 127.0.0.1
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=60),
        )
        clients.append(Client(number, username, session))
    # Sign in a few at a time: password hashing is deliberately slow.
    for start in range(0, len(clients), 4):
        batch = clients[start : start + 4]
        await asyncio.gather(*(sign_in(c, base_url, password) for c in batch))
        if api:
            await asyncio.gather(*(get_token(c, base_url, password) for c in batch))
    return clients


async def close_clients(clients):
    await asyncio.gather(*(c.session.close() for c in clients))


async def send(client, base_url, request):
    headers = {}
    data = request.data
    if request.api:
        headers["Authorization"] = f"Bearer {client.token}"
        headers["Accept"] = "application/json"
    elif request.method != "GET":
        data = {**(data or {}), "csrfmiddlewaretoken": client.csrf_token}
    async with client.session.request(
        request.method,
        f"{base_url}{request.path}",
        data=data,
        headers=headers,
        allow_redirects=False,
    ) as response:
        await response.read()
        return response.status, response.headers


async def drive(base_url, clients, make_request, seconds, warmup):
    """Run every client in a closed loop for warmup + seconds; measure the last `seconds`."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    result = Result(seconds=seconds)

    async def run_client(client):
        i = 0
        while loop.time() < stop_at:
            request = make_request(client, i)
            i += 1
            began = time.perf_counter()
            what = ""
            try:
                status, headers = await send(client, base_url, request)
                if status not in request.expect:
                    cause = headers.get("X-Exception", "")
                    what = f"{request.method} {request.path}: {status} {cause}"
            except (TimeoutError, aiohttp.ClientError) as error:
                status, headers = None, {}
                what = f"{request.method} {request.path}: {type(error).__name__} {error}"
            elapsed = time.perf_counter() - began
            if loop.time() < measure_from:
                continue
            if loop.time() > stop_at:
                break
            result.latencies.append(elapsed)
            if "X-DB-Queries" in headers:
                result.queries.append(int(headers["X-DB-Queries"]))
            if what:
                result.record_error(what)

    await asyncio.gather(*(run_client(c) for c in clients))
    return result


def median(values):
    values = [v for v in values if v == v]  # no NaN
    return statistics.median(values) if values else float("nan")
