"""Page-number pagination that answers 400 with a message for a page that cannot be served.

Counting every match is most of the cost of a list request on a large directory, so the count
of each filter combination is cached for a minute (like the home page's figures): a profile
published meanwhile appears at once, but the total may lag by up to that minute.
"""

import hashlib
from collections import OrderedDict
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

COUNT_CACHE_SECONDS = 60
# Parameters that choose a page or an order but never change how many results there are.
NOT_COUNTED = {"page", "page_size", "sort", "format"}


class CachedCountPaginator(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, cache_key: str) -> None:
        super().__init__(object_list, per_page)
        self.cache_key = cache_key

    @cached_property
    def count(self) -> int:
        count = cache.get(self.cache_key)
        if count is None:
            count = super().count
            cache.set(self.cache_key, count, COUNT_CACHE_SECONDS)
        return count


def count_cache_key(request: Request) -> str:
    params = sorted(
        (name, value)
        for name, values in request.query_params.lists()
        if name not in NOT_COUNTED
        for value in values
    )
    digest = hashlib.sha256(repr((request.path, params)).encode()).hexdigest()
    return f"api:count:{digest}"


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def _page_number(self, request: Request) -> int:
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "":
            return 1
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise ValidationError(
                {self.page_query_param: [_("Enter a whole number from 1 upwards.")]}
            )
        return number

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: object | None = None
    ) -> list:
        page_size = self.get_page_size(request)
        number = self._page_number(request)
        # The count cache is keyed by address and parameters only, so it serves anonymous callers
        # alone (what a member sees may differ per member); other sequences (the directory's)
        # count fast.
        if not request.user.is_authenticated and isinstance(queryset, QuerySet):
            paginator = CachedCountPaginator(
                queryset, page_size, cache_key=count_cache_key(request)
            )
        else:
            paginator = Paginator(queryset, page_size)
        if number > paginator.num_pages:
            raise ValidationError(
                {
                    self.page_query_param: [
                        ngettext(
                            "Page %(number)d is past the end: there is %(pages)d page.",
                            "Page %(number)d is past the end: there are %(pages)d pages.",
                            paginator.num_pages,
                        )
                        % {"number": number, "pages": paginator.num_pages}
                    ]
                }
            )
        self.page = paginator.page(number)
        self.request = request
        return list(self.page)

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", self.page.paginator.count),
                    ("pages", self.page.paginator.num_pages),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response_schema = super().get_paginated_response_schema(schema)
        response_schema["properties"]["pages"] = {"type": "integer", "example": 7}
        response_schema["required"] = ["count", "pages", "results"]
        return response_schema


class TaxonomyPagination(PageNumberPagination):
    """Taxonomies are short: a client can take even NACE (996 codes) in one page."""

    page_size = 100
    max_page_size = 1000
