from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from events.models import Event
from tickets import selectors, services, signing
from tickets.exceptions import AlreadyCheckedIn, CheckInRejected, NotEventOrganiser
from tickets.serializers import (
    CheckedInTicketSerializer,
    CheckInRequestSerializer,
    CheckInResponseSerializer,
    RevocationListSerializer,
    SigningKeySerializer,
    TicketDetailSerializer,
    TicketSerializer,
)
from tickets.services.checkin import can_check_in

TOKEN_FORMAT = (
    "TK1.<event id>.<ticket code>.<signature>; the signature is Ed25519 over the ASCII text before "
    "the last dot, base64url without padding"
)


class TicketListAPIView(generics.ListAPIView):
    """List the caller's tickets in the order of their events' start times."""

    serializer_class = TicketSerializer

    def get_queryset(self):
        return selectors.user_tickets(self.request.user).order_by("order_line__ticket_type__event__starts_at", "id")


class TicketDetailAPIView(generics.RetrieveAPIView):
    """One of the caller's tickets with its QR code; another user's ticket is a 404."""

    serializer_class = TicketDetailSerializer

    def get_queryset(self):
        return selectors.user_tickets(self.request.user)


class CheckInAPIView(APIView):
    """Check a scanned ticket in at the door; only the event's organisers and superusers may."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "checkin"

    @extend_schema(
        request=CheckInRequestSerializer,
        responses={
            200: CheckInResponseSerializer,
            403: OpenApiResponse(description="Not the event's organiser."),
            404: OpenApiResponse(description="Unknown, altered or forged code, or a ticket of another event."),
            409: OpenApiResponse(description="Already checked in (with the time and scanner) or void."),
        },
    )
    def post(self, request):
        serializer = CheckInRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            ticket = services.check_in(token=data["payload"], by=request.user, event=data.get("event"))
        except CheckInRejected as error:
            return self._rejected(error)
        ticket_data = CheckedInTicketSerializer(ticket, context={"request": request}).data
        return Response({"status": "checked_in", "ticket": ticket_data})

    def _rejected(self, error):
        ticket_data = CheckedInTicketSerializer(error.ticket, context={"request": self.request}).data
        body = {"detail": error.message, "code": error.code, "status": error.ticket.status, "ticket": ticket_data}
        if isinstance(error, AlreadyCheckedIn):
            body["checked_in_at"] = ticket_data["checked_in_at"]
            body["checked_in_by"] = ticket_data["checked_in_by"]
        return Response(body, status=error.status_code)


class OrganisedEventMixin:
    def get_event(self):
        """Return the event of the URL; 404 when it is not visible, 403 when the caller does not organise it."""
        user = self.request.user
        visible = Event.objects.filter(Q(status=Event.Status.PUBLISHED) | Q(pk__in=Event.objects.owned_by(user)))
        event = get_object_or_404(visible, pk=self.kwargs["pk"])
        if not can_check_in(user, event):
            raise NotEventOrganiser()
        return event


class SigningKeyAPIView(OrganisedEventMixin, APIView):
    """The event's public key, so a scanner can verify ticket QR codes offline."""

    @extend_schema(responses={200: SigningKeySerializer})
    def get(self, request, pk):
        event = self.get_event()
        public_key = bytes(services.get_signing_key(event).public_key)
        pem = Ed25519PublicKey.from_public_bytes(public_key).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        return Response({
            "event": event.pk,
            "algorithm": "Ed25519",
            "public_key": signing.b64url_encode(public_key),
            "public_key_pem": pem.decode("ascii"),
            "token_format": TOKEN_FORMAT,
        }, status=status.HTTP_200_OK)


class RevocationListAPIView(OrganisedEventMixin, APIView):
    """Codes of the event's void tickets, which offline scanners must reject."""

    @extend_schema(responses={200: RevocationListSerializer})
    def get(self, request, pk):
        event = self.get_event()
        return Response({"event": event.pk, "revoked": selectors.revoked_codes(event)})
