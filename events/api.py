from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from events import selectors, services
from events.models import Event
from events.permissions import IsOrganiserOrReadOnly
from events.serializers import EventCreateSerializer, EventSerializer

# Reading events needs no token; a token is still accepted, for example to see one's own drafts.
PUBLIC = [{"jwtAuth": []}, {}]


class EventFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="Text to find in the title, description, location or venue.",
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="Another name for `search`, as the event list page's search form sends it.",
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": ["The end date must not be before the start date."]})
        search, alias = attrs.get("search", ""), attrs.pop("q", "")
        if search and alias and search != alias:
            raise serializers.ValidationError({"q": ["Send either search or q, not both with different text."]})
        attrs["search"] = search or alias
        return attrs


class EventListCreateAPIView(generics.ListCreateAPIView):
    """List upcoming published events (public) or create one (organisers)."""

    permission_classes = [IsOrganiserOrReadOnly]
    serializer_class = EventSerializer

    def get_queryset(self):
        filters = EventFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.public_events(
            query=data.get("search", ""), date_from=data.get("date_from"), date_to=data.get("date_to"),
        )

    @extend_schema(summary="List upcoming events", parameters=[EventFilterSerializer], auth=PUBLIC)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create an event",
        request=EventCreateSerializer,
        responses={
            201: EventSerializer,
            400: OpenApiResponse(description="Invalid field, for example a past date, a negative price or an unknown currency."),
            401: OpenApiResponse(description="No valid token."),
            403: OpenApiResponse(description="The caller is not an organiser."),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = EventCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.create_event(organiser=request.user, **serializer.validated_data)
        return Response(EventSerializer(event, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="One event",
    parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
    responses={200: EventSerializer, 404: OpenApiResponse(description="No such event, or not published.")},
    auth=PUBLIC,
)
class EventDetailAPIView(generics.RetrieveAPIView):
    """One event with its ticket types; drafts are visible only to their organiser."""

    permission_classes = [IsOrganiserOrReadOnly]
    serializer_class = EventSerializer

    def get_queryset(self):
        visible = Q(status=Event.Status.PUBLISHED)
        user = self.request.user
        if user.is_authenticated and user.is_superuser:
            return Event.objects.all()
        if user.is_authenticated:
            visible |= Q(organiser=user)
        return Event.objects.filter(visible)
