"""Filter backends shared by the API's list endpoints."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.views import APIView


class KnownParametersOnly(BaseFilterBackend):
    """Answer 400 for a query parameter the endpoint does not know (a typo would else be ignored
    silently and the client would get unfiltered results)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        known = set()
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            known |= {paginator.page_query_param, paginator.page_size_query_param}
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            message = _("Unknown parameter. This endpoint takes: %(known)s.") % {
                "known": ", ".join(sorted(known)) or "—"
            }
            raise ValidationError({name: [message] for name in unknown})
        return queryset


STRICT_FILTER_BACKENDS = [KnownParametersOnly, DjangoFilterBackend]
