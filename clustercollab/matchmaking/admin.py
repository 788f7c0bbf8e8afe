from django.contrib import admin

from clustercollab.matchmaking.models import (
    AgendaVersion,
    Application,
    MatchmakingEvent,
    Meeting,
    MeetingRequest,
    Participant,
    SchedulingRun,
    Session,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(admin.ModelAdmin):
    list_display = ["title", "mode", "scheduling_mode", "application_deadline"]
    search_fields = ["title"]
    filter_horizontal = ["organiser_organisations"]
    inlines = [SessionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "status", "is_late", "created_at"]
    list_filter = ["status", "is_late"]
    raw_id_fields = ["organisation", "applicant"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "country", "participant_type"]
    search_fields = ["name"]
    raw_id_fields = ["organisation", "application"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "event", "status", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["requester", "recipient"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "table", "status"]
    raw_id_fields = ["request", "slot", "table"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "objective", "upper_bound", "created_at"]


@admin.register(SchedulingRun)
class SchedulingRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "stage", "scheduled", "requests", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "created_by", "version"]
    readonly_fields = ["trace", "error"]
