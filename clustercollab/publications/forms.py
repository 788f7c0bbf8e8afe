"""Member forms for publications and transition resources (built on the content app's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clustercollab.content.forms import ContentForm, OrganisationsField, _formfield
from clustercollab.partnering.models import Partnership
from clustercollab.publications.models import Publication, TransitionResource


class PublicationForm(ContentForm):
    M2M_FIELDS = (
        "ecosystems",
        "countries",
        "authors",
        "source_organisations",
        "source_partnerships",
    )

    authors = OrganisationsField(
        label=_("Authors"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The organisations that wrote it: addresses of their profiles on this site (or "
            "their numbers), one per line."
        ),
        error_messages={"required": _("Name at least one author organisation.")},
    )
    source_organisations = OrganisationsField(
        label=_("Organisations it came from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For good-practice cases: the organisations whose practice it describes, by the "
            "addresses of their profiles on this site (or their numbers), one per line."
        ),
    )
    source_partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerships it came from"),
        queryset=Partnership.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("For good-practice cases."),
    )

    class Meta:
        model = Publication
        formfield_callback = _formfield
        fields = [
            "title",
            "publication_type",
            "publication_date",
            "authors",
            "summary",
            "file",
            "language",
            "ecosystems",
            "countries",
            "transition_theme",
            "source_organisations",
            "source_partnerships",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = True
        self.fields["file"].help_text = _("A PDF file.")
        organisations = kwargs.get("organisations")
        if self.instance.pk is None and organisations is not None and len(organisations) == 1:
            # A member of one organisation usually posts what it wrote.
            self.initial.setdefault("authors", str(organisations[0].pk))
        if self.instance.pk:
            for name in ("authors", "source_organisations"):
                self.initial[name] = "\n".join(
                    str(pk) for pk in getattr(self.instance, name).values_list("pk", flat=True)
                )


class TransitionResourceForm(ContentForm):
    class Meta:
        model = TransitionResource
        formfield_callback = _formfield
        fields = [
            "title",
            "kind",
            "theme",
            "summary",
            "description",
            "link",
            "keywords",
            "language",
            "ecosystems",
            "countries",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
        }


FORMS_BY_KIND: dict[str, type[ContentForm]] = {
    "publication": PublicationForm,
    "resource": TransitionResourceForm,
}
