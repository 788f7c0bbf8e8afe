from django.contrib import admin

from clustercollab.response.models import (
    ForumComment,
    ForumPost,
    ResponsePortal,
    SupplyCategory,
    SupplyListing,
    SupplyMatch,
)


class SupplyCategoryInline(admin.TabularInline):
    model = SupplyCategory
    extra = 1


@admin.register(ResponsePortal)
class ResponsePortalAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "started_on"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["opened_by", "related_news", "related_events", "related_calls"]
    inlines = [SupplyCategoryInline]


@admin.register(SupplyListing)
class SupplyListingAdmin(admin.ModelAdmin):
    list_display = [
        "item",
        "side",
        "portal",
        "organisation",
        "quantity",
        "allocated_quantity",
        "status",
    ]
    list_filter = ["portal", "side", "status", "category"]
    search_fields = ["item", "organisation__name"]
    raw_id_fields = ["organisation", "created_by", "nuts_region"]
    # Allocations change only through confirmed matches, never by hand.
    readonly_fields = ["allocated_quantity"]


@admin.register(SupplyMatch)
class SupplyMatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "quantity", "allocated_at"]
    list_filter = ["status"]
    raw_id_fields = ["offer", "request", "proposed_by", "thread"]
    readonly_fields = [
        "quantity",
        "status",
        "allocated_at",
        "offer_confirmed_at",
        "request_confirmed_at",
    ]


class ForumCommentInline(admin.TabularInline):
    model = ForumComment
    extra = 0
    raw_id_fields = ["organisation", "author"]


@admin.register(ForumPost)
class ForumPostAdmin(admin.ModelAdmin):
    list_display = ["title", "portal", "category", "organisation", "status", "submitted_at"]
    list_filter = ["portal", "category", "status"]
    search_fields = ["title", "body"]
    raw_id_fields = ["organisation", "author"]
    inlines = [ForumCommentInline]
