from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustercollab.organisations import services
from clustercollab.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    Participation,
    Project,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


def _moderate(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, transition: str
) -> None:
    done = 0
    for organisation in queryset:
        try:
            services.organisation_moderate(
                organisation=organisation, actor=request.user, transition=transition
            )
            done += 1
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{organisation}: {' '.join(error.messages)}", messages.WARNING
            )
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(n)d profile updated.", "%(n)d profiles updated.", done) % {"n": done},
        )


@admin.action(description=_("Publish the selected submitted profiles"))
def publish(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(modeladmin, request, queryset, "publish")


@admin.action(description=_("Archive the selected published profiles"))
def archive(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(modeladmin, request, queryset, "archive")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "acronym",
        "kind",
        "country",
        "status",
        "submitted_at",
        "source",
        "review_link",
    ]
    list_filter = ["status", "kind", "source", "label", "country__group", "ecosystems"]
    search_fields = ["name", "acronym", "city", "website", "cordis_pic"]
    list_select_related = ["country"]
    autocomplete_fields = ["country", "nuts_region", "target_countries", "nace_activities"]
    filter_horizontal = ["ecosystems", "emerging_industries"]
    readonly_fields = [
        "status",
        "submitted_at",
        "published_at",
        "moderation_reason",
        "unreviewed_changes",
        "created_at",
        "updated_at",
        "source",
        "cordis_pic",
    ]
    inlines = [MembershipInline]
    actions = [publish, archive]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    date_hierarchy = "created_at"

    @admin.display(description=_("Moderation"))
    def review_link(self, obj: Organisation) -> str:
        url = reverse("organisations:moderation_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review"))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation", "invited_by", "accepted_by"]
    readonly_fields = ["token"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["id", "acronym", "title", "start_date", "legal_basis"]
    search_fields = ["id", "acronym", "title"]
    list_filter = ["legal_basis", "ecosystems"]
    inlines = [ParticipationInline]
