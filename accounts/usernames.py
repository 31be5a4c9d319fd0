"""How usernames compare: NFKC-normalised, case-folded, and apart from look-alikes.

`lookup_key` is what two usernames share when they are the same name in other letter case
or another Unicode form (`Émile`/`émile`, `Ωmega`/`ωmega`, `ｓｕｓａｎ`/`susan`); it is stored
on each user, unique and indexed, and every lookup by name goes through it. `skeleton` is the
Unicode TR39 confusable skeleton (disarm's `skeleton_key`): two names with one skeleton look
alike (`ѕusan` with a Cyrillic s, `susan`), so a new name may not take an existing skeleton.
"""

import unicodedata

from disarm import skeleton_key


def normalize(username):
    return unicodedata.normalize("NFKC", username)


def lookup_key(username):
    return normalize(username).casefold()


def skeleton(username):
    return skeleton_key(normalize(username))
