"""Payment API: pay, verify, and Paystack's webhook."""
import json
import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from events.models import Event
from payments import cancellation, selectors, services
from payments.exceptions import (
    EventNotFound,
    GatewayUnavailable,
    InvalidQuantity,
    OrderNotFound,
    OrderNotPayable,
    PaymentNotFound,
    TransactionNotFound,
)
from payments.gateways.base import parse_verification
from payments.gateways.paystack import get_gateway, verify_signature
from payments.models import Payment
from payments.serializers import ConfirmationSerializer, PaymentStartedSerializer, PaySerializer
from ticketing.errors import DomainError

logger = logging.getLogger(__name__)

# Refund events that end a refund; `refund.pending` and `refund.processing` change nothing.
REFUND_OUTCOMES = {"refund.processed", "refund.failed"}


class PayAPIView(APIView):
    """Hold seats, start a payment and return the URL of the page the buyer pays on.

    The short body `{"event_id": 1}` buys one seat of the event's first ticket type. When the gateway is
    unavailable the response is 503 with `Retry-After`, and its `order` field names the held order.
    Send `{"order": "<number>"}` to start a new attempt for that order while the hold lasts.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "payment"

    @extend_schema(
        request=PaySerializer,
        responses={
            201: PaymentStartedSerializer,
            400: OpenApiResponse(description="Invalid quantity or ticket type, with field messages."),
            404: OpenApiResponse(description="No such event, or no such order of the caller's."),
            409: OpenApiResponse(
                description="Sold out (`sold_out`), sales closed (`sales_closed`), or the caller already "
                "holds the maximum per order in unpaid orders (`hold_limit`).",
            ),
            503: OpenApiResponse(description="Payments are unavailable; see `Retry-After`. The order keeps its hold."),
        },
    )
    def post(self, request):
        serializer = PaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = self._existing_order(data["order"]) if data.get("order") else self._new_order(data)
        try:
            payment = services.start_payment(order)
        except GatewayUnavailable as error:
            return _unavailable_response(error, order)
        body = PaymentStartedSerializer(payment, context={"sandbox": get_gateway().is_sandbox}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _existing_order(self, number):
        order = selectors.orders_of(self.request.user).filter(number=number).first()
        if order is None:
            raise OrderNotFound()
        return order

    def _new_order(self, data):
        event = Event.objects.exclude(status=Event.Status.DRAFT).filter(pk=data["event_id"]).first()
        if event is None:
            raise EventNotFound()
        try:
            return services.create_order(
                buyer=self.request.user, event_id=event.pk, quantities=self._quantities(event, data),
            )
        except InvalidQuantity as error:
            field = "items" if data.get("items") else "quantity"
            raise serializers.ValidationError({field: [str(error.message)]}) from error

    def _quantities(self, event, data):
        if data.get("items"):
            return [(item["ticket_type_id"], item["quantity"]) for item in data["items"]]
        type_id = data.get("ticket_type_id")
        if type_id is None:
            first = event.ticket_types.order_by("sort_order", "pk").first()
            if first is None:
                raise OrderNotPayable("This event has no tickets for sale.")
            type_id = first.pk
        return [(type_id, data["quantity"])]


def _unavailable_response(error, order):
    body = {"detail": str(error.message), "code": error.code, "order": order.number, "expires_at": order.expires_at}
    response = Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(error.retry_after)
    return response


class VerifyAPIView(APIView):
    """Verify a payment of the caller's by its reference; repeats return the same order and tickets."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "payment"

    @extend_schema(request=None, responses={200: ConfirmationSerializer})
    def post(self, request, reference):
        confirmation = services.confirm_payment(reference, buyer=request.user)
        return Response(ConfirmationSerializer(confirmation).data)


class SandboxDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["pay", "decline"])


class SandboxDecisionAPIView(APIView):
    """Pay or decline a sandbox payment of the caller's, as the sandbox page's buttons do in a browser.

    It lets an API client finish the purchase without a browser while no Paystack key is set; with a
    key it does not exist (404). Confirm afterwards with the verify endpoint, as after Paystack.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "payment"

    @extend_schema(request=SandboxDecisionSerializer, responses={200: None})
    def post(self, request, reference):
        gateway = get_gateway()
        if not gateway.is_sandbox:
            raise PaymentNotFound()
        if not Payment.objects.filter(reference=reference, order__buyer=request.user).exists():
            raise PaymentNotFound()
        serializer = SandboxDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            gateway.complete(reference, approve=serializer.validated_data["decision"] == "pay")
        except TransactionNotFound:
            raise PaymentNotFound() from None
        return Response({"reference": reference, "decision": serializer.validated_data["decision"]})


@csrf_exempt
@require_POST
def webhook(request):
    """Receive Paystack's events: check the signature of the raw body first, then handle `charge.success`.

    A `charge.success` event only triggers confirmation, which verifies the transaction with Paystack.
    Anything but a 200 makes Paystack send the event again later.
    """
    signature = request.headers.get("x-paystack-signature")
    if not verify_signature(request.body, signature):
        logger.warning("Webhook rejected: %s signature", "missing" if not signature else "invalid")
        return JsonResponse({"detail": "Invalid or missing signature."}, status=401)
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        logger.warning("Webhook rejected: the signed body is not JSON")
        return JsonResponse({"detail": "The body is not JSON."}, status=400)
    event = payload.get("event") if isinstance(payload, dict) else None
    if event == "charge.success":
        return _charge_success(payload.get("data"))
    if event in REFUND_OUTCOMES:
        return _refund_outcome(payload.get("data"))
    logger.info("Webhook event %r ignored", event)
    return JsonResponse({"status": "ignored"})


def _charge_success(data):
    verification = parse_verification(data)
    if not verification.reference:
        logger.warning("Webhook charge.success without a reference ignored")
        return JsonResponse({"status": "ignored"})
    try:
        _confirm(verification)
    except PaymentNotFound:
        logger.info("Webhook charge.success for unknown reference %s ignored", verification.reference)
        return JsonResponse({"status": "ignored"})
    except DomainError as error:
        # Recorded on the payment (declined, mismatch, needs review): a retry would change nothing.
        logger.info("Webhook charge.success for %s not fulfilled: %s", verification.reference, error.code)
        return JsonResponse({"status": "recorded"})
    return JsonResponse({"status": "confirmed"})


def _confirm(signed_verification):
    """Confirm through a verify call; while Paystack is unavailable, use the signed body instead.

    The signature proves that Paystack sent the body, so its transaction data can stand in for a
    verify call during an outage rather than leaving a paid order pending.
    """
    try:
        return services.confirm_payment(signed_verification.reference)
    except GatewayUnavailable:
        logger.warning(
            "Webhook for payment %s: the gateway is unavailable, so the signed body is used",
            signed_verification.reference,
        )
        return services.confirm_payment(signed_verification.reference, verification=signed_verification)


def _refund_outcome(data):
    data = data if isinstance(data, dict) else {}
    reference = str(data.get("transaction_reference") or "")
    refund = cancellation.record_refund_outcome(transaction_reference=reference, status=str(data.get("status") or ""))
    if refund is None:
        logger.info("Webhook refund event for unknown payment %r ignored", reference)
        return JsonResponse({"status": "ignored"})
    return JsonResponse({"status": "recorded"})
