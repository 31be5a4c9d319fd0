"""Live translation of posts: one small interface, two real providers, cached results.

`translate(text, source_language, dest_language)` is what the view calls. The provider is
chosen by settings (TRANSLATOR_PROVIDER, TRANSLATOR_URL, TRANSLATOR_KEY, TRANSLATOR_REGION,
TRANSLATOR_TIMEOUT); every failure becomes a `TranslationError` whose message the user can
read, in their language.
"""

import hashlib
import logging

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# A post is at most 140 characters; this leaves room and refuses anything absurd.
MAX_TEXT_LENGTH = 1000

# The languages langdetect can name (the codes stored in Post.language).
DETECTABLE_LANGUAGES = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk "
    "ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh-cn zh-tw".split()
)


def known_languages():
    """Codes accepted as source or destination: detectable ones and the site's own."""
    return DETECTABLE_LANGUAGES | {code for code, _name in settings.LANGUAGES}


class TranslationError(Exception):
    """A failure whose message (already translated) can be shown to the user as it is."""

    status = 502

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TranslationNotConfigured(TranslationError):
    status = 503


class TranslationTimeout(TranslationError):
    status = 504


class Translator:
    """A translation provider. Subclasses build the request and read the answer."""

    name = ""
    # Our codes (langdetect's) that the provider spells differently.
    language_codes = {}

    def __init__(self, *, url, key="", region="", timeout=5.0):
        self.url = url.rstrip("/")
        self.key = key
        self.region = region
        self.timeout = timeout

    def translate(self, text, source_language, dest_language):
        raise NotImplementedError

    def code(self, language):
        return self.language_codes.get(language, language)

    def post_json(self, url, **kwargs):
        """POST with a timeout; the decoded JSON answer, or a readable TranslationError."""
        try:
            response = requests.post(url, timeout=self.timeout, **kwargs)
        except requests.Timeout as error:
            logger.warning("%s translator timed out: %s", self.name, error)
            raise TranslationTimeout(
                _("The translation service took too long to answer. Please try again later.")
            ) from error
        except requests.RequestException as error:
            logger.warning("%s translator unreachable: %s", self.name, error)
            raise TranslationError(
                _("The translation service could not be reached. Please try again later.")
            ) from error
        if response.status_code != 200:
            logger.warning(
                "%s translator answered %s: %s",
                self.name,
                response.status_code,
                response.text[:500],
            )
            raise TranslationError(
                _("The translation service could not translate this text. Please try again later.")
            )
        try:
            return response.json()
        except ValueError as error:
            raise self.bad_answer(response.text) from error

    def bad_answer(self, answer):
        logger.warning("%s translator gave an unreadable answer: %.500r", self.name, answer)
        return TranslationError(_("The translation service gave an answer that could not be read."))


class AzureTranslator(Translator):
    """Azure AI Translator, REST API v3: POST {endpoint}/translate?api-version=3.0."""

    name = "azure"
    default_url = "https://api.cognitive.microsofttranslator.com"
    language_codes = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant", "no": "nb", "tl": "fil"}

    def translate(self, text, source_language, dest_language):
        headers = {"Ocp-Apim-Subscription-Key": self.key}
        if self.region:  # required by regional and multi-service resources
            headers["Ocp-Apim-Subscription-Region"] = self.region
        answer = self.post_json(
            f"{self.url}/translate",
            params={
                "api-version": "3.0",
                "from": self.code(source_language),
                "to": self.code(dest_language),
                "textType": "plain",
            },
            headers=headers,
            json=[{"Text": text}],
        )
        try:
            translated = answer[0]["translations"][0]["text"]
        except (KeyError, IndexError, TypeError) as error:
            raise self.bad_answer(answer) from error
        if not isinstance(translated, str):
            raise self.bad_answer(answer)
        return translated


class LibreTranslateTranslator(Translator):
    """A (self-hosted) LibreTranslate server: POST {url}/translate."""

    name = "libretranslate"
    language_codes = {"zh-cn": "zh", "zh-tw": "zt", "no": "nb"}

    def translate(self, text, source_language, dest_language):
        payload = {
            "q": text,
            "source": self.code(source_language),
            "target": self.code(dest_language),
            "format": "text",
        }
        if self.key:
            payload["api_key"] = self.key
        answer = self.post_json(f"{self.url}/translate", json=payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise self.bad_answer(answer)
        return translated


PROVIDERS = {cls.name: cls for cls in (AzureTranslator, LibreTranslateTranslator)}


def get_translator():
    """The provider the settings choose, or None when translation is not configured."""
    cls = PROVIDERS.get(settings.TRANSLATOR_PROVIDER)
    if cls is None:
        return None
    url = settings.TRANSLATOR_URL or getattr(cls, "default_url", "")
    if not url or (cls is AzureTranslator and not settings.TRANSLATOR_KEY):
        return None
    return cls(
        url=url,
        key=settings.TRANSLATOR_KEY,
        region=settings.TRANSLATOR_REGION,
        timeout=settings.TRANSLATOR_TIMEOUT,
    )


def translate(text, source_language, dest_language):
    """`text` translated from `source_language` to `dest_language`, cached.

    Raises TranslationError (or a subclass) with a message for the user.
    """
    translator = get_translator()
    if translator is None:
        raise TranslationNotConfigured(_("The translation service is not configured."))
    if source_language == dest_language:
        return text
    digest = hashlib.sha256(
        "\0".join([translator.name, source_language, dest_language, text]).encode()
    ).hexdigest()
    key = f"translation:{digest}"
    translated = cache.get(key)
    if translated is None:
        translated = translator.translate(text, source_language, dest_language)
        cache.set(key, translated, settings.TRANSLATOR_CACHE_TIMEOUT)
    return translated
