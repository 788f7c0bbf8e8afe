"""Member forms for news, events, funding calls and success stories, and the moderation form.

Times are typed in the item's own time zone and stored in UTC.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.content.images import normalised_image
from clustercollab.content.models import (
    Campaign,
    ContentItem,
    Event,
    FundingCall,
    News,
    SuccessStory,
    validate_time_zone,
)
from clustercollab.content.services import MODERATION_ACTIONS
from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.forms import CountriesChoiceField
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.forms import PartnershipTagsMixin

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
COMMON_FIELDS = ["title", "summary", "ecosystems", "countries", "language"]


def _formfield(field: models.Field, **kwargs: object) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _local_datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)


class ContentForm(forms.ModelForm):
    """Common behaviour: the posting organisation (new items only), M2M left to the service.

    ``ZONED_FIELDS`` are shown and typed as wall-clock times in the zone of the ``timezone``
    field and converted to UTC when cleaned.
    """

    M2M_FIELDS: tuple[str, ...] = ("ecosystems", "countries")
    ZONED_FIELDS: tuple[str, ...] = ()
    IMAGE_FIELDS: tuple[str, ...] = ()

    posting_organisation = forms.ModelChoiceField(
        label=_("Post for"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(
        self,
        *args: object,
        organisations: QuerySet[Organisation] | None = None,
        is_staff: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        if "countries" in self.fields:
            self.fields["countries"] = CountriesChoiceField(
                queryset=Country.objects.all(),
                required=False,
                label=self.fields["countries"].label,
                widget=forms.SelectMultiple(attrs={"size": 6}),
            )
        if "ecosystems" in self.fields:
            self.fields["ecosystems"].widget = forms.CheckboxSelectMultiple()
            self.fields["ecosystems"].widget.choices = self.fields["ecosystems"].choices
        self.order_fields(["posting_organisation"])
        if self.instance.pk is not None:
            del self.fields["posting_organisation"]
        else:
            field = self.fields["posting_organisation"]
            field.queryset = organisations if organisations is not None else field.queryset
            field.required = not is_staff
            field.empty_label = _("Platform staff (no organisation)") if is_staff else None
        for name in self.ZONED_FIELDS:
            self.fields[name].widget = _local_datetime_widget()
            self.fields[name].input_formats = [LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"]
            if getattr(self.instance, name, None):
                # The stored instant as the wall-clock time in the item's zone, labelled with the
                # zone the form parses input in: it shows as typed and compares equal to input
                # that did not change.
                self.initial[name] = (
                    getattr(self.instance, name)
                    .astimezone(self.instance.zone)
                    .replace(tzinfo=timezone.get_current_timezone())
                )
        if "timezone" in self.fields:
            self.fields["timezone"].widget.attrs.update(
                {"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
            )

    def clean_timezone(self) -> str:
        name = (self.cleaned_data.get("timezone") or "").strip()
        validate_time_zone(name)
        return name

    def _clean_image(self, name: str) -> object:
        image = self.cleaned_data.get(name)
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            return normalised_image(image)
        return image

    def clean(self) -> dict:
        data = super().clean()
        for name in self.IMAGE_FIELDS:
            if name in data and name not in self.errors:
                try:
                    data[name] = self._clean_image(name)
                except ValidationError as error:
                    self.add_error(name, error)
        zone_name = data.get("timezone")
        if zone_name and "timezone" not in self.errors:
            zone = ZoneInfo(zone_name)
            for name in self.ZONED_FIELDS:
                value: datetime | None = data.get(name)
                if value is None:
                    continue
                if not 1900 <= value.year <= 2200:
                    self.add_error(name, _("Give a date between 1900 and 2200."))
                    continue
                # The form parsed the wall-clock time in UTC; re-read it in the chosen zone.
                naive = timezone.make_naive(value, timezone.get_current_timezone())
                data[name] = naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
        return data

    def m2m_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.M2M_FIELDS if name in self.fields}

    @property
    def organisation(self) -> Organisation | None:
        return self.cleaned_data.get("posting_organisation")


class NewsForm(PartnershipTagsMixin, ContentForm):
    IMAGE_FIELDS = ("image",)
    M2M_FIELDS = ("ecosystems", "countries", "partnerships")

    class Meta:
        model = News
        formfield_callback = _formfield
        fields = ["title", "summary", "body", "image", "image_alt", *COMMON_FIELDS[2:]]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "body": _(
                "Paragraphs, bold, italic, lists, quotes and links are kept; other markup "
                "is removed."
            ),
        }


class EventForm(PartnershipTagsMixin, ContentForm):
    ZONED_FIELDS = ("starts_at", "ends_at")
    M2M_FIELDS = ("ecosystems", "countries", "partnerships")

    class Meta:
        model = Event
        formfield_callback = _formfield
        fields = [
            "title",
            "summary",
            "description",
            "event_type",
            "mode",
            "starts_at",
            "ends_at",
            "timezone",
            "venue",
            "city",
            "latitude",
            "longitude",
            "registration_url",
            "organiser",
            "campaign",
            *COMMON_FIELDS[2:],
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "starts_at": _("Local time at the event, in the time zone below."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        organisations = kwargs.get("organisations")
        super().__init__(*args, **kwargs)
        # The organiser, when not the posting organisation: one of the member's organisations
        # (and the one already set).
        organiser = self.fields["organiser"]
        organiser.queryset = Organisation.objects.filter(
            Q(pk__in=(organisations if organisations is not None else Organisation.objects.none()))
            | Q(pk=self.instance.organiser_id or 0)
        ).order_by("name")
        organiser.empty_label = _("The posting organisation")
        if "campaign" in self.fields:
            # Current campaigns, and the one the event already belongs to.
            self.fields["campaign"].queryset = Campaign.objects.filter(
                Q(is_published=True, ends_on__gte=timezone.now().date())
                | Q(pk=self.instance.campaign_id or 0)
            )

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return data


class CampaignEventForm(EventForm):
    """The event form on a campaign's page: the campaign is fixed."""

    class Meta(EventForm.Meta):
        fields = [name for name in EventForm.Meta.fields if name != "campaign"]

    def __init__(self, *args: object, campaign: Campaign, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign


class FundingCallForm(ContentForm):
    ZONED_FIELDS = ("opens_at", "deadline_at", "second_deadline_at")

    class Meta:
        model = FundingCall
        formfield_callback = _formfield
        fields = [
            "title",
            "summary",
            "description",
            "programme",
            "call_identifier",
            "call_title",
            "topic_identifier",
            "type_of_action",
            "opens_at",
            "deadline_model",
            "deadline_at",
            "second_deadline_at",
            "timezone",
            "budget",
            "expected_grants",
            "link",
            *COMMON_FIELDS[2:],
        ]
        labels = {"countries": _("Eligible countries")}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
        }

    def clean_topic_identifier(self) -> str | None:
        return (self.cleaned_data.get("topic_identifier") or "").strip() or None


ORGANISATION_REFERENCE = re.compile(r"(?:/organisations/)?(\d{1,18})(?:/[\w-]*)?/?$")


class OrganisationsField(forms.CharField):
    """Organisations by profile address or number, one per line or comma-separated."""

    def to_python(self, value: object) -> list[Organisation]:
        text = super().to_python(value) or ""
        pks: list[int] = []
        for part in re.split(r"[\s,]+", text.strip()):
            if not part:
                continue
            match = ORGANISATION_REFERENCE.search(part.rstrip("/") + "/")
            if match is None:
                raise ValidationError(
                    _("“%(value)s” is not an organisation's address or number."),
                    params={"value": part[:80]},
                )
            pks.append(int(match.group(1)))
        found = {o.pk: o for o in Organisation.objects.published().filter(pk__in=pks)}
        missing = [str(pk) for pk in pks if pk not in found]
        if missing:
            raise ValidationError(
                _("No public organisation has the number %(numbers)s.")
                % {"numbers": ", ".join(missing)}
            )
        return [found[pk] for pk in dict.fromkeys(pks)]

    def has_changed(self, initial: object, data: object) -> bool:
        try:
            new = {organisation.pk for organisation in self.to_python(data)}
        except ValidationError:
            return True
        return new != {int(pk) for pk in re.findall(r"\d+", str(initial or ""))}


class SuccessStoryForm(ContentForm):
    IMAGE_FIELDS = ("image",)
    M2M_FIELDS = ("ecosystems", "countries", "organisations_involved")

    organisations_involved = OrganisationsField(
        label=_("Organisations involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Addresses of their profiles on this site (or their numbers), one per line."),
    )

    class Meta:
        model = SuccessStory
        formfield_callback = _formfield
        fields = [
            "title",
            "summary",
            "body",
            "outcome",
            "quote",
            "quote_author",
            "event",
            "origin",
            "origin_url",
            "image",
            "image_alt",
            *COMMON_FIELDS[2:],
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        organisations = kwargs.get("organisations")
        super().__init__(*args, **kwargs)
        # A published event of the member's organisations (or the one already linked).
        self.fields["event"].queryset = Event.objects.filter(
            Q(
                status=ModerationStatus.PUBLISHED,
                organisation__in=(
                    organisations if organisations is not None else Organisation.objects.none()
                ),
            )
            | Q(pk=self.instance.event_id or 0)
        ).order_by("-starts_at")
        if self.instance.pk:
            self.initial["organisations_involved"] = "\n".join(
                str(pk) for pk in self.instance.organisations_involved.values_list("pk", flat=True)
            )


FORMS_BY_KIND: dict[str, type[ContentForm]] = {
    "news": NewsForm,
    "event": EventForm,
    "call": FundingCallForm,
    "story": SuccessStoryForm,
}


def form_for(item: ContentItem) -> type[ContentForm]:
    return next(form for form in FORMS_BY_KIND.values() if isinstance(item, form._meta.model))


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("publish", _("Publish")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
            ("archive", _("Archive")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason (sent to the poster)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def clean_action(self) -> str:
        action = self.cleaned_data["action"]
        if action not in MODERATION_ACTIONS:
            raise ValidationError(_("Unknown moderation action."))
        return action
