"""Read-only views for staff: places and queues change only through the services, which keep
capacity and the waiting-list order."""

from django.contrib import admin
from django.http import HttpRequest

from clustercollab.registrations.models import Interest, Registration, RegistrationSetup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RegistrationSetup)
class RegistrationSetupAdmin(ReadOnlyAdmin):
    list_display = ["event", "on_site_capacity", "online_capacity", "opens_at", "closes_at"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "mode", "status", "queued_at"]
    list_filter = ["status", "mode"]


@admin.register(Interest)
class InterestAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "mode", "created_at"]
