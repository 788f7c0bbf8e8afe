from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustercollab.content import services
from clustercollab.content.models import (
    Campaign,
    Event,
    FundingCall,
    News,
    PolicyFactsheet,
    SuccessStory,
)
from clustercollab.core.moderation import ModerationStatus, moderation_transition


def _moderate(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, transition: str
) -> None:
    done = 0
    for item in queryset:
        try:
            services.content_moderate(item=item, actor=request.user, transition=transition)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{item}: {' '.join(error.messages)}", messages.WARNING
            )
    if done:
        modeladmin.message_user(
            request, ngettext("%(n)d item updated.", "%(n)d items updated.", done) % {"n": done}
        )


@admin.action(description=_("Publish the selected items"))
def publish(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(modeladmin, request, queryset, "publish")


@admin.action(description=_("Archive the selected published items"))
def archive(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(modeladmin, request, queryset, "archive")


class ContentAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "organisation", "status", "submitted_at", "published_at"]
    list_filter = ["status", "language", "ecosystems"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["organisation", "author"]
    filter_horizontal = ["ecosystems", "countries"]
    readonly_fields = ["status", "submitted_at", "published_at", "moderation_reason"]
    prepopulated_fields = {"slug": ["title"]}
    actions = [publish, archive]
    date_hierarchy = "created_at"

    def save_model(self, request: HttpRequest, obj: object, form: object, change: bool) -> None:
        # Staff content publishes directly, also when added here.
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if not change and obj.status == ModerationStatus.DRAFT:
            moderation_transition(obj=obj, transition="publish", actor=request.user)


@admin.register(News)
class NewsAdmin(ContentAdmin):
    pass


@admin.register(Event)
class EventAdmin(ContentAdmin):
    list_display = ["title", "event_type", "mode", "starts_at", "timezone", "status"]
    list_filter = ["status", "event_type", "mode", "campaign"]
    autocomplete_fields = ["organisation", "author", "organiser"]


@admin.register(FundingCall)
class FundingCallAdmin(ContentAdmin):
    list_display = ["title", "programme", "topic_identifier", "deadline_at", "source", "status"]
    list_filter = ["status", "source", "deadline_model", "programme"]
    search_fields = ["title", "topic_identifier", "call_identifier", "programme"]


@admin.register(SuccessStory)
class SuccessStoryAdmin(ContentAdmin):
    autocomplete_fields = ["organisation", "author", "organisations_involved", "event"]
    search_fields = ["title", "summary", "outcome"]


@admin.register(PolicyFactsheet)
class PolicyFactsheetAdmin(admin.ModelAdmin):
    list_display = ["country", "last_reviewed", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["country__name", "country__code"]
    autocomplete_fields = ["country"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "events_deadline", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
