"""A Whoosh engine for Haystack that waits for the index's write lock instead of failing.

Whoosh allows one writer at a time. Haystack's own Whoosh backend removes documents with a
writer that raises LockError at once (and then logs and drops the removal), and updates
through an AsyncWriter thread. This backend takes the lock with a timeout and lets any error
propagate, so the caller (posts.search) can retry instead of losing the change. It also folds
accents, so "cancion" finds "canción" and the other way round.

For `posts.search.search_posts()` it also serves searches more cheaply than Haystack's
`search()`, which opens a new Whoosh searcher (every segment of the index) for each query and
pages by counting every match: `snapshot()` keeps one searcher per thread for as long as the
index has not changed, and `top_ids()` asks Whoosh for just the best `limit` hits, which lets
it skip blocks of postings that cannot make the cut.
"""

import hashlib
import os
import threading
from dataclasses import dataclass

from haystack.backends.whoosh_backend import WhooshEngine as HaystackWhooshEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh import scoring
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.fields import TEXT
from whoosh.index import TOC, EmptyIndexError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map
from whoosh.util.numeric import byte_to_length

WRITE_LOCK_TIMEOUT = 15.0  # seconds to wait for another writer (e.g. update_index) to commit
WRITE_LOCK_DELAY = 0.02

_threads = threading.local()  # .snapshots: {index path: Snapshot} for this thread


@dataclass
class Snapshot:
    """A searcher on one committed generation of the index, and a name for that state.

    `version` is the generation number and a digest of its table of contents, which lists
    the segments (by random names) and their deleted documents: any commit, by any process,
    changes it, and two different states of the index never share it. posts.search keys its
    results cache with it.
    """

    pid: int
    generation: int
    toc: bytes
    version: str
    searcher: Searcher


# Whoosh stores each document's field length in one byte; this is what each byte stands for
# (0: no length, as Whoosh's W3PerDocReader.doc_field_length() answers).
LENGTH_OF_BYTE = [None] + [byte_to_length(b) for b in range(1, 256)]


def field_lengths(reader, fieldname):
    """The length bytes of `fieldname` for every document of a segment, read once per reader.

    Scoring a document asks for its length, which Whoosh reads through several layers each
    time; the bytes of a whole segment take one read. They are kept on the reader, which
    snapshot() keeps as long as its segment is unchanged. None when Whoosh does not store
    the lengths in this way (then scoring goes the usual way).
    """
    cache = reader.__dict__.setdefault("_microblog_field_lengths", {})
    if fieldname not in cache:
        lengths = None
        try:  # Whoosh 2.7's (its last release) W3 codec: a column of one byte per document
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is not None and column._fixedlen == 1:
                lengths = column._dbfile.get(column._basepos, column._count)
                lengths += bytes(column._doccount - column._count)  # the rest: no length
        except AttributeError:
            lengths = None
        cache[fieldname] = lengths
    return cache[fieldname]


class BM25F(scoring.BM25F):
    """Whoosh's BM25F (Haystack's default weighting), reading document lengths per segment."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        reader = searcher.reader()
        if type(scorer) is scoring.BM25FScorer and type(reader) is SegmentReader:
            lengths = field_lengths(reader, fieldname)
            if lengths is not None:
                table = LENGTH_OF_BYTE
                scorer.dfl = lambda docnum: table[lengths[docnum]]
        return scorer


def text_analyzer():
    return StemmingAnalyzer() | CharsetFilter(accent_map)


class WhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for _name, field in schema.items():
            if isinstance(field, TEXT):
                field.analyzer = text_analyzer()
        return content_field_name, schema

    def snapshot(self):
        """This thread's searcher on the latest commit of the index, renewed only when it changed.

        Checking costs a directory listing and reading the small TOC file of the latest
        generation. Whoosh's own `Searcher.refresh()` compares generation numbers only, which
        repeat after an index is deleted and created again (Haystack's `clear()`, hence
        `rebuild_index`); the TOC's bytes do not, since they name the segments, and segment
        names are random. When the index changed, the readers of segments that are still
        there with the same deletions are kept (opening the big segments again is most of the
        cost; Whoosh's `refresh()` means to reuse them but never does), so a commit adding a
        post costs the next search little. Raises OSError or whoosh.index.IndexError while a
        rebuild swaps the files (the caller retries).
        """
        if not self.setup_complete:
            self.setup()
        snapshots = _threads.__dict__.setdefault("snapshots", {})
        current = snapshots.get(self.path)
        if current is not None and current.pid != os.getpid():
            del snapshots[self.path]  # inherited through fork(): its open files are the parent's
            current = None
        ix = self.index
        generation = ix.latest_generation()
        if generation < 0:
            raise EmptyIndexError(f"no index in {self.path}")
        with self.storage.open_file(TOC._filename(ix.indexname, generation)) as f:
            toc = f.read()
        if current is not None and current.generation == generation and current.toc == toc:
            return current
        # A segment never changes but for its deletions, which only grow: the same name and
        # deleted count mean the same contents.
        reusable = {}
        if current is not None:
            del snapshots[self.path]
            for leaf, _offset in current.searcher.reader().leaf_readers():
                if isinstance(leaf, SegmentReader):  # not an EmptyReader
                    segment = leaf.segment()
                    reusable[(segment.segment_id(), segment.deleted_count())] = leaf
        readers = []
        try:
            info = TOC.read(self.storage, ix.indexname, gen=generation, schema=ix._schema)
            for segment in info.segments:
                reader = reusable.pop((segment.segment_id(), segment.deleted_count()), None)
                if reader is None:
                    reader = SegmentReader(self.storage, info.schema, segment, generation)
                readers.append(reader)
        except BaseException:
            for reader in readers:
                reader.close()
            raise
        finally:
            for reader in reusable.values():
                reader.close()
        if not readers:
            reader = EmptyReader(info.schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=generation)
        searcher = Searcher(reader, fromindex=ix, weighting=BM25F())
        version = f"{generation}-{hashlib.sha256(toc).hexdigest()}"
        snapshot = Snapshot(os.getpid(), generation, toc, version, searcher)
        snapshots[self.path] = snapshot
        return snapshot

    def top_ids(self, searcher, query_string, limit, models=None):
        """The Haystack ids (django_id) of the best `limit` hits for a Haystack query string.

        The same parser, query and order as `search()` gives for `SearchQuerySet.auto_query()`
        (best score first, then index order), without counting the matches; `models` narrows
        the hits as Haystack's `models()` does.
        """
        if not self.setup_complete:
            self.setup()
        # search() answers nothing for an empty or one-character query, and for nothing parsed.
        if len(query_string) == 0 or (len(query_string) <= 1 and query_string != "*"):
            return []
        parsed = self.parser.parse(query_string)
        if parsed is None:
            return []
        narrow = None
        if models:
            choices = sorted(get_model_ct(model) for model in models)
            narrow = self.parser.parse(" OR ".join(f"{DJANGO_CT}:{ct}" for ct in choices))
        try:
            hits = searcher.search(parsed, limit=limit, filter=narrow)
        except ValueError:
            if not self.silently_fail:
                raise
            return []
        return [hit[DJANGO_ID] for hit in hits]

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
