"""Pagination for the site's lists without counting the table.

Newer/Older links only need to know whether a next page exists, so a page fetches one row
more than it shows instead of running COUNT(*) over every matching row.
"""

from dataclasses import dataclass, field

from django.conf import settings

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
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
