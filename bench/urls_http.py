"""The site's URLs plus ``/bench/bare``, a view that touches no database (bench/http.py only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The cheapest Django response: the middleware stack and a view, no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare", bare),
    path("", include("clustercollab.urls")),
]
