from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_QUANTITY = 1000
# Ids are bigint primary keys. A larger number can match no row, and SQLite raises OverflowError on it.
MAX_ID = 2**63 - 1


class PayItemSerializer(serializers.Serializer):
    ticket_type_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class PaySerializer(serializers.Serializer):
    """A pay request: an event with one ticket type and quantity, a list of items, or an order to retry."""

    event_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    ticket_type_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False, default=1)
    items = PayItemSerializer(many=True, required=False)
    order = serializers.CharField(
        max_length=20, required=False,
        help_text=_("Number of your pending order, to start a new payment attempt for it (after a 503)."),
    )

    def validate(self, attrs):
        if not attrs.get("order") and not attrs.get("event_id"):
            raise serializers.ValidationError({"event_id": [_("This field is required.")]})
        if attrs.get("items") == []:
            raise serializers.ValidationError({"items": [_("Choose at least one ticket.")]})
        if attrs.get("items") and "ticket_type_id" in attrs:
            raise serializers.ValidationError({"items": [_("Send either items or ticket_type_id, not both.")]})
        return attrs


class OrderLineSerializer(serializers.Serializer):
    ticket_type_id = serializers.IntegerField()
    name = serializers.CharField(source="ticket_type.name")
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)


class OrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    event_id = serializers.IntegerField()
    event = serializers.CharField(source="event.title")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_minor = serializers.IntegerField()
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField()
    lines = OrderLineSerializer(many=True, source="lines.all")
    url = serializers.CharField(source="get_absolute_url")


class TicketSummarySerializer(serializers.Serializer):
    """A ticket as the order shows it; the tickets API has the full ticket with its QR code."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.CharField()
    holder_name = serializers.CharField()
    ticket_type = serializers.CharField(source="order_line.ticket_type.name")
    url = serializers.CharField(source="get_absolute_url")


class PaymentStartedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    authorization_url = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField(source="order.expires_at")
    order = serializers.CharField(source="order.number")
    order_status = serializers.CharField(source="order.status")
    sandbox = serializers.SerializerMethodField(help_text=_("True when the payment page is the local simulation."))

    def get_sandbox(self, payment) -> bool:
        return bool(self.context.get("sandbox"))


class ConfirmationSerializer(serializers.Serializer):
    status = serializers.CharField()
    reference = serializers.CharField(source="payment.reference")
    order = OrderSerializer()
    tickets = TicketSummarySerializer(many=True)
