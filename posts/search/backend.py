"""The Whoosh engine for Haystack: accent folding, and one writer at a time across processes.

Whoosh allows one writer per index: a second one gets LockError at once, and Haystack's
`remove()` then logs the error and drops the change. Every write of this engine (update,
remove, clear) holds `writer_turn()`, a lock file beside the index taken with flock(2), so
writers in other processes wait for their turn instead; the sync job holds the same turn
while it reads the database and writes, so the last writer always writes the latest state.

Every write also renews a version stamp beside the index, which `index_version()` reads: the
search results cache (posts.search.query) keys its entries with it.
"""

import fcntl
import os
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine as HaystackWhooshEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.constants import ID
from haystack.utils import get_identifier
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.fields import TEXT
from whoosh.index import LockError
from whoosh.support.charset import accent_map

LOCK_TIMEOUT = 60.0  # seconds a writer waits for its turn
WHOOSH_LOCK_TIMEOUT = 15.0  # ... and then for Whoosh's own lock (held only by outside writers)


class _Turns(threading.local):
    def __init__(self):
        self.held = set()  # the lock files this thread holds


_turns = _Turns()


def index_path():
    """The directory of a file-based index (None for a search server such as Elasticsearch)."""
    path = connections.connections_info["default"].get("PATH")
    return Path(os.fspath(path).rstrip("/")) if path else None


def _beside_index(suffix):
    path = index_path()
    return path.with_name(path.name + suffix) if path else None


@contextmanager
def writer_turn(timeout=None):
    """Hold the index's one writer's turn across processes, waiting up to `timeout` seconds.

    Re-entrant within a thread (flock would refuse a second descriptor of the same process);
    raises whoosh's LockError if the turn does not come.
    """
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    path = _beside_index(".lock")
    held = _turns.held
    if path is None or path in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockError(f"waited {timeout} s for the search index writer") from None
                time.sleep(0.01)
        held.add(path)
        try:
            yield
        finally:
            held.discard(path)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def index_version():
    """A name for what the index holds now; None for an index that is not a local directory.

    The stamp changes with every write through this engine; the generation also changes when
    the index directory is deleted or written to from outside.
    """
    stamp = _beside_index(".version")
    if stamp is None:
        return None
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    try:
        written = stamp.read_text()
    except FileNotFoundError:
        written = ""
    return f"{written}-{backend.index.latest_generation()}"


def _renew_version():
    stamp = _beside_index(".version")
    if stamp is not None:
        fresh = stamp.with_name(stamp.name + ".new")
        fresh.write_text(uuid.uuid4().hex)
        os.replace(fresh, stamp)


def text_analyzer():
    """Haystack's stemming analyzer, folding accents: "cancion" finds "canción" and back."""
    return StemmingAnalyzer() | CharsetFilter(accent_map)


class WhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for _name, field in schema.items():
            if isinstance(field, TEXT):
                field.analyzer = text_analyzer()
        return content_field_name, schema

    def update(self, index, iterable, commit=True):
        with writer_turn():
            super().update(index, iterable, commit=commit)
            _renew_version()

    def load(self, index, iterable, procs=1):
        """Add the documents of `iterable` to an index just cleared, in one commit.

        The bulk path for a rebuild: `update()` looks up every document's older copy, which
        an empty index does not have, and writes in one process. The values of
        `full_prepare()` go to Whoosh as they are: Whoosh's fields take Python strings,
        numbers and datetimes (PostIndex has text only).
        """
        with writer_turn():
            if not self.setup_complete:
                self.setup()
            self.index = self.index.refresh()
            writer = self.index.writer(
                procs=procs, multisegment=procs > 1, limitmb=128, timeout=WHOOSH_LOCK_TIMEOUT
            )
            try:
                for obj in iterable:
                    document = index.full_prepare(obj)
                    document.pop("boost", None)  # Whoosh has no document boosts
                    writer.add_document(**document)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            _renew_version()

    def remove(self, obj_or_string, commit=True):
        self.remove_many([obj_or_string])

    def remove_many(self, objs_or_strings):
        """Take documents out of the index in one commit (Haystack's remove() commits each)."""
        if not objs_or_strings:
            return
        with writer_turn():
            if not self.setup_complete:
                self.setup()
            self.index = self.index.refresh()
            with self.index.writer(timeout=WHOOSH_LOCK_TIMEOUT) as writer:
                for obj_or_string in objs_or_strings:
                    writer.delete_by_term(ID, get_identifier(obj_or_string))
            _renew_version()

    def clear(self, models=None, commit=True):
        with writer_turn():
            super().clear(models=models, commit=commit)
            _renew_version()


class WhooshEngine(HaystackWhooshEngine):
    backend = WhooshBackend


def remove_documents(backend, objs_or_strings):
    """Take documents out of the index: in one commit with this engine, one by one otherwise."""
    if isinstance(backend, WhooshBackend):
        backend.remove_many(objs_or_strings)
    else:
        for obj_or_string in objs_or_strings:
            backend.remove(obj_or_string)
