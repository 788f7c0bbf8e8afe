import unicodedata
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, NutsRegion
from clustercollab.organisations.logos import normalised_logo
from clustercollab.organisations.models import (
    CLUSTER_KINDS,
    MEMBER_COUNT_FIELDS,
    Organisation,
    OrganisationKind,
    Role,
)


def _sort_key(text: str) -> str:
    # "Österreich" sorts with the Os, "Île" with the Is, whatever the interface language.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


class CountriesInLocalOrder(ModelChoiceIterator):
    """Countries by their name in the reader's language, in that language's order."""

    def __iter__(self) -> Iterator:
        choices = list(super().__iter__())
        empty = choices[:1] if self.field.empty_label is not None else []
        named = sorted(choices[len(empty) :], key=lambda choice: _sort_key(str(choice[1])))
        return iter(empty + named)


class CountryChoiceField(forms.ModelChoiceField):
    iterator = CountriesInLocalOrder

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Country) -> str:
        return obj.local_name


class CountriesChoiceField(forms.ModelMultipleChoiceField):
    iterator = CountriesInLocalOrder

    def label_from_instance(self, obj: Country) -> str:
        return obj.local_name


class OrganisationCreateForm(forms.Form):
    # Country first: it decides which of the following questions apply (NUTS regions, EU rules).
    country = CountryChoiceField(label=_("Country"), empty_label=_("Choose the country"))
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name of the organisation"), max_length=250)


class KeywordsField(forms.CharField):
    """Comma-separated keywords in the form, a list in the model."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value) or ""
        seen: dict[str, str] = {}
        for item in text.replace(";", ",").split(","):
            keyword = " ".join(item.split())
            if keyword and keyword.lower() not in seen:
                seen[keyword.lower()] = keyword
        keywords = list(seen.values())
        if len(keywords) > 30:
            raise ValidationError(_("Give at most 30 keywords."))
        if any(len(k) > 60 for k in keywords):
            raise ValidationError(_("Each keyword must be at most 60 characters."))
        return keywords


MEMBER_FIELDS = [field for field, _label in MEMBER_COUNT_FIELDS]
CLUSTER_ONLY_FIELDS = [
    *MEMBER_FIELDS,
    "management_fte",
    "label",
    "label_valid_until",
    "programme_recognition",
    "emerging_industries",
]


class OrganisationForm(forms.ModelForm):
    keywords = KeywordsField(
        label=_("Technology keywords"),
        required=False,
        help_text=_("Separate keywords with commas."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=settings.PROFILE_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    country = CountryChoiceField(label=_("Country"))
    target_countries = CountriesChoiceField(
        label=_("Target countries"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "acronym",
            "logo",
            "website",
            "about",
            "about_language",
            "country",
            "nuts_region",
            "city",
            "latitude",
            "longitude",
            "legal_form",
            "established_on",
            "languages",
            "contact_name",
            "contact_email",
            "contact_phone",
            *MEMBER_FIELDS,
            "management_fte",
            "ecosystems",
            "nace_activities",
            "emerging_industries",
            "keywords",
            "offers",
            "seeks",
            "target_countries",
            "label",
            "label_valid_until",
            "programme_recognition",
        ]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 8}),
            "offers": forms.Textarea(attrs={"rows": 4}),
            "seeks": forms.Textarea(attrs={"rows": 4}),
            "established_on": forms.DateInput(attrs={"type": "date"}),
            "label_valid_until": forms.DateInput(attrs={"type": "date"}),
            "ecosystems": forms.CheckboxSelectMultiple,
            "emerging_industries": forms.CheckboxSelectMultiple,
            "nace_activities": forms.SelectMultiple(attrs={"size": 8}),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        country = self._current_country()
        kind = (
            self.data.get("kind") if self.is_bound else self.initial.get("kind", self.instance.kind)
        )
        if country is not None and country.has_nuts:
            self.fields["nuts_region"].queryset = NutsRegion.objects.filter(
                country=country
            ).order_by("code")
            self.fields["nuts_region"].help_text = _(
                "Leave empty to derive it from the coordinates."
            )
        else:
            # Outside the NUTS area (e.g. Japan, USA) there is no NUTS region to ask for.
            del self.fields["nuts_region"]
        if kind not in CLUSTER_KINDS:
            for field in CLUSTER_ONLY_FIELDS:
                self.fields.pop(field, None)
        if "nace_activities" in self.fields:
            self.fields["nace_activities"].queryset = self.fields[
                "nace_activities"
            ].queryset.filter(level__in=["division", "group"])

    def _current_country(self) -> Country | None:
        chosen = self.data.get("country") if self.is_bound else self.initial.get("country")
        if chosen:
            return Country.objects.filter(pk=chosen).first()
        return self.instance.country if self.instance.country_id else None

    def clean_logo(self) -> object:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return normalised_logo(logo)
        return logo

    def clean(self) -> dict:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (
            (latitude is None) != (longitude is None)
            and not self.errors.get("latitude")
            and not self.errors.get("longitude")
        ):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if data.get("label") and not data.get("label_valid_until"):
            self.add_error("label_valid_until", _("Say until when the label is valid."))
        region = data.get("nuts_region")
        if region is not None and data.get("country") and region.country_id != data["country"].pk:
            self.add_error("nuts_region", _("This region is not in the chosen country."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("publish", _("Publish")),
            ("request_changes", _("Request changes")),
            ("archive", _("Archive")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason (sent to the organisation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
