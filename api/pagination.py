"""The tutorial's collection envelope: items, _meta and _links, with ?page= and ?per_page=."""

import math

from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from microblog.pagination import MAX_PAGE


def _positive_int(value, default, maximum):
    """A whole number from 1 to `maximum`; anything unusable means `default`."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if number < 1:
        return default
    return min(number, maximum)


class EnvelopePagination(BasePagination):
    page_size = 10
    max_page_size = 100
    page_query_param = "page"
    page_size_query_param = "per_page"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page = _positive_int(request.query_params.get(self.page_query_param), 1, MAX_PAGE)
        self.per_page = _positive_int(
            request.query_params.get(self.page_size_query_param),
            self.page_size,
            self.max_page_size,
        )
        self.total_items = queryset.count()
        self.total_pages = math.ceil(self.total_items / self.per_page)
        offset = (self.page - 1) * self.per_page
        return list(queryset[offset : offset + self.per_page])

    def _link(self, page):
        url = replace_query_param(self.request.build_absolute_uri(), self.page_query_param, page)
        return replace_query_param(url, self.page_size_query_param, self.per_page)

    def get_paginated_response(self, data):
        return Response(
            {
                "items": data,
                "_meta": {
                    "page": self.page,
                    "per_page": self.per_page,
                    "total_pages": self.total_pages,
                    "total_items": self.total_items,
                },
                "_links": {
                    "self": self._link(self.page),
                    "next": self._link(self.page + 1) if self.page < self.total_pages else None,
                    "prev": self._link(self.page - 1) if self.page > 1 else None,
                },
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri"}
        nullable_link = {**link, "nullable": True}
        return {
            "type": "object",
            "required": ["items", "_meta", "_links"],
            "properties": {
                "items": schema,
                "_meta": {
                    "type": "object",
                    "properties": {
                        name: {"type": "integer"}
                        for name in ("page", "per_page", "total_pages", "total_items")
                    },
                },
                "_links": {
                    "type": "object",
                    "properties": {"self": link, "next": nullable_link, "prev": nullable_link},
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Items per page (default {self.page_size}, at most "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
