from django.urls import path

from clustercollab.organisations import views

app_name = "organisations"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("directory/", views.directory, name="directory"),
    path("directory/map/", views.directory_map, name="directory_map"),
    path("directory/map.geojson", views.directory_geojson, name="directory_geojson"),
    path("directory/export.csv", views.directory_csv, name="directory_csv"),
    path("organisations/new/", views.organisation_create, name="create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="detail_short"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("organisations/<int:pk>/submit/", views.organisation_submit, name="submit"),
    path("organisations/<int:pk>/members/", views.members, name="members"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    # After the fixed paths above, so that "edit" or "members" is never taken for a slug.
    path("organisations/<int:pk>/<slug:slug>/", views.organisation_detail, name="detail"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/organisations/<int:pk>/", views.moderation_review, name="moderation_review"),
]
