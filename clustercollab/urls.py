from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from clustercollab import views

urlpatterns = [
    # First: nothing else starts with "api/", and an API call then skips trying the ~170 page
    # addresses below (a third of the time of a remembered API answer).
    path("api/", include("clustercollab.api.urls")),
    path("", views.home, name="home"),
    path("", include("clustercollab.core.urls")),
    # Before organisations: its "organisations/<pk>/<slug>/" would take ".../recommended/".
    path("", include("clustercollab.matching.urls")),
    path("", include("clustercollab.organisations.urls")),
    path("", include("clustercollab.content.urls")),
    path("", include("clustercollab.registrations.urls")),
    path("", include("clustercollab.publications.urls")),
    path("partnering/", include("clustercollab.partnering.urls")),
    path("matchmaking/", include("clustercollab.matchmaking.urls")),
    path("response/", include("clustercollab.response.urls")),
    path("regional/", include("clustercollab.regional.urls")),
    path("statistics/", include("clustercollab.insights.urls")),
    path("accounts/", include("clustercollab.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
