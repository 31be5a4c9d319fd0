"""A Whoosh engine for Haystack that waits for the index's write lock instead of failing.

Whoosh allows one writer at a time. Haystack's own Whoosh backend removes documents with a
writer that raises LockError at once (and then logs and drops the removal), and updates
through an AsyncWriter thread. This backend takes the lock with a timeout and lets any error
propagate, so the caller (posts.search) can retry instead of losing the change. It also folds
accents, so "cancion" finds "canción" and the other way round.
"""

from haystack.backends.whoosh_backend import WhooshEngine as HaystackWhooshEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.fields import TEXT
from whoosh.support.charset import accent_map

WRITE_LOCK_TIMEOUT = 15.0  # seconds to wait for another writer (e.g. update_index) to commit
WRITE_LOCK_DELAY = 0.02


def text_analyzer():
    return StemmingAnalyzer() | CharsetFilter(accent_map)


class WhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for _name, field in schema.items():
            if isinstance(field, TEXT):
                field.analyzer = text_analyzer()
        return content_field_name, schema

    def writer(self):
        """A writer holding the index's lock, waiting up to WRITE_LOCK_TIMEOUT for it."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index.writer(timeout=WRITE_LOCK_TIMEOUT, delay=WRITE_LOCK_DELAY)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        documents = []
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc = {key: self._from_python(value) for key, value in doc.items() if key != "boost"}
            documents.append(doc)
        if not documents:
            return
        with self.writer() as writer:
            # Whoosh's update_document() opens a searcher per document; one per batch will do.
            with writer.searcher() as searcher:
                for doc in documents:
                    for docnum in searcher.document_numbers(**{ID: doc[ID]}):
                        writer.delete_document(docnum)
            for doc in documents:
                writer.add_document(**doc)

    def remove(self, obj_or_string, commit=True):
        with self.writer() as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))


class WhooshEngine(HaystackWhooshEngine):
    backend = WhooshBackend
    query = WhooshSearchQuery
