from django.urls import path

from clustercollab.matching import views

app_name = "matching"
urlpatterns = [
    path(
        "organisations/<int:pk>/recommended/",
        views.recommended_partners,
        name="recommended_partners",
    ),
]
