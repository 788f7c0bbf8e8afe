from django.urls import path

from clustercollab.response import views

app_name = "response"
urlpatterns = [
    path("", views.portal_list, name="portals"),
    path("new/", views.portal_create, name="portal_create"),
    path("moderation/", views.forum_moderation_queue, name="forum_queue"),
    path("<slug:slug>/", views.portal_detail, name="portal"),
    path("<slug:slug>/status/", views.portal_status, name="portal_status"),
    path("<slug:slug>/map.geojson", views.portal_map, name="portal_map"),
    path("<slug:slug>/supplies/", views.listing_list, name="listings"),
    path("<slug:slug>/supplies/new/<str:side>/", views.listing_create, name="listing_create"),
    path("<slug:slug>/supplies/<int:pk>/", views.listing_detail, name="listing"),
    path(
        "<slug:slug>/supplies/<int:pk>/withdraw/", views.listing_withdraw, name="listing_withdraw"
    ),
    path("<slug:slug>/supplies/<int:pk>/propose/", views.match_propose, name="match_propose"),
    path("<slug:slug>/matches/<int:pk>/", views.match_detail, name="match"),
    path("<slug:slug>/matches/<int:pk>/confirm/", views.match_confirm, name="match_confirm"),
    path("<slug:slug>/matches/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("<slug:slug>/forum/", views.forum, name="forum"),
    path("<slug:slug>/forum/new/", views.forum_post_create, name="post_create"),
    path("<slug:slug>/forum/<int:pk>/", views.forum_post_detail, name="post"),
    path("<slug:slug>/forum/<int:pk>/follow/", views.forum_post_follow, name="post_follow"),
    path("<slug:slug>/forum/<int:pk>/moderate/", views.forum_post_moderate, name="post_moderate"),
    path("<slug:slug>/export/matches.csv", views.export_matches, name="export_matches"),
    path("<slug:slug>/export/<str:side>s.csv", views.export_listings, name="export_listings"),
]
