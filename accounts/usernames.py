"""How usernames compare: NFKC-normalised and case-folded (`Émile`/`émile`, `ｓｕｓａｎ`/`susan`
are one name). The sign-in limits count failures per name in this form."""

import unicodedata


def lookup_key(username):
    return unicodedata.normalize("NFKC", username).casefold()
