from django.contrib import admin
from django.db import models

from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    Message,
    Network,
    NetworkMember,
    PartnerPost,
    Partnership,
    PartnershipMember,
)

# Addresses typed without a scheme are https (the default changes to that in Django 6).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PartnerPost)
class PartnerPostAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["reference", "title", "organisation", "post_type", "status", "expires_at"]
    list_filter = ["status", "post_type"]
    search_fields = ["reference", "title", "organisation__name"]
    raw_id_fields = ["organisation", "created_by", "funding_call"]
    # Status changes go through the moderation page so that they are audited.
    readonly_fields = ["status", "reference", "published_at", "submitted_at", "expires_at"]


class MessageInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Message
    extra = 0
    readonly_fields = ["sender", "author", "body", "created_at"]
    can_delete = False


@admin.register(ContactThread)
class ContactThreadAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["subject", "initiator", "recipient", "last_message_at", "reported_at"]
    list_filter = [("reported_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["initiator", "recipient", "post"]
    inlines = [MessageInline]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["post", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "organisation", "created_by", "decided_by", "thread"]


class PartnershipMemberInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = PartnershipMember
    extra = 1
    raw_id_fields = ["organisation"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "acronym", "programme", "status", "start_date", "end_date"]
    list_filter = ["status", "programme"]
    search_fields = ["name", "acronym"]
    filter_horizontal = ["ecosystems", "target_countries"]
    raw_id_fields = ["created_by", "news", "events"]
    # Status changes go through the review page (/partnering/partnerships/<pk>/moderate/),
    # where they are audited and the coordinator told; staff may publish a draft there.
    readonly_fields = ["status", "submitted_at", "published_at"]
    inlines = [PartnershipMemberInline]


class NetworkMemberInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = NetworkMember
    extra = 1
    raw_id_fields = ["organisation"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "acronym", "scope", "country"]
    list_filter = ["scope"]
    search_fields = ["name", "acronym"]
    raw_id_fields = ["organisation"]
    inlines = [NetworkMemberInline]
