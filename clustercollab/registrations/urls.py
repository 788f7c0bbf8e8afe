from django.urls import path

from clustercollab.registrations import views

app_name = "registrations"
# Three path segments under events/<pk>/: content's events/<pk>/<slug>/ never catches them.
urlpatterns = [
    path("events/my-registrations/", views.my_registrations, name="mine"),
    path("events/<int:pk>/registration/interest/", views.interest, name="interest"),
    path("events/<int:pk>/registration/register/", views.register, name="register"),
    path("events/<int:pk>/registration/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/registration/settings/", views.setup, name="setup"),
    path("events/<int:pk>/registration/manage/", views.manage, name="manage"),
    path("events/<int:pk>/registration/export.csv", views.export, name="export"),
    path(
        "events/<int:pk>/registration/<int:registration_pk>/cancel/",
        views.organiser_cancel,
        name="organiser_cancel",
    ),
]
