from django.urls import path

from clustercollab.publications import views

app_name = "publications"

# URL prefix of each kind; fixed paths come before the detail paths, whose slug would take them.
PREFIXES = {"publication": "publications", "resource": "transition"}

urlpatterns = [
    *(
        pattern
        for kind, prefix in PREFIXES.items()
        for pattern in (
            path(f"{prefix}/new/", views.item_create, {"kind": kind}, name=f"{kind}_create"),
            path(f"{prefix}/<int:pk>/edit/", views.item_edit, {"kind": kind}, name=f"{kind}_edit"),
            path(
                f"{prefix}/<int:pk>/submit/",
                views.item_submit,
                {"kind": kind},
                name=f"{kind}_submit",
            ),
        )
    ),
    path("publications/", views.publication_list, name="publication_list"),
    path(
        "publications/<int:pk>/download.pdf",
        views.publication_download,
        name="publication_download",
    ),
    path(
        "publications/<int:pk>/<slug:slug>/",
        views.publication_detail,
        name="publication_detail",
    ),
    path("transition/", views.resource_list, name="resource_list"),
    path("transition/<int:pk>/<slug:slug>/", views.resource_detail, name="resource_detail"),
    path(
        "moderation/library/<str:kind>/<int:pk>/",
        views.moderation_review,
        name="moderation_review",
    ),
]
