"""Forms of matchmaking events. Date-times are typed in the event's time zone (see views)."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from clustercollab.matchmaking.models import (
    MatchmakingEvent,
    MeetingFeedback,
    Opportunity,
    Participant,
    Priority,
    Session,
    SessionKind,
)
from clustercollab.organisations.models import Organisation, OrganisationKind


class TimeZoneInput(forms.TextInput):
    """A text box that offers the IANA time-zone names as suggestions."""

    template_name = "matchmaking/widgets/time_zone.html"

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = "time-zones"
        context["zones"] = sorted(zoneinfo.available_timezones())
        return context


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _date_time_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class EventForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Eligible kinds of organisation"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to accept every kind."),
    )
    organiser_ids = forms.CharField(
        label=_("Organiser organisations (numbers, comma-separated)"),
        required=False,
        help_text=_("Members of these organisations may run the event."),
    )
    application_deadline = _date_time_field(_("Application deadline"))
    booking_opens_at = _date_time_field(_("Meeting requests open"))
    booking_closes_at = _date_time_field(_("Meeting requests close"))

    class Meta:
        model = MatchmakingEvent
        fields = [
            "title",
            "description",
            "time_zone",
            "mode",
            "request_mode",
            "scheduling_mode",
            "max_meetings_per_participant",
            "request_expiry_hours",
            "application_deadline",
            "booking_opens_at",
            "booking_closes_at",
            "meeting_link_pattern",
            "require_eu_or_cosme_country",
            "require_profile",
            "eligible_kinds",
            "is_public",
        ]
        widgets = {"time_zone": TimeZoneInput}

    def __init__(self, *args: object, can_grant: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not can_grant:
            del self.fields["organiser_ids"]
        elif self.instance.pk:
            self.fields["organiser_ids"].initial = ", ".join(
                str(pk) for pk in self.instance.organiser_organisations.values_list("pk", flat=True)
            )

    def clean_organiser_ids(self) -> list[Organisation]:
        raw = [part.strip() for part in self.cleaned_data["organiser_ids"].split(",")]
        ids = [part for part in raw if part]
        if any(not part.isdigit() for part in ids):
            raise forms.ValidationError(_("Give organisation numbers separated by commas."))
        organisations = list(Organisation.objects.filter(pk__in=ids))
        if len(organisations) != len(set(ids)):
            raise forms.ValidationError(_("Some of these organisations do not exist."))
        return organisations


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    start = _date_time_field(_("Start"))
    end = _date_time_field(_("End"))


class BlockForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    start = _date_time_field(_("Start"))
    end = _date_time_field(_("End"))
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240)
    break_minutes = forms.IntegerField(
        label=_("Break between slots (minutes)"), min_value=0, max_value=240, initial=0
    )

    def __init__(self, *args: object, event: MatchmakingEvent, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.filter(kind=SessionKind.NETWORKING)


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables or rooms"), min_value=1, max_value=2000)


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    participant_type = forms.ModelChoiceField(
        label=_("I take part as"), queryset=None, required=False
    )
    motivation = forms.CharField(
        label=_("Why do you want to take part, and whom do you want to meet?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )

    def __init__(
        self, *args: object, event: MatchmakingEvent, organisations: list, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None
        self.fields["participant_type"].queryset = event.participant_types.all()
        if not event.participant_types.exists():
            del self.fields["participant_type"]


class ParticipantForm(forms.ModelForm):
    keywords = forms.CharField(
        label=_("Keywords (comma-separated)"), required=False, max_length=1000
    )

    class Meta:
        model = Participant
        fields = ["name", "description", "contact_name", "contact_email", "time_zone", "sessions"]
        widgets = {"sessions": forms.CheckboxSelectMultiple, "time_zone": TimeZoneInput}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = self.instance.event.sessions.all()
        if not self.is_bound:
            self.initial["keywords"] = ", ".join(self.instance.keywords or [])

    def clean_keywords(self) -> list[str]:
        words = [w.strip() for w in self.cleaned_data["keywords"].split(",")]
        return [w for w in words if w][:30]

    def save(self, commit: bool = True) -> Participant:
        self.instance.keywords = self.cleaned_data["keywords"]
        return super().save(commit=commit)


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = ["kind", "opportunity_type", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, event: MatchmakingEvent, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity_type"].queryset = event.opportunity_types.all()


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    priority = forms.TypedChoiceField(
        label=_("How much do you want this meeting?"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
    )
    slot = forms.ChoiceField(label=_("Slot"), required=False)

    def __init__(self, *args: object, slots: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if slots is None:
            del self.fields["slot"]
        else:
            self.fields["slot"].required = True
            self.fields["slot"].choices = [("", "—")] + [(str(s.pk), label) for s, label in slots]


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = MeetingFeedback
        fields = ["outcome", "partner_no_show", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}
