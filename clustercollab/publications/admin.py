"""Staff create transition resources here (they publish at once) and manage publications;
moderation decisions are taken on the review page linked from the moderation queue."""

from django import forms
from django.contrib import admin

from clustercollab.content.admin import ContentAdmin
from clustercollab.publications.files import pdf_text, validate_pdf
from clustercollab.publications.models import Publication, TransitionResource


class PublicationAdminForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = [
            "title",
            "slug",
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
            "organisation",
            "author",
        ]

    def clean_file(self) -> object:
        file = self.cleaned_data.get("file")
        if file and hasattr(file, "content_type"):  # a new upload
            validate_pdf(file)
            self.instance.file_text = pdf_text(file)
        return file


@admin.register(Publication)
class PublicationAdmin(ContentAdmin):
    form = PublicationAdminForm
    actions = []
    list_display = ["title", "publication_type", "publication_date", "organisation", "status"]
    list_filter = ["status", "publication_type", "language", "ecosystems"]
    autocomplete_fields = ["organisation", "author", "authors", "source_organisations"]


@admin.register(TransitionResource)
class TransitionResourceAdmin(ContentAdmin):
    actions = []
    list_display = ["title", "kind", "theme", "organisation", "status", "published_at"]
    list_filter = ["status", "kind", "theme", "ecosystems"]
    autocomplete_fields = ["organisation", "author"]
