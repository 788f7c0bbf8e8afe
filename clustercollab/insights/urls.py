from django.urls import path

from clustercollab.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:indicator>/", views.indicator_detail, name="indicator"),
    path("<slug:indicator>.csv", views.indicator_csv, name="csv"),
]
