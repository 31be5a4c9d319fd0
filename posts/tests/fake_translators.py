"""Local stand-ins for the translation providers: HTTP servers on 127.0.0.1.

Each speaks its provider's real request and response format, records every request it gets
(method, path, query, headers, body) and can be told to fail, answer garbage or be slow.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# What the fakes "know"; anything else comes back tagged with the target language.
PHRASES = {
    ("es", "en"): {
        "Hoy he visto el atardecer más bonito del año.": "Today I saw the most "
        "beautiful sunset of the year."
    },
    ("en", "es"): {
        "The tomatoes finally turned red this morning.": "Los tomates por fin se "
        "pusieron rojos esta mañana."
    },
}


def fake_translation(text, source, target):
    return PHRASES.get((source, target), {}).get(text, f"[{target}] {text}")


class Recorded:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


class FakeProvider:
    """Start with `with FakeAzure(key=...) as fake:`; `fake.url`, `fake.requests`.

    `mode` is "ok", "error" (the provider's own error answer), "garbage" (200, not JSON),
    "wrong-shape" (200, JSON of the wrong shape) or "slow" (answers after `delay` seconds).
    """

    def __init__(self, key="", mode="ok", delay=2.0):
        self.key = key
        self.mode = mode
        self.delay = delay
        self.requests = []
        self._server = None

    def answer(self, request):
        """(status, JSON-able body) for a well-formed request in mode "ok" or "error"."""
        raise NotImplementedError

    def _handle(self, handler):
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = Recorded(
            method=handler.command,
            path=parts.path,
            query={name: values[0] for name, values in parse_qs(parts.query).items()},
            headers={name.lower(): value for name, value in handler.headers.items()},
            body=handler.rfile.read(length),
        )
        self.requests.append(request)
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode == "garbage":
            status, payload = 200, b"<html>Service Unavailable</html>"
        elif self.mode == "wrong-shape":
            status, payload = 200, b'{"unexpected": []}'
        else:
            status, body = self.answer(request)
            payload = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout tests)

    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._handle(self)

            def log_message(self, format, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}"


class FakeAzure(FakeProvider):
    """Azure AI Translator v3: POST /translate?api-version=3.0&from=..&to=.., [{"Text": ..}]."""

    def answer(self, request):
        if request.headers.get("ocp-apim-subscription-key") != self.key:
            return 401, {
                "error": {
                    "code": 401000,
                    "message": "The request is not authorized because credentials are "
                    "missing or invalid.",
                }
            }
        if self.mode == "error":
            return 500, {"error": {"code": 500000, "message": "An unexpected error occurred."}}
        if request.path != "/translate" or request.query.get("api-version") != "3.0":
            return 404, {
                "error": {"code": 404001, "message": "The requested resource was not found."}
            }
        source, target = request.query.get("from"), request.query["to"]
        return 200, [
            {
                "translations": [
                    {"text": fake_translation(item["Text"], source, target), "to": target}
                ]
            }
            for item in request.json()
        ]


class FakeLibreTranslate(FakeProvider):
    """LibreTranslate: POST /translate with {"q", "source", "target", "format", "api_key"}."""

    def answer(self, request):
        payload = request.json()
        if self.key and payload.get("api_key") != self.key:
            return 403, {"error": "Invalid API key"}
        if self.mode == "error":
            return 500, {"error": "Cannot translate text: internal error"}
        if request.path != "/translate":
            return 404, {"error": "Not Found"}
        return 200, {
            "translatedText": fake_translation(payload["q"], payload["source"], payload["target"])
        }
