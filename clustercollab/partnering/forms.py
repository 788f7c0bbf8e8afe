import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import FundingCall
from clustercollab.core.models import Country, IndustrialEcosystem, NaceActivity
from clustercollab.matching.forms import MeaningField
from clustercollab.organisations.forms import CountriesChoiceField, CountryChoiceField
from clustercollab.organisations.models import Organisation
from clustercollab.partnering import selectors
from clustercollab.partnering.models import (
    MAX_KEYWORDS,
    SUMMARY_MAX_LENGTH,
    PartnerPost,
    Partnership,
    PartnershipType,
    PostType,
)

# What a member writes in a partner search post: the form and the API take the same fields.
POST_FIELDS = [
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
    "funding_call",
    "funding_call_identifier",
    "funding_call_title",
    "funding_call_url",
    "role_sought",
    "budget_eur",
    "duration_months",
]


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


def target_countries_field() -> CountriesChoiceField:
    return CountriesChoiceField(
        label=_("Target countries"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


CALL_ADDRESS = re.compile(r"/calls/(\d{1,18})(?:/|$)")


def find_funding_call(text: str) -> FundingCall | None:
    """Return the published call a member named by topic identifier, page address or number."""
    text = text.strip()
    calls = FundingCall.objects.published()
    match = CALL_ADDRESS.search(text)
    if match:
        return calls.filter(pk=int(match.group(1))).first()
    if text.isdigit() and len(text) <= 18:
        return calls.filter(pk=int(text)).first()
    return calls.filter(topic_identifier__iexact=text).first()


class FundingCallChoiceField(forms.CharField):
    """A funding call on the platform, typed as its topic identifier (suggested while typing),
    its page address or its number."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            call = FundingCall.objects.filter(pk=int(value)).first()
            return (call.topic_identifier or str(call.pk)) if call else ""
        if isinstance(value, FundingCall):
            return value.topic_identifier or str(value.pk)
        return value

    def to_python(self, value: object) -> FundingCall | None:
        text = (super().to_python(value) or "")[:500]
        if not text:
            return None
        call = find_funding_call(text)
        if call is None:
            raise ValidationError(
                _("No published funding call on this platform matches “%(text)s”.")
                % {"text": text[:80]}
            )
        return call

    def has_changed(self, initial: object, data: object) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "").strip()


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
    target_countries = target_countries_field()
    funding_call = FundingCallChoiceField(
        label=_("Funding call on this platform"),
        required=False,
        help_text=_(
            "Its topic identifier (suggestions appear as you type), its page address or its "
            "number. Otherwise name the call in the fields below."
        ),
    )
    funding_call_url = forms.URLField(
        label=_("Funding call address"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = PartnerPost
        fields = POST_FIELDS
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
        self.fields["funding_call"].widget.attrs.update(
            {
                "list": "funding-call-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("partnering:call_suggestions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#funding-call-options",
            }
        )

    def clean_deadline(self) -> object:
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline

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


# --- partnerships and networks -----------------------------------------------------------------


class PartnershipForm(forms.ModelForm):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinating organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Your organisation; it invites the partners once the partnership is saved."),
    )
    target_countries = target_countries_field()
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Partnership
        fields = [
            "coordinator",
            "name",
            "acronym",
            "programme",
            "start_date",
            "end_date",
            "objectives",
            "ecosystems",
            "target_countries",
            "smes_reached",
            "website",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "ecosystems": forms.CheckboxSelectMultiple,
        }

    M2M_FIELDS = ("ecosystems", "target_countries")

    def __init__(self, *args: object, organisations: QuerySet[Organisation], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["ecosystems"].required = False
        if self.instance.pk:
            del self.fields["coordinator"]
        else:
            self.fields["coordinator"].queryset = organisations

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The partnership cannot end before it starts."))
        return data

    def m2m_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.M2M_FIELDS}


class OrganisationsToAddForm(forms.Form):
    """Organisations to invite to a partnership or add to a network, by profile address."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        from clustercollab.content.forms import OrganisationsField

        super().__init__(*args, **kwargs)
        self.fields["organisations"] = OrganisationsField(
            label=_("Organisations"),
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Addresses of their profiles on this site (or their numbers), one per line."
            ),
        )


class PartnershipTagsMixin:
    """For news and event forms: the strategic partnerships the item is about.

    A member organisation tags its own news and events with partnerships it belongs to (staff
    with any published one); the partnership's page lists them once staff published them.
    """

    def __init__(
        self,
        *args: object,
        organisations: QuerySet[Organisation] | None = None,
        is_staff: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, organisations=organisations, is_staff=is_staff, **kwargs)
        instance = self.instance
        self._staff_item = is_staff or (
            instance.pk is not None and instance.organisation_id is None
        )
        if instance.pk is not None:
            tagged = list(instance.partnerships.values_list("pk", flat=True))
            posting = [instance.organisation_id] if instance.organisation_id else []
        else:
            tagged = []
            posting = list(organisations.values_list("pk", flat=True)) if organisations else []
        if self._staff_item:
            open_to_tag = Partnership.objects.published()
        else:
            open_to_tag = selectors.partnerships_to_tag(posting)
        queryset = Partnership.objects.filter(
            Q(pk__in=open_to_tag.values("pk")) | Q(pk__in=tagged)
        ).order_by("name")
        if not queryset.exists():
            return
        self.fields["partnerships"] = forms.ModelMultipleChoiceField(
            label=_("Strategic partnerships"),
            queryset=queryset,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "The partnerships of your organisation this is about: it is shown on their pages."
            ),
        )
        self.initial["partnerships"] = tagged

    def clean_partnerships(self) -> list[Partnership]:
        chosen = list(self.cleaned_data.get("partnerships") or [])
        if self._staff_item:
            return chosen
        if self.instance.pk:
            organisation_id = self.instance.organisation_id
            allowed = set(self.instance.partnerships.values_list("pk", flat=True))
        else:
            posting = self.cleaned_data.get("posting_organisation")
            organisation_id = posting.pk if posting else None
            allowed = set()
        if organisation_id is not None:
            allowed |= set(
                selectors.partnerships_to_tag([organisation_id]).values_list("pk", flat=True)
            )
        wrong = [p.name for p in chosen if p.pk not in allowed]
        if wrong:
            raise ValidationError(
                _("The posting organisation is not a member of: %(names)s.")
                % {"names": ", ".join(wrong)}
            )
        return chosen
