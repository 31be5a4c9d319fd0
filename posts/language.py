"""Language detection of post bodies: langdetect, made deterministic and cautious."""

import threading

from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

# langdetect samples at random: a fixed seed makes the same text always give the same answer.
DetectorFactory.seed = 0

# langdetect loads its profiles on first use without a lock: two threads of one worker could
# otherwise both start loading, and one detect with half the profiles.
_profiles_lock = threading.Lock()
_profiles_loaded = False


def load_profiles():
    """Load langdetect's language profiles now, once per process (about 1 s and 65 MB).

    The web processes call it at start-up (microblog/wsgi.py), so that no request pays for
    it; other processes (commands, tests) load them on their first detection.
    """
    global _profiles_loaded
    with _profiles_lock:
        if not _profiles_loaded:
            init_factory()
            _profiles_loaded = True


# Below this many letters, or this confidence, langdetect guesses ("ok" is Slovak, "Hola"
# Turkish): an empty language is better than a wrong Translate link.
MIN_LETTERS = 10
MIN_PROBABILITY = 0.7


def detect_language(text):
    """The language code of `text` (e.g. "es", "zh-cn"), or "" when too short or unsure."""
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return ""
    load_profiles()
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return ""
    return best.lang[:5] if best.prob >= MIN_PROBABILITY else ""


def backfill_languages(posts, batch_size=500):
    """Detect and store the language of the posts in the queryset `posts`.

    Returns how many rows changed.
    """
    manager = posts.model._default_manager  # also right for a migration's historical model
    changed = []
    count = 0
    for post in posts.only("pk", "body", "language").iterator(chunk_size=batch_size):
        language = detect_language(post.body)
        if language != post.language:
            post.language = language
            changed.append(post)
        if len(changed) >= batch_size:
            manager.bulk_update(changed, ["language"])
            count += len(changed)
            changed = []
    if changed:
        manager.bulk_update(changed, ["language"])
        count += len(changed)
    return count
