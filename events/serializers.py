import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from events.currencies import CURRENCIES
from events.models import Event, TicketType, validate_time_zone
from events.selectors import ticket_types_for_sale, ticket_types_for_sale_by_event
from events.services import GENERAL_ADMISSION

MAX_PRICE = Decimal("9999999999.99")
# Events start and end at most this many years ahead. The limit also keeps every accepted date, in
# any zone, far from datetime's end in year 9999.
MAX_YEARS_AHEAD = 10


class EventDateTimeField(serializers.DateTimeField):
    """A date and time, or a bare date (meaning midnight); times without an offset are local to the event."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", datetime.UTC)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                value = datetime.date.fromisoformat(value.strip()).isoformat() + "T00:00:00"
            except ValueError:
                self.fail("invalid", format="YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][+HH:MM]")
        return super().to_internal_value(value)

    def enforce_timezone(self, value):
        """Convert a value with an offset to UTC, and keep a naive one naive for the event's zone."""
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


def _localise(value, time_zone: str):
    """Attach the event's time zone to a naive datetime and convert it to UTC. Return an aware one unchanged."""
    if value is None or timezone.is_aware(value):
        return value
    # Converting to UTC here raises OverflowError for a local time near year 9999 before it reaches the database.
    return timezone.make_aware(value, zoneinfo.ZoneInfo(time_zone)).astimezone(datetime.UTC)


def _years_after(moment, years: int):
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February in a year that is not a leap year
        return moment.replace(year=moment.year + years, day=28)


class TicketTypeSerializer(serializers.ModelSerializer):
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"), max_value=MAX_PRICE)
    capacity = serializers.IntegerField(min_value=0, max_value=1_000_000)
    max_per_order = serializers.IntegerField(min_value=1, max_value=100, default=10)
    currency = serializers.CharField(source="event.currency", read_only=True)
    available = serializers.IntegerField(read_only=True)

    class Meta:
        model = TicketType
        fields = ["id", "name", "description", "price", "currency", "capacity", "max_per_order", "available"]
        read_only_fields = ["id"]
        # The event's own uniqueness check runs in EventCreateSerializer.validate_ticket_types.
        validators = []


class EventListSerializer(serializers.ListSerializer):
    """A list of events whose ticket types and seat counts are read for the whole page at once."""

    def to_representation(self, data):
        events = list(data.all() if hasattr(data, "all") else data)
        # The child serializers share this context, so each finds its event's types here.
        self.context.setdefault("_ticket_types", {}).update(ticket_types_for_sale_by_event(events))
        return super().to_representation(events)


class EventSerializer(serializers.ModelSerializer):
    """An event as the public and its organiser see it."""

    date = serializers.DateTimeField(source="starts_at", read_only=True)
    ticket_price = serializers.SerializerMethodField()
    ticket_types = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "title", "slug", "description", "venue", "location", "date", "starts_at", "ends_at",
            "time_zone", "currency", "status", "capacity", "ticket_price", "ticket_types", "url",
        ]
        read_only_fields = fields
        list_serializer_class = EventListSerializer

    def get_ticket_price(self, event) -> str | None:
        """Return the first ticket type's price, kept for clients written against the one-price form."""
        types = self._types(event)
        return str(types[0].price) if types else None

    def get_ticket_types(self, event) -> list[dict]:
        return TicketTypeSerializer(self._types(event), many=True).data

    def get_url(self, event) -> str:
        request = self.context.get("request")
        path = event.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def _types(self, event):
        cache = self.context.setdefault("_ticket_types", {})
        if event.pk not in cache:
            cache[event.pk] = ticket_types_for_sale(event)
        return cache[event.pk]


class EventCreateSerializer(serializers.Serializer):
    """Input for creating an event, in the short form or the full form.

    Short form: `title`, `date`, `location`, `ticket_price`, with optional `capacity` (of the single
    "General admission" type, default 100), `currency` and `description`. Full form: a `ticket_types`
    list instead of `ticket_price`; there `capacity` is the optional total shared by all types.
    Events created through the API are published at once unless `status` is "draft".
    """

    title = serializers.CharField(max_length=200)
    date = EventDateTimeField(required=False)
    starts_at = EventDateTimeField(required=False)
    ends_at = EventDateTimeField(required=False, allow_null=True)
    location = serializers.CharField(max_length=300)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    currency = serializers.ChoiceField(choices=list(CURRENCIES), required=False)
    time_zone = serializers.CharField(max_length=64, required=False)
    status = serializers.ChoiceField(
        choices=[Event.Status.PUBLISHED, Event.Status.DRAFT], default=Event.Status.PUBLISHED,
    )
    capacity = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)
    ticket_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), max_value=MAX_PRICE, required=False,
    )
    ticket_types = TicketTypeSerializer(many=True, required=False)

    def validate_time_zone(self, value):
        try:
            validate_time_zone(value)
        except Exception as error:
            raise serializers.ValidationError(f"{value!r} is not a known time zone, such as Africa/Lagos.") from error
        return value

    def validate_ticket_types(self, value):
        if not value:
            raise serializers.ValidationError("Give at least one ticket type.")
        names = [item["name"].strip().lower() for item in value]
        if len(set(names)) != len(names):
            raise serializers.ValidationError("Ticket type names must be different from each other.")
        return value

    def validate(self, attrs):
        errors = {}
        starts_at = attrs.pop("date", None) or attrs.get("starts_at")
        if starts_at is None:
            errors["date"] = ["This field is required."]
        has_price = "ticket_price" in attrs
        has_types = bool(attrs.get("ticket_types"))
        if has_price == has_types:
            errors["ticket_price"] = ["Give either ticket_price or a ticket_types list, not both or neither."]
        if errors:
            raise serializers.ValidationError(errors)

        self._localise_dates(attrs, starts_at)
        attrs.setdefault("currency", settings.DEFAULT_CURRENCY)

        if has_price:
            capacity = attrs.pop("capacity", None)
            attrs["ticket_types"] = [{
                "name": GENERAL_ADMISSION,
                "price": attrs.pop("ticket_price"),
                "capacity": 100 if capacity is None else capacity,
                "max_per_order": 10,
            }]
        return attrs

    def _localise_dates(self, attrs, starts_at):
        """Place naive dates in the event's zone and check that the event lies ahead, within the limit."""
        time_zone = attrs.setdefault("time_zone", settings.DEFAULT_EVENT_TIME_ZONE)
        attrs["starts_at"] = _localise_within_limit(starts_at, time_zone, field="date", verb="start")
        attrs["ends_at"] = _localise_within_limit(attrs.get("ends_at"), time_zone, field="ends_at", verb="end")
        if attrs["starts_at"] <= timezone.now():
            raise serializers.ValidationError({"date": ["The event must start in the future."]})
        if attrs["ends_at"] and attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": ["The end must be after the start."]})


def _localise_within_limit(value, time_zone: str, *, field: str, verb: str):
    """Return `value` as an aware datetime; raise a ValidationError on `field` if it is out of range."""
    too_late = serializers.ValidationError({field: [f"The event must {verb} within {MAX_YEARS_AHEAD} years."]})
    try:
        value = _localise(value, time_zone)
    except OverflowError:
        # Only a local time in year 9999 overflows, and that is far beyond the limit.
        raise too_late from None
    if value is not None and value > _years_after(timezone.now(), MAX_YEARS_AHEAD):
        raise too_late
    return value
