from rest_framework import serializers

from events.models import Event
from tickets import qr, services
from tickets.models import Ticket
from tickets.signing import MAX_TOKEN_LENGTH


class TicketEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "slug", "starts_at", "ends_at", "time_zone", "venue", "location"]


class TicketSerializer(serializers.ModelSerializer):
    """A ticket in lists: who, what, when and its state, without the QR images."""

    event = TicketEventSerializer(source="order_line.ticket_type.event", read_only=True)
    ticket_type = serializers.SerializerMethodField()
    holder = serializers.CharField(source="holder_name", read_only=True)
    order = serializers.CharField(source="order_line.order.number", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ["id", "event", "ticket_type", "holder", "status", "order", "checked_in_at", "url"]

    def get_ticket_type(self, ticket) -> dict:
        ticket_type = ticket.order_line.ticket_type
        return {"id": ticket_type.id, "name": ticket_type.name}

    def get_url(self, ticket) -> str:
        request = self.context.get("request")
        path = ticket.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class TicketDetailSerializer(TicketSerializer):
    """One ticket with its signed QR content and the QR code as SVG and PNG data URIs."""

    qr_payload = serializers.SerializerMethodField()
    qr_svg = serializers.SerializerMethodField()
    qr_png = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "qr_payload", "qr_svg", "qr_png"]

    def get_qr_payload(self, ticket) -> str:
        return services.ticket_token(ticket)

    def get_qr_svg(self, ticket) -> str:
        return qr.data_uri(qr.qr_svg(services.ticket_token(ticket)), "image/svg+xml")

    def get_qr_png(self, ticket) -> str:
        return qr.data_uri(qr.qr_png(services.ticket_token(ticket)), "image/png")


class CheckedInTicketSerializer(TicketSerializer):
    """A ticket in a check-in response, with the user who checked it in."""

    checked_in_by = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = ["id", "event", "ticket_type", "holder", "status", "checked_in_at", "checked_in_by"]

    def get_checked_in_by(self, ticket) -> str | None:
        return ticket.checked_in_by.get_username() if ticket.checked_in_by else None


class CheckInRequestSerializer(serializers.Serializer):
    payload = serializers.CharField(max_length=MAX_TOKEN_LENGTH, help_text="The text of the ticket's QR code.")
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False,
        help_text="Id of the event at the door; a ticket of another event is then rejected.",
    )


class CheckInResponseSerializer(serializers.Serializer):
    status = serializers.CharField()
    ticket = CheckedInTicketSerializer()


class SigningKeySerializer(serializers.Serializer):
    event = serializers.IntegerField()
    algorithm = serializers.CharField()
    public_key = serializers.CharField(help_text="The raw 32-byte Ed25519 public key, base64url without padding.")
    public_key_pem = serializers.CharField()
    token_format = serializers.CharField()


class RevocationListSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    revoked = serializers.ListField(child=serializers.CharField(), help_text="Codes of the event's void tickets.")
