from django.urls import path

from clustercollab.organisations import views

app_name = "organisations"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisations/new/", views.organisation_create, name="create"),
    path("organisations/<int:pk>/<slug:slug>/", views.organisation_detail, name="detail"),
]
