from django.urls import include, path

from clustercollab.content import views

app_name = "content"

# URL prefix of each member content type.
PREFIXES = {"news": "news", "event": "events", "call": "calls", "story": "stories"}

# Fixed paths (new, edit, submit) come before the detail paths, whose slug would take them.
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
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/<slug:slug>/", views.news_detail, name="news_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/calendar/", views.event_calendar, name="event_calendar_now"),
    path("events/calendar/<int:year>/<int:month>/", views.event_calendar, name="event_calendar"),
    path("events/<int:pk>/<slug:slug>/", views.event_detail, name="event_detail"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/closing-soon/", views.calls_closing_soon, name="calls_closing_soon"),
    path("calls/<int:pk>/<slug:slug>/", views.call_detail, name="call_detail"),
    path("stories/", views.story_list, name="story_list"),
    path("stories/<int:pk>/<slug:slug>/", views.story_detail, name="story_detail"),
    path("policy/", views.policy_list, name="policy_list"),
    path("policy/<str:code>/", views.policy_detail, name="policy_detail"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campaigns/<slug:slug>/submit-event/",
        views.campaign_submit_event,
        name="campaign_submit_event",
    ),
    path("my-content/", views.my_content, name="my_content"),
    path("moderation/all/", views.moderation_queue, name="moderation_queue"),
    path(
        "moderation/content/<str:kind>/<int:pk>/",
        views.moderation_review,
        name="moderation_review",
    ),
    # Feeds, sitemap, follows and digests (issue 4 items 4–5).
    path("", include("clustercollab.content.feeds.urls")),
    path("", include("clustercollab.content.follows.urls")),
]
