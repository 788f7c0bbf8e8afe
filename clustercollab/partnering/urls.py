from django.urls import path

from clustercollab.partnering import views

app_name = "partnering"
urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("posts/<int:pk>/renew/", views.post_renew, name="post_renew"),
    path("posts/<int:pk>/archive/", views.post_archive, name="post_archive"),
    path("posts/<int:pk>/follow/", views.post_follow, name="post_follow"),
    path("posts/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("posts/<int:pk>/interest/", views.interest_create, name="interest_create"),
    path("unfollow/<str:token>/", views.unfollow_token, name="unfollow_token"),
    path("interests/<int:pk>/", views.interest_detail, name="interest_detail"),
    path("interests/<int:pk>/decide/", views.interest_decide, name="interest_decide"),
    path("contact/<int:organisation_pk>/", views.contact, name="contact"),
    path("threads/", views.thread_list, name="thread_list"),
    path("threads/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("threads/<int:pk>/share/", views.thread_share, name="thread_share"),
    path("threads/<int:pk>/block/", views.thread_block, name="thread_block"),
    path("threads/<int:pk>/report/", views.thread_report, name="thread_report"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/<int:pk>/", views.moderation_review, name="moderation_review"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/submit/", views.partnership_submit, name="partnership_submit"),
    path("partnerships/<int:pk>/invite/", views.partnership_invite, name="partnership_invite"),
    path(
        "partnerships/<int:pk>/moderate/", views.partnership_moderate, name="partnership_moderate"
    ),
    path(
        "partnerships/members/<int:pk>/answer/",
        views.partnership_answer,
        name="partnership_answer",
    ),
    path(
        "partnerships/members/<int:pk>/remove/",
        views.partnership_member_remove,
        name="partnership_member_remove",
    ),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/members/", views.network_members_add, name="network_members_add"),
    path(
        "networks/members/<int:pk>/remove/",
        views.network_member_remove,
        name="network_member_remove",
    ),
    path("calls/suggestions/", views.call_suggestions, name="call_suggestions"),
    path("graph/", views.graph_page, name="graph"),
    path("graph/data.json", views.graph_data, name="graph_data"),
]
