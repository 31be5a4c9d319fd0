"""Pagination for the site's lists without counting the table.

Newer/Older links only need to know whether a next page exists, so a page fetches one row
more than it shows instead of running COUNT(*) over every matching row.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

MAX_PAGE = 100_000  # past this the offset is meaningless, and huge numbers overflow SQLite


def page_number(request, param="page"):
    """The requested page: anything that is not a positive whole number means page 1."""
    try:
        number = int(request.GET.get(param, 1))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def is_past_the_end(self):
        return not self.object_list and self.number > 1


def paginate(request, queryset, per_page=None, param="page"):
    per_page = per_page or settings.POSTS_PER_PAGE
    number = page_number(request, param)
    offset = (number - 1) * per_page
    rows = list(page_rows(queryset, offset, per_page + 1))
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


def page_rows(queryset, offset, limit):
    """Rows offset..offset+limit of `queryset`, in one query that stays fast on deep pages.

    A plain model queryset picks the page's primary keys in a narrow subquery (only the
    ordering columns and keys, which an index can cover, get sorted and skipped) and reads
    whole rows, joins included, for those keys only. Anything else is sliced as it is.
    """
    query = getattr(queryset, "query", None)
    if (
        not isinstance(queryset, QuerySet)
        or queryset._fields is not None  # values() / values_list()
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or not query.order_by
    ):
        return queryset[offset : offset + limit]
    keys = queryset.values("pk")[offset : offset + limit]
    return queryset.filter(pk__in=keys)
