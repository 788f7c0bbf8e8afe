from django import forms
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.insights.selectors import InsightsFilters


class InsightsFilterForm(forms.Form):
    """The dashboards' filters, as URL parameters: ``country`` (ISO code), ``ecosystem`` (slug)."""

    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All countries"),
        error_messages={"invalid_choice": _("There is no country with this code.")},
    )
    ecosystem = forms.ModelChoiceField(
        label=_("Industrial ecosystem"),
        queryset=IndustrialEcosystem.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All ecosystems"),
        error_messages={"invalid_choice": _("There is no industrial ecosystem with this name.")},
    )

    def filters(self) -> InsightsFilters:
        """The valid filters (an invalid one is left out)."""
        data = getattr(self, "cleaned_data", {})
        country, ecosystem = data.get("country"), data.get("ecosystem")
        return InsightsFilters(
            country=country.code if country else "", ecosystem=ecosystem.slug if ecosystem else ""
        )

    def problems(self) -> list[str]:
        """One message per invalid parameter, naming it and the value given."""
        return [
            _("%(label)s “%(value)s” was ignored: %(errors)s")
            % {
                "label": self.fields[name].label,
                "value": self.data.get(name, ""),
                "errors": " ".join(errors),
            }
            for name, errors in self.errors.items()
        ]
