from django import forms
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import FollowKind, SavedSearchList
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.organisations.models import Organisation


class FollowForm(forms.Form):
    """What to follow: one of an ecosystem, a country, a published organisation or a search."""

    kind = forms.ChoiceField(choices=FollowKind.choices, widget=forms.HiddenInput)
    ecosystem = forms.ModelChoiceField(
        label=_("Industrial ecosystem"),
        queryset=IndustrialEcosystem.objects.all(),
        to_field_name="slug",
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.published(), required=False, widget=forms.HiddenInput
    )
    search_list = forms.ChoiceField(
        choices=[("", "")] + SavedSearchList.choices, required=False, widget=forms.HiddenInput
    )
    search_query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        needed = {
            FollowKind.ECOSYSTEM: ("ecosystem", _("Choose an industrial ecosystem.")),
            FollowKind.COUNTRY: ("country", _("Choose a country.")),
            FollowKind.ORGANISATION: ("organisation", _("This organisation cannot be followed.")),
            FollowKind.SEARCH: (
                "search_list",
                _("Only news, event and call searches can be followed."),
            ),
        }
        if kind in needed:
            field, message = needed[kind]
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        return data

    def target(self) -> dict:
        """The keyword arguments for ``follow_create``: only the chosen kind's target."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == FollowKind.SEARCH:
            return {"search_list": data["search_list"], "search_query": data["search_query"]}
        return {kind: data[kind]}
