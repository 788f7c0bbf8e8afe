"""The library's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls.

Reads list published publications and transition resources with the same filters as the
HTML lists; a detail is public when published, else only for its editors and staff. Members
create publications (multipart, with the PDF) and resources for organisations they post for;
the services check every object and the file.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from clustercollab.content import selectors as content_selectors
from clustercollab.content.api import (
    COMMON_READ_FIELDS,
    ContentInputSerializer,
    ContentOutputSerializer,
    ContentPagination,
    OrganisationRefSerializer,
    _raise_for,
)
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.models import Partnership
from clustercollab.publications import selectors, services
from clustercollab.publications.filters import PublicationFilter, TransitionResourceFilter
from clustercollab.publications.models import Publication, TransitionResource


class PartnershipRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["id", "name", "acronym"]


class PublicationOutputSerializer(ContentOutputSerializer):
    authors = OrganisationRefSerializer(many=True, read_only=True)
    source_organisations = OrganisationRefSerializer(many=True, read_only=True)
    source_partnerships = PartnershipRefSerializer(many=True, read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            *COMMON_READ_FIELDS,
            "publication_type",
            "publication_date",
            "authors",
            "transition_theme",
            "source_organisations",
            "source_partnerships",
            "file_url",
        ]

    def get_file_url(self, obj: Publication) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.download_url) if request else obj.download_url


class TransitionResourceOutputSerializer(ContentOutputSerializer):
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField())

    class Meta:
        model = TransitionResource
        fields = [*COMMON_READ_FIELDS, "kind", "theme", "description", "link", "keywords"]


class PublicationInputSerializer(ContentInputSerializer):
    authors = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Organisation.objects.published(),
        allow_empty=False,
        error_messages={"empty": _("Name at least one author organisation.")},
    )
    source_organisations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.published(), required=False
    )
    source_partnerships = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partnership.objects.all(), required=False
    )

    class Meta:
        model = Publication
        fields = [
            "organisation",
            "title",
            "summary",
            "publication_type",
            "publication_date",
            "language",
            "ecosystems",
            "countries",
            "authors",
            "file",
            "transition_theme",
            "source_organisations",
            "source_partnerships",
        ]


class TransitionResourceInputSerializer(ContentInputSerializer):
    class Meta:
        model = TransitionResource
        fields = [
            "organisation",
            "title",
            "summary",
            "kind",
            "theme",
            "description",
            "link",
            "keywords",
            "language",
            "ecosystems",
            "countries",
        ]


M2M_FIELDS = ("ecosystems", "countries", "authors", "source_organisations", "source_partnerships")


class LibraryListCreate(generics.ListCreateAPIView):
    """Published items of one kind, filtered like the HTML list; POST creates (members).

    ``?submit=1`` submits the new item for validation at once; otherwise it is a draft.
    """

    kind = ""
    filterset_class = None
    output_serializer = None
    input_serializer = None
    pagination_class = ContentPagination
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_serializer_class(self) -> type:
        if self.request is not None and self.request.method == "POST":
            return self.input_serializer
        return self.output_serializer

    def get_queryset(self) -> QuerySet:
        public = {
            "publication": selectors.public_publications,
            "resource": selectors.public_resources,
        }[self.kind]()
        return self.filterset_class(self.request.query_params or None, queryset=public).qs

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None)
        m2m = {name: data.pop(name) for name in M2M_FIELDS if name in data}
        item = serializer.Meta.model(**data)
        try:
            item = services.item_create(
                item=item,
                actor=request.user,
                organisation=organisation,
                m2m=m2m,
                submit=request.query_params.get("submit") == "1",
            )
        except (DjangoPermissionDenied, DjangoValidationError) as error:
            _raise_for(error)
        output = self.output_serializer(item, context={"request": request})
        return Response({**output.data, "status": item.status}, status=status.HTTP_201_CREATED)


class LibraryDetail(generics.RetrieveAPIView):
    """One item: public when published; its editors and staff also see it before."""

    kind = ""
    output_serializer = None

    def get_serializer_class(self) -> type:
        return self.output_serializer

    def get_object(self) -> object:
        item, _editable = content_selectors.item_for_viewer(
            model=selectors.LIBRARY_KINDS[self.kind], pk=self.kwargs["pk"], user=self.request.user
        )
        return item


publication_list = LibraryListCreate.as_view(
    kind="publication",
    filterset_class=PublicationFilter,
    output_serializer=PublicationOutputSerializer,
    input_serializer=PublicationInputSerializer,
    parser_classes=[MultiPartParser, FormParser],
)
resource_list = LibraryListCreate.as_view(
    kind="resource",
    filterset_class=TransitionResourceFilter,
    output_serializer=TransitionResourceOutputSerializer,
    input_serializer=TransitionResourceInputSerializer,
    parser_classes=[JSONParser, MultiPartParser, FormParser],
)

urlpatterns = [
    path("publications/", publication_list, name="publications-publication-list"),
    path(
        "publications/<int:pk>/",
        LibraryDetail.as_view(kind="publication", output_serializer=PublicationOutputSerializer),
        name="publications-publication-detail",
    ),
    path("transition-resources/", resource_list, name="publications-resource-list"),
    path(
        "transition-resources/<int:pk>/",
        LibraryDetail.as_view(
            kind="resource", output_serializer=TransitionResourceOutputSerializer
        ),
        name="publications-resource-detail",
    ),
]
