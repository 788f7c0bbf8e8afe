from django.urls import path

from clustercollab.regional import views

app_name = "regional"
urlpatterns = [
    path("", views.supporter_home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("supporters/", views.staff_supporters, name="staff_supporters"),
    path("supporters/<int:pk>/revoke/", views.staff_supporter_revoke, name="staff_revoke"),
    path("<int:pk>/", views.area, name="area"),
    path("<int:pk>/export.csv", views.area_csv, name="area_csv"),
    path(
        "<int:pk>/organisations/<int:organisation_pk>/",
        views.area_organisation,
        name="organisation",
    ),
]
