"""The content app's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls.

Reads list published items only, with the same filters as the HTML lists. Members create and
update news and events for organisations they post for; the services check every object.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from clustercollab.content import selectors, services
from clustercollab.content.filters import (
    EventFilter,
    FundingCallFilter,
    NewsFilter,
    SuccessStoryFilter,
)
from clustercollab.content.models import (
    Campaign,
    Event,
    FundingCall,
    News,
    PolicyFactsheet,
    SuccessStory,
    validate_time_zone,
)
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.organisations.models import Organisation


class ContentPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


COMMON_READ_FIELDS = [
    "id",
    "url",
    "title",
    "slug",
    "summary",
    "language",
    "organisation",
    "ecosystems",
    "countries",
    "published_at",
]


class ContentOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True)
    ecosystems = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    countries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    def get_url(self, obj: object) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class NewsOutputSerializer(ContentOutputSerializer):
    class Meta:
        model = News
        fields = [*COMMON_READ_FIELDS, "body", "image", "image_alt"]


class EventOutputSerializer(ContentOutputSerializer):
    campaign = serializers.SlugRelatedField(read_only=True, slug_field="slug")

    class Meta:
        model = Event
        fields = [
            *COMMON_READ_FIELDS,
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
            "campaign",
        ]


class FundingCallOutputSerializer(ContentOutputSerializer):
    call_status = serializers.SerializerMethodField()

    class Meta:
        model = FundingCall
        fields = [
            *COMMON_READ_FIELDS,
            "description",
            "programme",
            "call_identifier",
            "call_title",
            "topic_identifier",
            "type_of_action",
            "opens_at",
            "opening_date_pending",
            "deadline_model",
            "deadline_at",
            "second_deadline_at",
            "timezone",
            "budget",
            "expected_grants",
            "link",
            "source",
            "call_status",
        ]

    def get_call_status(self, obj: FundingCall) -> str:
        return str(obj.call_status)


class SuccessStoryOutputSerializer(ContentOutputSerializer):
    organisations_involved = OrganisationRefSerializer(many=True, read_only=True)

    class Meta:
        model = SuccessStory
        fields = [
            *COMMON_READ_FIELDS,
            "body",
            "outcome",
            "quote",
            "quote_author",
            "origin",
            "origin_url",
            "organisations_involved",
            "image",
        ]


class FactsheetSerializer(serializers.ModelSerializer):
    country_name = serializers.CharField(source="country.local_name", read_only=True)

    class Meta:
        model = PolicyFactsheet
        fields = [
            "country",
            "country_name",
            "summary",
            "programmes",
            "agencies",
            "support_instruments",
            "contacts",
            "last_reviewed",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["name", "slug", "description", "starts_on", "ends_on", "events_deadline"]


def _raise_for(error: Exception) -> None:
    if isinstance(error, DjangoPermissionDenied):
        raise exceptions.PermissionDenied(str(error)) from error
    if isinstance(error, DjangoValidationError):
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise exceptions.ValidationError(detail) from error
    raise error


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class ContentInputSerializer(serializers.ModelSerializer):
    """Writable fields shared by news and events; M2M by slug (ecosystems) and code (countries)."""

    def to_internal_value(self, data: object) -> dict:
        # PostgreSQL refuses NUL characters, also in the lookups of related fields.
        if _has_nul(data):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("Text may not contain NUL characters.")]}
            )
        return super().to_internal_value(data)

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        pk_field=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
    )
    ecosystems = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=IndustrialEcosystem.objects.all(), required=False
    )
    countries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Country.objects.all(), required=False
    )


class NewsInputSerializer(ContentInputSerializer):
    class Meta:
        model = News
        fields = ["organisation", "title", "summary", "body", "language", "ecosystems", "countries"]


class EventInputSerializer(ContentInputSerializer):
    class Meta:
        model = Event
        fields = [
            "organisation",
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
            "language",
            "ecosystems",
            "countries",
        ]

    def validate_timezone(self, value: str) -> str:
        try:
            validate_time_zone(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    def validate(self, attrs: dict) -> dict:
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError(
                {"ends_at": _("The event cannot end before it starts.")}
            )
        return attrs


class PublicListCreate(generics.ListCreateAPIView):
    """Published items of one kind, filtered like the HTML list; POST creates (members)."""

    kind = ""
    filterset_class = None
    output_serializer = None
    input_serializer = None
    pagination_class = ContentPagination
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_serializer_class(self) -> type:
        return self.output_serializer

    def get_queryset(self) -> QuerySet:
        queryset = selectors.public_items(selectors.CONTENT_KINDS[self.kind])
        if self.kind == "event" and "when" not in self.request.query_params:
            queryset = queryset.upcoming()
        return self.filterset_class(self.request.query_params or None, queryset=queryset).qs

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        if self.input_serializer is None:
            raise exceptions.MethodNotAllowed(request.method)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None)
        m2m = {name: data.pop(name) for name in ("ecosystems", "countries") if name in data}
        item = serializer.Meta.model(**data)
        try:
            item = services.content_create(
                item=item,
                actor=request.user,
                organisation=organisation,
                m2m=m2m,
                submit=request.query_params.get("submit") == "1",
            )
        except (DjangoPermissionDenied, DjangoValidationError) as error:
            _raise_for(error)
        output = self.output_serializer(item, context={"request": request})
        body = {**output.data, "status": item.status}
        return Response(body, status=status.HTTP_201_CREATED)


class ItemDetail(generics.RetrieveUpdateAPIView):
    """One item: public when published; editors and staff see and update theirs."""

    kind = ""
    output_serializer = None
    input_serializer = None
    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self) -> type:
        return self.output_serializer

    def get_object(self) -> object:
        model = selectors.CONTENT_KINDS[self.kind]
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            item, _editable = selectors.item_for_viewer(
                model=model, pk=self.kwargs["pk"], user=self.request.user
            )
            return item
        return selectors.item_for_editor(model=model, pk=self.kwargs["pk"], user=self.request.user)

    def update(self, request: Request, *args: object, **kwargs: object) -> Response:
        if self.input_serializer is None:
            raise exceptions.MethodNotAllowed(request.method)
        item = self.get_object()
        serializer = self.input_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("organisation", None)  # the posting organisation never changes
        m2m = {name: data.pop(name) for name in ("ecosystems", "countries") if name in data}
        changed = [name for name, value in data.items() if getattr(item, name) != value]
        for name, value in data.items():
            setattr(item, name, value)
        try:
            item = services.content_update(
                item=item, actor=request.user, changed_fields=changed + list(m2m), m2m=m2m
            )
        except (DjangoPermissionDenied, DjangoValidationError) as error:
            _raise_for(error)
        output = self.output_serializer(item, context={"request": request})
        return Response({**output.data, "status": item.status})


def _views(kind: str, filterset: type, output: type, input_: type | None) -> tuple:
    list_view = PublicListCreate.as_view(
        kind=kind, filterset_class=filterset, output_serializer=output, input_serializer=input_
    )
    detail_view = ItemDetail.as_view(kind=kind, output_serializer=output, input_serializer=input_)
    return list_view, detail_view


class FactsheetList(generics.ListAPIView):
    serializer_class = FactsheetSerializer
    pagination_class = ContentPagination

    def get_queryset(self) -> QuerySet:
        return selectors.factsheets_public()


class FactsheetDetail(generics.RetrieveAPIView):
    serializer_class = FactsheetSerializer

    def get_object(self) -> PolicyFactsheet:
        try:
            return selectors.factsheet_for_country(self.kwargs["code"])
        except Http404 as error:
            raise exceptions.NotFound() from error


class CampaignList(generics.ListAPIView):
    serializer_class = CampaignSerializer
    pagination_class = ContentPagination

    def get_queryset(self) -> QuerySet:
        return Campaign.objects.filter(is_published=True).order_by("-starts_on")


class CampaignDetail(generics.RetrieveAPIView):
    serializer_class = CampaignSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        return Campaign.objects.filter(is_published=True)


news_list, news_detail = _views("news", NewsFilter, NewsOutputSerializer, NewsInputSerializer)
event_list, event_detail = _views("event", EventFilter, EventOutputSerializer, EventInputSerializer)
call_list, call_detail = _views("call", FundingCallFilter, FundingCallOutputSerializer, None)
story_list, story_detail = _views("story", SuccessStoryFilter, SuccessStoryOutputSerializer, None)

urlpatterns = [
    path("news/", news_list, name="content-news-list"),
    path("news/<int:pk>/", news_detail, name="content-news-detail"),
    path("events/", event_list, name="content-event-list"),
    path("events/<int:pk>/", event_detail, name="content-event-detail"),
    path("calls/", call_list, name="content-call-list"),
    path("calls/<int:pk>/", call_detail, name="content-call-detail"),
    path("stories/", story_list, name="content-story-list"),
    path("stories/<int:pk>/", story_detail, name="content-story-detail"),
    path("factsheets/", FactsheetList.as_view(), name="content-factsheet-list"),
    path("factsheets/<str:code>/", FactsheetDetail.as_view(), name="content-factsheet-detail"),
    path("campaigns/", CampaignList.as_view(), name="content-campaign-list"),
    path("campaigns/<slug:slug>/", CampaignDetail.as_view(), name="content-campaign-detail"),
]
