"""The organisations app's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls.

The list takes exactly the directory page's query parameters (one OrganisationFilterSet serves
both), so a search on the page and through the API give the same profiles in the same order.
"""

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.urls import path, reverse
from django.utils.translation import get_language
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clustercollab.api.filtering import KnownParametersOnly
from clustercollab.api.schema import ERROR_RESPONSES, ErrorSerializer
from clustercollab.matching.selectors import vectors_version
from clustercollab.organisations.directory_index import (
    RecentAnswers,
    RowsByIds,
    directory_stamp,
    indexed_query,
)
from clustercollab.organisations.filters import OrganisationFilterSet
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.selectors import directory_rows

_DATETIME = serializers.DateTimeField()
URL_PK_MARK = 918273645
URL_PK_MARK_TEXT = str(URL_PK_MARK)
URL_SLUG_MARK = "slug-mark-3e5c"
LIST_COLUMNS = [
    "id",
    "name",
    "acronym",
    "slug",
    "kind",
    "country",
    "nuts_region",
    "city",
    "latitude",
    "longitude",
    "website",
    "keywords",
    "label",
    "member_total",
    "published_at",
]


class OrganisationListSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", help_text="ISO 3166 code.")
    nuts_region = serializers.CharField(
        source="nuts_region_id", allow_null=True, help_text="NUTS 2024 level-3 code."
    )
    ecosystems = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    members = serializers.IntegerField(source="member_total", help_text="Members of all types.")
    profile_url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "country",
            "nuts_region",
            "city",
            "latitude",
            "longitude",
            "website",
            "ecosystems",
            "keywords",
            "label",
            "members",
            "published_at",
            "profile_url",
        ]

    def get_profile_url(self, organisation: Organisation) -> str:
        # One reverse() per answer rather than per row: fill a reversed template with each row.
        if not hasattr(self, "_profile_url_template"):
            template = reverse(
                "organisations:detail", kwargs={"pk": URL_PK_MARK, "slug": URL_SLUG_MARK}
            )
            request = self.context.get("request")
            if request is not None:
                template = request.build_absolute_uri(template)
            self._profile_url_template = template
        return self._profile_url_template.replace(URL_PK_MARK_TEXT, str(organisation.pk)).replace(
            URL_SLUG_MARK, organisation.slug
        )

    def to_representation(self, organisation: Organisation) -> dict:
        # The fields above describe the schema; building the dict directly is several times
        # faster than DRF's field-by-field path, and a list answer has many rows.
        return {
            "id": organisation.pk,
            "name": organisation.name,
            "acronym": organisation.acronym,
            "kind": organisation.kind,
            "country": organisation.country_id,
            "nuts_region": organisation.nuts_region_id,
            "city": organisation.city,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
            "website": organisation.website,
            "ecosystems": [ecosystem.slug for ecosystem in organisation.ecosystems.all()],
            "keywords": organisation.keywords,
            "label": organisation.label,
            "members": organisation.member_total,
            "published_at": _DATETIME.to_representation(organisation.published_at)
            if organisation.published_at
            else None,
            "profile_url": self.get_profile_url(organisation),
        }


class MemberCountsSerializer(serializers.Serializer):
    smes = serializers.IntegerField(source="members_smes", allow_null=True)
    large_companies = serializers.IntegerField(source="members_large_companies", allow_null=True)
    research = serializers.IntegerField(source="members_research", allow_null=True)
    universities = serializers.IntegerField(source="members_universities", allow_null=True)
    public_bodies = serializers.IntegerField(source="members_public_bodies", allow_null=True)
    civil_society = serializers.IntegerField(source="members_civil_society", allow_null=True)


class OrganisationDetailSerializer(OrganisationListSerializer):
    nace_activities = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="NACE Rev. 2 codes."
    )
    emerging_industries = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Emerging-industry slugs."
    )
    target_countries = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="ISO 3166 codes."
    )
    members_by_type = MemberCountsSerializer(source="*")
    logo = serializers.ImageField(read_only=True, use_url=True)

    class Meta(OrganisationListSerializer.Meta):
        fields = [
            *OrganisationListSerializer.Meta.fields,
            "about",
            "about_language",
            "offers",
            "seeks",
            "logo",
            "nace_activities",
            "emerging_industries",
            "target_countries",
            "languages",
            "members_by_type",
            "management_fte",
            "label_valid_until",
            "programme_recognition",
            "legal_form",
            "established_on",
            "contact_name",
            "contact_email",
            "contact_phone",
            "source",
            "updated_at",
        ]

    def to_representation(self, organisation: Organisation) -> dict:
        # One row: DRF's own field-by-field representation (the list's shortcut is for lists).
        return serializers.ModelSerializer.to_representation(self, organisation)


class DirectoryIndexFilterBackend(DjangoFilterBackend):
    """The FilterSet validates the parameters (400 when invalid); the directory index answers.

    The result is the ordered ids as a sequence whose pages read just the LIST_COLUMNS of their
    rows (selectors.directory_rows).
    """

    def get_filterset_kwargs(self, request: Request, queryset: QuerySet, view: APIView) -> dict:
        return {
            **super().get_filterset_kwargs(request, queryset, view),
            "stamp": getattr(view, "directory_stamp", None),
        }

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> RowsByIds:
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid() and self.raise_exception:
            raise filter_utils.translate_validation(filterset.errors)
        query = indexed_query(filterset, using=queryset.db, stamp=filterset.stamp)
        read = partial(
            directory_rows,
            columns=LIST_COLUMNS,
            taxonomies=filterset.taxonomies(),
            using=queryset.db,
        )
        return RowsByIds(query.ids_in_order(), read)


@extend_schema(
    tags=["organisations"],
    summary="Published organisation profiles (the directory)",
    description=(
        "The directory's search and filters as query parameters: repeat a parameter for "
        "alternatives (`country=FI&country=SE`); different parameters all apply. `sort` is "
        "relevance (default with `q`), name (default otherwise), size or newest. A parameter "
        "that cannot be used (unknown code, a non-numeric member count, a page past the end) "
        "answers 400 with a message."
    ),
    responses={200: OrganisationListSerializer(many=True), **ERROR_RESPONSES},
)
class OrganisationList(generics.ListAPIView):
    serializer_class = OrganisationListSerializer
    filter_backends = [KnownParametersOnly, DirectoryIndexFilterBackend]
    filterset_class = OrganisationFilterSet

    def get_queryset(self) -> QuerySet[Organisation]:
        # Only its database is used: the directory index answers, the rows are read by id.
        return Organisation.objects.published()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Authentication and throttling have already run (initial()), so a remembered answer is
        # counted like any other request.
        self.directory_stamp = directory_stamp(Organisation.objects.db)
        self.answer_key = self._answer_key(request)
        if self.answer_key is not None:
            answer = _recent_lists.get(self.answer_key)
            if answer is not None:
                content, content_type = answer
                return HttpResponse(content, content_type=content_type)
        return super().list(request, *args, **kwargs)

    def _answer_key(self, request: Request) -> tuple | None:
        """What an anonymous caller's answer depends on; None for members, never remembered
        (as the count cache, api/pagination.py: what a member sees may differ per member)."""
        if request.user.is_authenticated:
            return None
        # The address holds the query and the host the links are made of; the negotiated media
        # type its parameters (e.g. indent); the language any translated text.
        key = (
            self.directory_stamp,
            request.build_absolute_uri(),
            request.accepted_media_type,
            get_language(),
        )
        if "meaning" in request.query_params:
            key = (*key, vectors_version("organisation"))
        return key

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "answer_key", None)
        if key is not None and isinstance(response, Response) and response.status_code == 200:
            # Rendered here rather than by the handler, so that the bytes can be remembered;
            # errors (400s) are never remembered.
            response.render()
            _recent_lists.put(key, (response.content, response["Content-Type"]))
        return response


# Rendered answers (bytes) to anonymous callers, until the directory changes.
_recent_lists = RecentAnswers("DIRECTORY_API_CACHE_SIZE")


@extend_schema(
    tags=["organisations"],
    summary="One published organisation profile",
    responses={
        200: OrganisationDetailSerializer,
        404: OpenApiResponse(ErrorSerializer, description="No published profile has this id."),
        429: ERROR_RESPONSES[429],
    },
)
class OrganisationDetail(generics.RetrieveAPIView):
    serializer_class = OrganisationDetailSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.published().prefetch_related(
            "ecosystems", "nace_activities", "emerging_industries", "target_countries"
        )


urlpatterns = [
    path("organisations/", OrganisationList.as_view(), name="organisations"),
    path("organisations/<int:pk>/", OrganisationDetail.as_view(), name="organisation"),
]
