from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, IndustrialEcosystem, NaceActivity
from clustercollab.matching.forms import MeaningField
from clustercollab.organisations.forms import CountriesChoiceField, CountryChoiceField
from clustercollab.partnering.models import (
    MAX_KEYWORDS,
    SUMMARY_MAX_LENGTH,
    PartnerPost,
    PartnershipType,
    PostType,
)


class FiveKeywordsField(forms.CharField):
    """At most five comma-separated keywords in the form, a list in the model."""

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
        if len(keywords) > MAX_KEYWORDS:
            raise ValidationError(
                _("Give at most %(max)d keywords (you gave %(n)d).")
                % {"max": MAX_KEYWORDS, "n": len(keywords)}
            )
        if any(len(k) > 60 for k in keywords):
            raise ValidationError(_("Each keyword must be at most 60 characters."))
        return keywords


class PartnerPostForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Posted by"), queryset=None, empty_label=None)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 500 characters; shown in the list."),
    )
    partnership_types = forms.MultipleChoiceField(
        label=_("Partnership types sought"),
        choices=PartnershipType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    market_keywords = FiveKeywordsField(
        label=_("Market keywords"), required=False, help_text=_("At most 5, separated by commas.")
    )
    technology_keywords = FiveKeywordsField(
        label=_("Technology keywords"),
        required=False,
        help_text=_("At most 5, separated by commas."),
    )
    target_countries = CountriesChoiceField(
        label=_("Target countries"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    funding_call_url = forms.URLField(
        label=_("Funding call address"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = PartnerPost
        fields = [
            "organisation",
            "post_type",
            "title",
            "summary",
            "description",
            "partnership_types",
            "development_stage",
            "ipr_status",
            "ecosystems",
            "nace_activities",
            "market_keywords",
            "technology_keywords",
            "target_countries",
            "deadline",
            "funding_call_identifier",
            "funding_call_title",
            "funding_call_url",
            "role_sought",
            "budget_eur",
            "duration_months",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "ecosystems": forms.CheckboxSelectMultiple,
            "nace_activities": forms.SelectMultiple(attrs={"size": 8}),
        }

    M2M_FIELDS = ("ecosystems", "nace_activities", "target_countries")

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            # A post stays with the organisation that wrote it.
            del self.fields["organisation"]
        self.fields["nace_activities"].queryset = NaceActivity.objects.filter(
            level__in=["division", "group"]
        )
        self.fields["nace_activities"].required = False
        self.fields["ecosystems"].required = False

    def clean_deadline(self) -> object:
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean(self) -> dict:
        data = super().clean()
        if data.get("post_type") == PostType.RD_REQUEST and not (
            data.get("funding_call_identifier") or data.get("funding_call_title")
        ):
            self.add_error(
                "funding_call_identifier",
                _("For an R&D partner search, name the funding call (identifier or title)."),
            )
        return data

    def m2m_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.M2M_FIELDS if name in self.cleaned_data
        }


class NaceDivisionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: NaceActivity) -> str:
        return f"{obj.code} {obj.label}"


class PostFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    meaning = MeaningField()
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *PostType.choices]
    )
    partnership = forms.ChoiceField(
        label=_("Partnership type"),
        required=False,
        choices=[("", _("All partnership types")), *PartnershipType.choices],
    )
    ecosystem = forms.ModelChoiceField(
        label=_("Industrial ecosystem"),
        required=False,
        queryset=IndustrialEcosystem.objects.all(),
        empty_label=_("All ecosystems"),
    )
    nace = NaceDivisionField(
        label=_("NACE sector"),
        required=False,
        queryset=NaceActivity.objects.filter(level="division").order_by("code"),
        to_field_name="code",
        empty_label=_("All sectors"),
    )
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("All countries"))
    keyword = forms.CharField(label=_("Keyword"), required=False, max_length=60)


class RenewForm(forms.Form):
    deadline = forms.DateField(
        label=_("New deadline for expressions of interest"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep the current deadline."),
    )


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


class CommentForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class InterestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    who_we_are = forms.CharField(
        label=_("Who we are"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_we_offer = forms.CharField(
        label=_("What we offer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    why_we_fit = forms.CharField(
        label=_("Why we fit"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ContactForm(forms.Form):
    sender = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = organisations


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GraphFilterForm(forms.Form):
    ecosystem = forms.ModelChoiceField(
        label=_("Industrial ecosystem"),
        required=False,
        queryset=IndustrialEcosystem.objects.all(),
        empty_label=_("All ecosystems"),
    )
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("All countries"))
    limit = forms.IntegerField(
        label=_("Most organisations shown"), required=False, min_value=10, max_value=2000
    )
