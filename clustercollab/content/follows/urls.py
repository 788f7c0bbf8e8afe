"""Follow and digest URLs, included by content/urls.py into the "content" namespace."""

from django.urls import path

from clustercollab.content.follows import views

urlpatterns = [
    path("follows/", views.my_follows, name="follows"),
    path("follows/add/", views.follow_add, name="follow_add"),
    path("follows/<int:pk>/remove/", views.follow_remove, name="follow_remove"),
    path("digests/resume/", views.digest_resume, name="digest_resume"),
    path("digests/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
]
