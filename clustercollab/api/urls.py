"""The REST API's URL map: each app keeps its endpoints in its own api.py."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clustercollab.api import views

app_name = "api"
urlpatterns = [
    path("v1/", include("clustercollab.core.api")),
    path("v1/", include("clustercollab.organisations.api")),
    path("v1/", include("clustercollab.content.api")),
    path("v1/", include("clustercollab.partnering.api")),
    path("v1/", include("clustercollab.matchmaking.api")),
    path("v1/", include("clustercollab.response.api")),
    path("v1/", include("clustercollab.registrations.api")),
    path("v1/", include("clustercollab.regional.api")),
    path("v1/", include("clustercollab.publications.api")),
    path("v1/", include("clustercollab.insights.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Last: whatever no endpoint above answers. Only addresses ending in a slash, so that a
    # missing final slash is still redirected (APPEND_SLASH) to the endpoint.
    re_path(r"^(?:.*/)?$", views.not_found),
]
