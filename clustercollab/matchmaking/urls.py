from django.urls import path

from clustercollab.matchmaking import views

app_name = "matchmaking"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_create, name="create"),
    path("feed/<str:token>.ics", views.agenda_feed, name="agenda_feed"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/setup/", views.event_setup, name="setup"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/applications/", views.applications, name="applications"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path(
        "<int:pk>/participants/<int:participant_pk>/",
        views.participant_detail,
        name="participant",
    ),
    path("<int:pk>/me/", views.my_profile, name="my_profile"),
    path("<int:pk>/requests/", views.requests, name="requests"),
    path(
        "<int:pk>/requests/<int:request_pk>/<str:action>/",
        views.request_action,
        name="request_action",
    ),
    path("<int:pk>/agenda/", views.my_agenda, name="agenda"),
    path("<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:pk>/meetings/<int:meeting_pk>/feedback/", views.meeting_feedback, name="feedback"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/schedule/runs/<int:run_pk>/", views.schedule_run, name="schedule_run"),
    path("<int:pk>/grid/", views.grid, name="grid"),
    path("<int:pk>/print/", views.print_agendas, name="print"),
    path("<int:pk>/export/<str:kind>.csv", views.export, name="export"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
]
