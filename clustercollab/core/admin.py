from django.contrib import admin

from clustercollab.core.models import (
    AuditLogEntry,
    Country,
    DataImport,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "has_nuts"]
    list_filter = ["group", "has_nuts"]
    search_fields = ["code", "name"]


@admin.register(NutsRegion)
class NutsRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_latin", "level", "country"]
    list_filter = ["level", "country"]
    search_fields = ["code", "name_latin", "name_native"]
    exclude = ["geometry"]
    autocomplete_fields = ["parent", "country"]


@admin.register(IndustrialEcosystem)
class IndustrialEcosystemAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "slug"]
    search_fields = ["name"]


@admin.register(NaceActivity)
class NaceActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "label"]
    list_filter = ["level", "section"]
    search_fields = ["code", "labels"]
    autocomplete_fields = ["parent"]


@admin.register(EmergingIndustry)
class EmergingIndustryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["name"]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "target_repr", "actor", "reason"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(DataImport)
class DataImportAdmin(admin.ModelAdmin):
    list_display = ["name", "finished_at", "summary"]
    list_filter = ["name"]
    readonly_fields = ["name", "fingerprint", "finished_at", "summary"]

    def has_add_permission(self, request: object) -> bool:
        return False
