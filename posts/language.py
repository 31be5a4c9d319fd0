"""Language detection of post bodies: langdetect, made deterministic and cautious."""

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

# langdetect samples at random: a fixed seed makes the same text always give the same answer.
DetectorFactory.seed = 0

# Below this many letters, or this confidence, langdetect guesses ("ok" is Slovak, "Hola"
# Turkish): an empty language is better than a wrong Translate link.
MIN_LETTERS = 10
MIN_PROBABILITY = 0.7


def detect_language(text):
    """The language code of `text` (e.g. "es", "zh-cn"), or "" when too short or unsure."""
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return ""
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
