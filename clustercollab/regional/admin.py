from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from clustercollab.core.audit import audit_log
from clustercollab.regional.models import RegionalSupporter, SummarySent, SupportMessage


class RegionalSupporterAdminForm(forms.ModelForm):
    class Meta:
        model = RegionalSupporter
        fields = ["organisation", "regions", "countries"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("regions") and not cleaned.get("countries"):
            raise forms.ValidationError(_("Choose at least one NUTS region or country."))
        return cleaned


@admin.register(RegionalSupporter)
class RegionalSupporterAdmin(admin.ModelAdmin):
    form = RegionalSupporterAdminForm
    list_display = ["organisation", "area", "granted_by", "created_at"]
    search_fields = ["organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation", "regions", "countries"]
    list_select_related = ["organisation", "granted_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegionalSupporter]:
        return super().get_queryset(request).prefetch_related("regions", "countries")

    @admin.display(description=_("NUTS regions and countries"))
    def area(self, supporter: RegionalSupporter) -> str:
        return ", ".join(supporter.area_codes)

    def save_model(
        self, request: HttpRequest, obj: RegionalSupporter, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        supporter = form.instance
        audit_log(
            actor=request.user,
            action="regional.supporter.changed" if change else "regional.supporter.granted",
            target=supporter.organisation,
            data={"area": supporter.area_codes},
        )

    def delete_model(self, request: HttpRequest, obj: RegionalSupporter) -> None:
        with transaction.atomic():
            organisation, area = obj.organisation, obj.area_codes
            super().delete_model(request, obj)
            audit_log(
                actor=request.user,
                action="regional.supporter.revoked",
                target=organisation,
                data={"area": area},
            )


@admin.register(SupportMessage)
class SupportMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "supporter", "recipient", "kind", "author"]
    list_filter = ["kind"]
    search_fields = ["supporter__organisation__name", "recipient__name", "body"]
    list_select_related = ["supporter__organisation", "recipient", "author"]
    readonly_fields = ["supporter", "recipient", "author", "kind", "body", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SummarySent)
class SummarySentAdmin(admin.ModelAdmin):
    list_display = ["month", "supporter", "recipients", "sent_at"]
    list_select_related = ["supporter__organisation"]
    readonly_fields = ["supporter", "month", "recipients", "figures", "sent_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
