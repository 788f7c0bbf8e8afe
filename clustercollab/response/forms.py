from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import NutsRegion
from clustercollab.matching.forms import MeaningField
from clustercollab.organisations.forms import CountryChoiceField
from clustercollab.organisations.models import Organisation, Role
from clustercollab.response.models import (
    ForumCategory,
    ForumPost,
    PortalStatus,
    ResponsePortal,
    Side,
    SupplyCategory,
    SupplyListing,
    Unit,
)

PANDEMIC_CATEGORIES = (
    "FFP2 masks | pieces\nMedical gloves | pairs\nProtective gowns | pieces\n"
    "Ventilators | devices\nDisinfectant | litres\nTest kits | kits\n"
    "3D-printing capacity | parts_week\nContract manufacturing | hours\nLogistics | truckloads"
)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


def _preselect_single(field: forms.ModelChoiceField) -> None:
    """A member of one organisation posts for it without choosing."""
    choices = list(field.queryset[:2])
    if len(choices) == 1:
        field.initial = choices[0].pk
        field.empty_label = None


def _posting_organisations(user: Any) -> Any:
    """The published organisations the user may post for (admin or editor)."""
    return (
        Organisation.objects.published()
        .filter(memberships__user=user, memberships__role__in=[Role.ADMIN, Role.EDITOR])
        .order_by("name")
    )


class PortalForm(forms.ModelForm):
    categories = forms.CharField(
        label=_("Categories of supplies and capacities"),
        widget=forms.Textarea(attrs={"rows": 9}),
        initial=PANDEMIC_CATEGORIES,
        help_text=_("One per line: the name, a vertical bar and the usual unit (%(units)s).")
        % {"units": ", ".join(Unit.values)},
    )

    class Meta:
        model = ResponsePortal
        fields = ["title", "slug", "summary", "description", "started_on"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"})}

    def clean_categories(self) -> list[tuple[str, str]]:
        categories: list[tuple[str, str]] = []
        seen = set()
        for number, line in enumerate(self.cleaned_data["categories"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _bar, unit = (part.strip() for part in line.partition("|"))
            unit = unit or Unit.PIECES
            if unit not in Unit.values:
                raise ValidationError(
                    _("Line %(line)s: unknown unit “%(unit)s”.") % {"line": number, "unit": unit}
                )
            if not name or len(name) > 100:
                raise ValidationError(
                    _("Line %(line)s: give a name of at most 100 characters.") % {"line": number}
                )
            if name.casefold() in seen:
                raise ValidationError(
                    _("Line %(line)s: “%(name)s” is listed twice.") % {"line": number, "name": name}
                )
            seen.add(name.casefold())
            categories.append((name, unit))
        if not categories:
            raise ValidationError(_("Name at least one category."))
        return categories


class PortalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PortalStatus.choices)


class ListingForm(forms.ModelForm):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("For"))
    country = CountryChoiceField(label=_("Country"), empty_label=_("Choose the country"))
    region_code = forms.CharField(
        label=_("NUTS region code"),
        required=False,
        max_length=5,
        help_text=_("Optional, e.g. DE11 or FI1D: places the listing on the map and in exports."),
    )

    class Meta:
        model = SupplyListing
        fields = [
            "organisation",
            "category",
            "item",
            "description",
            "quantity",
            "unit",
            "certification",
            "country",
            "region_code",
            "latitude",
            "longitude",
            "available_from",
            "available_until",
            "needed_by",
            "delivery_radius_km",
            "logistics_offered",
            "price_indication",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
            "needed_by": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, portal: ResponsePortal, side: str, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.portal, self.side = portal, side
        self.fields["organisation"].queryset = _posting_organisations(user)
        _preselect_single(self.fields["organisation"])
        self.fields["category"].queryset = SupplyCategory.objects.filter(portal=portal)
        self.fields["category"].empty_label = _("Choose a category")
        # One message for zero and negative numbers alike (clean_quantity), not the generic one.
        self.fields["quantity"].validators = []
        self.fields["quantity"].widget.attrs["min"] = 1
        if side == Side.OFFER:
            del self.fields["needed_by"]
        else:
            for name in ("available_from", "available_until", "delivery_radius_km"):
                del self.fields[name]
            self.fields["logistics_offered"].label = _("We can collect it ourselves")

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data.get("quantity")
        if quantity is None or quantity <= 0:
            raise ValidationError(_("Enter a quantity above zero."))
        return quantity

    def clean_needed_by(self) -> Any:
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by and needed_by < timezone.localdate():
            raise ValidationError(_("The date you need it by is in the past."))
        return needed_by

    def clean_region_code(self) -> NutsRegion | None:
        code = self.cleaned_data.get("region_code", "").strip().upper()
        if not code:
            return None
        region = NutsRegion.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(
                _("There is no NUTS region with the code %(code)s.") % {"code": code}
            )
        return region

    def clean(self) -> dict:
        cleaned = super().clean()
        region, country = cleaned.get("region_code"), cleaned.get("country")
        if region and country and region.country_id != country.code:
            self.add_error("region_code", _("This region is not in the chosen country."))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned

    def listing_fields(self) -> dict:
        """The cleaned values for ``services.listing_create``."""
        data = dict(self.cleaned_data)
        data.pop("organisation")
        data["nuts_region"] = data.pop("region_code")
        return data


class ProposeMatchForm(forms.Form):
    own = forms.ModelChoiceField(queryset=SupplyListing.objects.none(), label=_("Your listing"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, own_listings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["own"].queryset = own_listings
        _preselect_single(self.fields["own"])
        self.fields["own"].label_from_instance = lambda listing: (
            f"{listing.organisation.name}: {listing.remaining} {listing.get_unit_display()} "
            f"{listing.item}"
        )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForumPostForm(forms.ModelForm):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("For"))

    class Meta:
        model = ForumPost
        fields = ["organisation", "category", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _posting_organisations(user)
        _preselect_single(self.fields["organisation"])


class CommentForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("For"))
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _posting_organisations(user)
        _preselect_single(self.fields["organisation"])


class ForumModerationForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[
            ("publish", _("Publish")),
            ("request_changes", _("Reject with a reason")),
            ("archive", _("Archive")),
        ]
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ForumFilterForm(forms.Form):
    category = forms.ChoiceField(choices=[("", _("All")), *ForumCategory.choices], required=False)
    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    meaning = MeaningField()


class ListingFilterForm(forms.Form):
    side = forms.ChoiceField(
        choices=[("", _("Offers and requests")), *Side.choices], required=False
    )
    category = forms.ModelChoiceField(
        queryset=SupplyCategory.objects.none(), required=False, empty_label=_("All categories")
    )
    country = CountryChoiceField(
        required=False, empty_label=_("All countries"), to_field_name="code"
    )
    region = forms.CharField(required=False, max_length=5, label=_("NUTS region"))
    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    meaning = MeaningField()

    def __init__(self, *args: Any, portal: ResponsePortal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = SupplyCategory.objects.filter(portal=portal)

    def clean_region(self) -> str:
        code = self.cleaned_data.get("region", "").strip().upper()
        if code and not NutsRegion.objects.filter(code=code).exists():
            raise ValidationError(
                _("There is no NUTS region with the code %(code)s.") % {"code": code}
            )
        return code
