from django import forms
from django.utils.translation import gettext_lazy as _

from clustercollab.organisations.models import Organisation
from clustercollab.regional.models import MessageKind


class SupporterGrantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation (number)"),
        queryset=Organisation.objects.all(),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("The number in the address of its profile: /organisations/<number>/."),
        error_messages={"invalid_choice": _("There is no organisation with this number.")},
    )
    codes = forms.CharField(
        label=_("NUTS regions and countries"),
        max_length=500,
        help_text=_(
            "NUTS 2024 codes of any level (e.g. FI1D) and ISO country codes (e.g. SE), separated "
            "by commas or spaces. Granting again replaces the organisation's regions."
        ),
    )


class SupportMessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of message"),
        choices=MessageKind.choices,
        initial=MessageKind.HELP_OFFER,
        widget=forms.RadioSelect,
    )
    # Not required here: the service refuses an empty message with its own clear error.
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
