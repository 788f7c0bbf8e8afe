from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import Event
from clustercollab.registrations.models import RegistrationSetup

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class SetupForm(forms.Form):
    """Registration settings; dates are typed as wall-clock times in the event's time zone."""

    on_site_capacity = forms.IntegerField(label=_("Places on site"), min_value=0, max_value=100_000)
    online_capacity = forms.IntegerField(label=_("Places online"), min_value=0, max_value=100_000)
    opens_at = forms.DateTimeField(label=_("Registration opens"))
    closes_at = forms.DateTimeField(label=_("Registration closes"))
    join_link = forms.URLField(
        label=_("Online join link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Shown only to people registered online."),
    )

    def __init__(
        self, *args: object, event: Event, setup: RegistrationSetup | None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        for name in ("opens_at", "closes_at"):
            field = self.fields[name]
            field.widget = forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT
            )
            field.input_formats = [LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"]
            field.help_text = _("Local time at the event (%(zone)s).") % {"zone": event.timezone}
        if setup is not None:
            self.initial.update(
                on_site_capacity=setup.on_site_capacity,
                online_capacity=setup.online_capacity,
                opens_at=self._wall_clock(setup.opens_at),
                closes_at=self._wall_clock(setup.closes_at),
                join_link=setup.join_link,
            )
        else:
            self.initial.update(on_site_capacity=0, online_capacity=0)

    def _wall_clock(self, value: datetime) -> str:
        return value.astimezone(self.event.zone).strftime(LOCAL_INPUT_FORMAT)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("opens_at", "closes_at"):
            value = data.get(name)
            if value is None:
                continue
            if not 1900 <= value.year <= 2200:
                self.add_error(name, _("Give a date between 1900 and 2200."))
                continue
            # Parsed in the current time zone; re-read the wall-clock time in the event's zone.
            naive = timezone.make_naive(value, timezone.get_current_timezone())
            data[name] = naive.replace(tzinfo=self.event.zone).astimezone(ZoneInfo("UTC"))
        return data
