"""The partnering app's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls.

Posts: public read; members create and update their organisations' posts. Expressions of
interest and contact threads: only the organisations involved. Partnerships, networks: read.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from clustercollab.content.models import FundingCall
from clustercollab.core.models import Country, IndustrialEcosystem, NaceActivity
from clustercollab.organisations.models import Organisation
from clustercollab.partnering import selectors, services
from clustercollab.partnering.forms import POST_FIELDS, PostFilterForm
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    MemberStatus,
    Message,
    Network,
    PartnerPost,
    Partnership,
    PartnershipType,
)


def _api_error(error: ValidationError) -> ApiValidationError:
    if hasattr(error, "error_dict"):
        return ApiValidationError(error.message_dict)
    return ApiValidationError({"detail": error.messages})


class PostOutputSerializer(serializers.ModelSerializer):
    organisation = serializers.StringRelatedField()
    organisation_id = serializers.IntegerField()
    ecosystems = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    target_countries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    nace_activities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PartnerPost
        fields = [
            "id",
            "reference",
            "status",
            "post_type",
            "title",
            "summary",
            "description",
            "partnership_types",
            "development_stage",
            "ipr_status",
            "ecosystems",
            "nace_activities",
            "market_keywords",
            "technology_keywords",
            "target_countries",
            "deadline",
            "funding_call",
            "funding_call_identifier",
            "funding_call_title",
            "funding_call_url",
            "role_sought",
            "budget_eur",
            "duration_months",
            "organisation",
            "organisation_id",
            "published_at",
            "expires_at",
        ]


class PostInputSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    partnership_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnershipType.choices), allow_empty=False
    )
    market_keywords = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False
    )
    technology_keywords = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False
    )
    ecosystems = serializers.PrimaryKeyRelatedField(
        many=True, queryset=IndustrialEcosystem.objects.all(), required=False
    )
    nace_activities = serializers.PrimaryKeyRelatedField(
        many=True, queryset=NaceActivity.objects.all(), required=False
    )
    target_countries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Country.objects.all(), required=False
    )
    funding_call = serializers.PrimaryKeyRelatedField(
        queryset=FundingCall.objects.published(),
        required=False,
        allow_null=True,
        help_text="The id of a published funding call on the platform (R&D partner searches).",
    )

    class Meta:
        model = PartnerPost
        fields = POST_FIELDS


M2M = ("ecosystems", "nace_activities", "target_countries")


def _save_post(request: Request, post: PartnerPost, data: dict) -> Response:
    m2m = {name: data.pop(name) for name in M2M if name in data}
    for field, value in data.items():
        setattr(post, field, value)
    try:
        services.post_save(post=post, actor=request.user, m2m=m2m)
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error)) from error
    except ValidationError as error:
        raise _api_error(error) from error
    return Response(PostOutputSerializer(post).data)


class Pages(PageNumberPagination):
    page_size = 50


class PostListApi(ListAPIView):
    """Listed partner search posts (filters as on the page: q, type, partnership, ecosystem,
    nace, country, keyword); POST creates a draft for one of your organisations."""

    serializer_class = PostOutputSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet:
        form = PostFilterForm(self.request.query_params or None)
        posts = selectors.listed_posts().prefetch_related("nace_activities")
        if form.is_bound:
            if not form.is_valid():
                raise ApiValidationError(form.errors)
            posts = selectors.filter_posts(posts, form.cleaned_data)
        return posts

    @extend_schema(request=PostInputSerializer, responses={201: PostOutputSerializer})
    def post(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise ApiPermissionDenied()
        serializer = PostInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        post = PartnerPost(organisation=data.pop("organisation"))
        response = _save_post(request, post, data)
        response.status_code = status.HTTP_201_CREATED
        return response


class PostDetailApi(GenericAPIView):
    """A listed post (or any post of your organisations); PATCH updates one of yours."""

    serializer_class = PostOutputSerializer

    def get(self, request: Request, pk: int) -> Response:
        post, _is_owner = _viewer_post(request, pk)
        return Response(PostOutputSerializer(post).data)

    @extend_schema(request=PostInputSerializer, responses=PostOutputSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        if not request.user.is_authenticated:
            raise ApiPermissionDenied()
        post, is_owner = _viewer_post(request, pk)
        if not is_owner:
            raise NotFound() if not post.is_public else ApiPermissionDenied()
        serializer = PostInputSerializer(post, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("organisation", None)  # a post stays with its organisation
        return _save_post(request, post, data)


def _viewer_post(request: Request, pk: int) -> tuple[PartnerPost, bool]:
    from django.http import Http404

    try:
        return selectors.post_for_viewer(pk=pk, user=request.user)
    except Http404 as error:
        raise NotFound() from error


class InterestSerializer(serializers.ModelSerializer):
    organisation = serializers.StringRelatedField()
    post = serializers.PrimaryKeyRelatedField(read_only=True)
    thread = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "id",
            "post",
            "organisation",
            "who_we_are",
            "what_we_offer",
            "why_we_fit",
            "status",
            "created_at",
            "decided_at",
            "thread",
        ]


class InterestListApi(ListAPIView):
    """Expressions of interest in the posts of your organisations."""

    serializer_class = InterestSerializer
    pagination_class = Pages
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        return selectors.interests_received_by_user(self.request.user)


class InterestDetailApi(RetrieveAPIView):
    serializer_class = InterestSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        return selectors.interests_received_by_user(self.request.user)


class MessageSerializer(serializers.ModelSerializer):
    sender = serializers.StringRelatedField()

    class Meta:
        model = Message
        fields = ["id", "sender", "body", "created_at"]


class ThreadSerializer(serializers.ModelSerializer):
    initiator = serializers.StringRelatedField()
    recipient = serializers.StringRelatedField()
    messages = MessageSerializer(many=True, read_only=True)

    class Meta:
        model = ContactThread
        fields = ["id", "subject", "initiator", "recipient", "post", "last_message_at", "messages"]


class ThreadListApi(ListAPIView):
    """Contact threads of your organisations."""

    serializer_class = ThreadSerializer
    pagination_class = Pages
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ContactThread.objects.none()
        return selectors.threads_for_user(self.request.user).prefetch_related("messages__sender")


class ThreadDetailApi(RetrieveAPIView):
    serializer_class = ThreadSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ContactThread.objects.none()
        return selectors.threads_for_user(self.request.user).prefetch_related("messages__sender")


class PartnershipSerializer(serializers.ModelSerializer):
    ecosystems = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    target_countries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "name",
            "acronym",
            "programme",
            "start_date",
            "end_date",
            "objectives",
            "ecosystems",
            "target_countries",
            "smes_reached",
            "website",
            "members",
        ]

    def get_members(self, partnership: Partnership) -> list[dict]:
        return [
            {"organisation": m.organisation_id, "name": m.organisation.name, "role": m.role}
            for m in partnership.memberships.all()
            if m.status == MemberStatus.ACTIVE
        ]


class PartnershipListApi(ListAPIView):
    serializer_class = PartnershipSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet:
        return selectors.partnerships().prefetch_related(
            "target_countries", "memberships__organisation"
        )


class PartnershipDetailApi(RetrieveAPIView):
    serializer_class = PartnershipSerializer

    def get_queryset(self) -> QuerySet:
        return PartnershipListApi().get_queryset()


class NetworkSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "acronym",
            "scope",
            "country",
            "description",
            "website",
            "organisation",
            "members",
        ]

    def get_members(self, network: Network) -> list[dict]:
        return [
            {"organisation": m.organisation_id, "name": m.organisation.name}
            for m in network.memberships.all()
        ]


class NetworkListApi(ListAPIView):
    serializer_class = NetworkSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet:
        return selectors.networks().prefetch_related("memberships__organisation")


class NetworkDetailApi(RetrieveAPIView):
    serializer_class = NetworkSerializer

    def get_queryset(self) -> QuerySet:
        return NetworkListApi().get_queryset()


app_name = "partnering-api"
urlpatterns = [
    path("partner-posts/", PostListApi.as_view(), name="partner-posts"),
    path("partner-posts/<int:pk>/", PostDetailApi.as_view(), name="partner-post"),
    path("expressions-of-interest/", InterestListApi.as_view(), name="interests"),
    path("expressions-of-interest/<int:pk>/", InterestDetailApi.as_view(), name="interest"),
    path("contact-threads/", ThreadListApi.as_view(), name="threads"),
    path("contact-threads/<int:pk>/", ThreadDetailApi.as_view(), name="thread"),
    path("partnerships/", PartnershipListApi.as_view(), name="partnerships"),
    path("partnerships/<int:pk>/", PartnershipDetailApi.as_view(), name="partnership"),
    path("networks/", NetworkListApi.as_view(), name="networks"),
    path("networks/<int:pk>/", NetworkDetailApi.as_view(), name="network"),
]
