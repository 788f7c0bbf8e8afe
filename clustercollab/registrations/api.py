"""Event registration's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls.

An event's registration status is public (the join link only for people registered online);
members register, cancel and say they are interested with their token; organisers list the
people registered.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from clustercollab.api.schema import ERROR_RESPONSES
from clustercollab.content.models import Event
from clustercollab.registrations import selectors, services
from clustercollab.registrations.models import (
    AttendanceMode,
    Registration,
    RegistrationStatus,
)


def _api_error(error: ValidationError) -> ApiValidationError:
    if hasattr(error, "error_dict"):
        return ApiValidationError(error.message_dict)
    return ApiValidationError({"non_field_errors": error.messages})


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


# Plain strings rather than choice fields: their enums would collide in the schema with other
# apps' "mode" and "status" enums.
MODE_FIELD = {"help_text": "on_site or online"}
STATUS_FIELD = {"help_text": "registered, waiting or cancelled"}


class ModeFiguresSerializer(serializers.Serializer):
    mode = serializers.CharField(**MODE_FIELD)
    capacity = serializers.IntegerField()
    registered = serializers.IntegerField()
    waiting = serializers.IntegerField()
    places_left = serializers.IntegerField()
    interested = serializers.IntegerField(
        allow_null=True, help_text="People interested before opening: for organisers only."
    )


class MyRegistrationSerializer(serializers.ModelSerializer):
    mode = serializers.CharField(read_only=True, **MODE_FIELD)
    status = serializers.CharField(read_only=True, **STATUS_FIELD)
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    event_starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    waiting_position = serializers.SerializerMethodField()
    join_link = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "event_title",
            "event_starts_at",
            "mode",
            "status",
            "queued_at",
            "promoted_at",
            "cancelled_at",
            "waiting_position",
            "join_link",
        ]

    def get_waiting_position(self, registration: Registration) -> int | None:
        return selectors.waiting_position(registration)

    def get_join_link(self, registration: Registration) -> str:
        """The online join link when this registration is an online place; empty otherwise."""
        if (
            registration.status == RegistrationStatus.REGISTERED
            and registration.mode == AttendanceMode.ONLINE
        ):
            setup = selectors.setup_of(registration.event)
            return setup.join_link if setup else ""
        return ""


class OrganiserRegistrationSerializer(serializers.ModelSerializer):
    mode = serializers.CharField(read_only=True, **MODE_FIELD)
    status = serializers.CharField(read_only=True, **STATUS_FIELD)
    name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "email",
            "mode",
            "status",
            "queued_at",
            "promoted_at",
            "cancelled_at",
        ]


class RegistrationStatusSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    offered = serializers.BooleanField()
    phase = serializers.CharField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    modes = ModeFiguresSerializer(many=True)
    interested_mode = serializers.CharField(allow_null=True)
    my_registration = MyRegistrationSerializer(allow_null=True)


class ModeInputSerializer(serializers.Serializer):
    mode = serializers.CharField(**MODE_FIELD)


def _event(request: Request, pk: int) -> Event:
    from django.http import Http404

    try:
        return selectors.event_for_viewer(pk=pk, user=request.user)
    except Http404 as error:
        raise NotFound() from error


def _status_body(event: Event, request: Request) -> dict:
    from django.utils import timezone

    setup = selectors.setup_of(event)
    user = request.user
    interest = selectors.interest_of(event=event, user=user)
    registration = selectors.active_registration(event=event, user=user)
    is_organiser = selectors.can_organise(user=user, event=event)
    modes = [f for f in selectors.figures(event) if setup and f.mode in setup.modes]
    return {
        "event": event.pk,
        "offered": setup is not None,
        "phase": setup.phase(timezone.now()) if setup else None,
        "opens_at": setup.opens_at if setup else None,
        "closes_at": setup.closes_at if setup else None,
        "modes": [
            {
                "mode": f.mode,
                "capacity": f.capacity,
                "registered": f.registered,
                "waiting": f.waiting,
                "places_left": f.places_left,
                "interested": f.interested if is_organiser else None,
            }
            for f in modes
        ],
        "interested_mode": interest.mode if interest else None,
        "my_registration": MyRegistrationSerializer(registration).data if registration else None,
    }


class RegistrationStatusApi(GenericAPIView):
    """Where an event's registration stands: phase, dates, places per mode, and the caller's own
    interest and registration (the join link only for a place online)."""

    serializer_class = RegistrationStatusSerializer

    @extend_schema(responses={200: RegistrationStatusSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_status_body(_event(request, pk), request))


class RegisterApi(GenericAPIView):
    """Register the caller in an attendance mode (``on_site`` or ``online``); when the mode is
    full the registration goes to its waiting list (``status`` says which)."""

    serializer_class = ModeInputSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ModeInputSerializer, responses={201: MyRegistrationSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: int) -> Response:
        event = _event(request, pk)
        serializer = ModeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            registration = services.register(
                event=event, user=request.user, mode=serializer.validated_data["mode"]
            )
        except ValidationError as error:
            raise _api_error(error) from error
        return Response(MyRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class CancelApi(GenericAPIView):
    """Cancel the caller's registration; the place goes to the first on the waiting list."""

    serializer_class = MyRegistrationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: MyRegistrationSerializer, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        event = _event(request, pk)
        registration = selectors.active_registration(event=event, user=request.user)
        if registration is None:
            raise ApiValidationError(
                {"non_field_errors": ["You have no registration to cancel for this event."]}
            )
        try:
            registration = services.cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            raise _api_error(error) from error
        return Response(MyRegistrationSerializer(registration).data)


class InterestApi(GenericAPIView):
    """Before registration opens: say the caller is interested, and how they would attend."""

    serializer_class = ModeInputSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ModeInputSerializer,
        responses={200: RegistrationStatusSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = _event(request, pk)
        serializer = ModeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.interest_set(
                event=event, user=request.user, mode=serializer.validated_data["mode"]
            )
        except ValidationError as error:
            raise _api_error(error) from error
        return Response(_status_body(event, request))


class MyRegistrationsApi(ListAPIView):
    """The caller's registrations (cancelled ones included), latest events first."""

    serializer_class = MyRegistrationSerializer
    pagination_class = Pages
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Registration.objects.none()
        return selectors.registrations_of_user(self.request.user)


class OrganiserRegistrationsApi(ListAPIView):
    """For the event's organisers: every registration, by mode, status and arrival."""

    serializer_class = OrganiserRegistrationSerializer
    pagination_class = Pages
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=RegistrationStatus.values, description="only this status"
            )
        ],
        responses={200: OrganiserRegistrationSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        from django.http import Http404

        try:
            event = selectors.event_for_organiser(pk=self.kwargs["pk"], user=self.request.user)
        except Http404 as error:
            raise NotFound() from error
        wanted = self.request.query_params.get("status", "")
        if wanted and wanted not in RegistrationStatus.values:
            raise ApiValidationError(
                {"status": [f"Use one of: {', '.join(RegistrationStatus.values)}."]}
            )
        return selectors.registrations_for_organiser(event, status=wanted)


urlpatterns = [
    path(
        "events/<int:pk>/registration/",
        RegistrationStatusApi.as_view(),
        name="registration-status",
    ),
    path(
        "events/<int:pk>/registration/register/",
        RegisterApi.as_view(),
        name="registration-register",
    ),
    path("events/<int:pk>/registration/cancel/", CancelApi.as_view(), name="registration-cancel"),
    path(
        "events/<int:pk>/registration/interest/",
        InterestApi.as_view(),
        name="registration-interest",
    ),
    path(
        "events/<int:pk>/registrations/",
        OrganiserRegistrationsApi.as_view(),
        name="registration-organiser-list",
    ),
    path("registrations/mine/", MyRegistrationsApi.as_view(), name="registration-mine"),
]
