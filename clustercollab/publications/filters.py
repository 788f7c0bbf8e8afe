"""The library's FilterSets, shared by the HTML lists and the API; they build on the content
app's (accent-insensitive word search, ecosystem, country)."""

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clustercollab.content.filters import ContentFilterSet, IdFilter
from clustercollab.publications.models import (
    Publication,
    PublicationType,
    ResourceKind,
    TransitionResource,
    TransitionTheme,
)


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)


class PublicationFilter(ContentFilterSet):
    type = django_filters.ChoiceFilter(
        label=_("Type"), field_name="publication_type", choices=PublicationType.choices
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=settings.PROFILE_LANGUAGES)
    year = YearFilter(label=_("Year"), field_name="publication_date")
    theme = django_filters.ChoiceFilter(
        label=_("Transition theme"), field_name="transition_theme", choices=TransitionTheme.choices
    )
    author = IdFilter(label=_("Author"), field_name="authors", widget=forms.HiddenInput)
    # The year stands for dates here; the content lists' publication-date range is left out.
    date_from = None
    date_to = None

    class Meta:
        model = Publication
        fields = ["q", "type", "ecosystem", "country", "language", "year", "theme", "author"]


class TransitionResourceFilter(ContentFilterSet):
    theme = django_filters.ChoiceFilter(
        label=_("Transition theme"), choices=TransitionTheme.choices
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of resource"), choices=ResourceKind.choices)
    date_from = None
    date_to = None

    class Meta:
        model = TransitionResource
        fields = ["q", "theme", "kind", "ecosystem", "country"]
