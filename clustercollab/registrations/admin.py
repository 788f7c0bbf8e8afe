from django.contrib import admin

from clustercollab.registrations.models import Interest, Registration, RegistrationSetup


@admin.register(RegistrationSetup)
class RegistrationSetupAdmin(admin.ModelAdmin):
    list_display = ["event", "on_site_capacity", "online_capacity", "opens_at", "closes_at"]
    raw_id_fields = ["event"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "mode", "status", "queued_at"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["event", "user"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "mode", "created_at"]
    raw_id_fields = ["event", "user"]
