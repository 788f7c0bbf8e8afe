"""The REST API's URL map: each app keeps its endpoints in its own api.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"
urlpatterns = [
    path("v1/", include("clustercollab.core.api")),
    path("v1/", include("clustercollab.organisations.api")),
    path("v1/", include("clustercollab.content.api")),
    path("v1/", include("clustercollab.partnering.api")),
    path("v1/", include("clustercollab.matchmaking.api")),
    path("v1/", include("clustercollab.response.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
