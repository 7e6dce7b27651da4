"""Order creation: the seats are taken (held) inside one locked transaction, and the same rules checked early."""
import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.currencies import to_minor_units
from payments.exceptions import HoldLimitReached, InvalidQuantity, SalesClosed
from payments.models import Order, OrderLine
from payments.services.seats import check_seats, lock_event_and_types, read_event_and_types

logger = logging.getLogger(__name__)


def merge_quantities(items: Mapping[int, int] | Iterable[tuple[int, int]]) -> dict[int, int]:
    """Sum the quantities per ticket type id and drop zeros; raise InvalidQuantity for a negative or empty choice."""
    pairs = items.items() if isinstance(items, Mapping) else items
    merged: dict[int, int] = {}
    for type_id, quantity in pairs:
        if quantity is None or quantity < 0:
            raise InvalidQuantity(_("Quantities must be 0 or more."))
        if quantity:
            merged[int(type_id)] = merged.get(int(type_id), 0) + int(quantity)
    if not merged:
        raise InvalidQuantity()
    return merged


def create_order(*, buyer, event_id, quantities, email="", now=None) -> Order:
    """Hold seats for a buyer and return the pending order.

    `quantities` maps ticket type ids to seat counts (pairs are accepted too, and repeats are summed).
    A buyer's seats of one ticket type in unexpired pending orders, this one included, may not exceed
    the type's `max_per_order`, so a buyer at that limit pays the pending order or waits for it to expire.
    Raises InvalidQuantity, SalesClosed, HoldLimitReached (409, code "hold_limit"), SoldOut or
    EventNotFound, and then nothing is written.
    """
    now = now or timezone.now()
    quantities = merge_quantities(quantities)
    with transaction.atomic():
        # The event lock also serialises one buyer's concurrent checkouts, so the hold count is exact.
        event, types = lock_event_and_types(event_id, sorted(quantities))
        _check_choice(event, types, quantities, now, buyer=buyer)
        order = _insert_order(buyer, event, types, quantities, email, now)
    logger.info(
        "Order %s holds %d seats of event %s until %s",
        order.number, sum(quantities.values()), event.pk, order.expires_at.isoformat(),
    )
    return order


def check_order(*, event_id, quantities, buyer=None, now=None) -> dict[int, int]:
    """Apply create_order's rules to a choice without locks or writes, and return the merged quantities.

    Raises what create_order raises, but checks the buyer's hold limit only when `buyer` is given.
    Other buyers may take the seats between this check and the purchase, so only create_order, under
    its locks, decides.
    """
    now = now or timezone.now()
    quantities = merge_quantities(quantities)
    event, types = read_event_and_types(event_id, sorted(quantities))
    _check_choice(event, types, quantities, now, buyer=buyer)
    return quantities


def _check_choice(event, types, quantities, now, *, buyer=None):
    _check_sales_open(event, types.values(), now)
    _check_limits(types, quantities)
    if buyer is not None:
        # Before the seat check, so a buyer whose own hold empties a type learns why.
        _check_buyer_holds(buyer, types, quantities, now)
    check_seats(event, types, quantities, now=now)


def _check_sales_open(event, types, now):
    for ticket_type in types:
        # The ticket type's own reason covers the event's rules too (cancelled, not published, started).
        reason = ticket_type.sales_closed_reason(now)
        if reason:
            raise SalesClosed(reason)


def _check_limits(types, quantities):
    for type_id, quantity in quantities.items():
        ticket_type = types[type_id]
        if quantity > ticket_type.max_per_order:
            raise InvalidQuantity(
                _("You can buy at most %(max)d %(name)s tickets in one order.")
                % {"max": ticket_type.max_per_order, "name": ticket_type.name}
            )


def _check_buyer_holds(buyer, types, quantities, now):
    """Raise HoldLimitReached when the buyer's held seats plus `quantities` exceed a type's `max_per_order`.

    Without this limit one buyer could hold every seat by repeating checkout without paying.
    """
    held = dict(
        OrderLine.objects.filter(
            order__buyer=buyer, order__status=Order.Status.PENDING, order__expires_at__gt=now,
            ticket_type__in=list(quantities),
        )
        .values("ticket_type")
        .annotate(seats=Sum("quantity"))
        .values_list("ticket_type", "seats")
    )
    for type_id, quantity in quantities.items():
        ticket_type = types[type_id]
        already = held.get(type_id, 0)
        if already and already + quantity > ticket_type.max_per_order:
            logger.info(
                "Order for buyer %s rejected: %d seats of ticket type %s already held, %d more requested",
                buyer.pk, already, type_id, quantity,
            )
            raise HoldLimitReached(_hold_limit_message(ticket_type, already))


def _hold_limit_message(ticket_type, held):
    already = ngettext(
        "You already hold %(held)d %(name)s ticket awaiting payment.",
        "You already hold %(held)d %(name)s tickets awaiting payment.",
        held,
    ) % {"held": held, "name": ticket_type.name}
    limit = _(
        "One buyer can hold at most %(max)d at a time. Pay for them under My orders, or wait until the hold ends."
    ) % {"max": ticket_type.max_per_order}
    return f"{already} {limit}"


def _insert_order(buyer, event, types, quantities, email, now) -> Order:
    total_minor = sum(to_minor_units(types[type_id].price) * quantity for type_id, quantity in quantities.items())
    order = Order.objects.create(
        buyer=buyer, event=event, email=email or buyer.email, currency=event.currency,
        total_minor=total_minor, expires_at=now + timedelta(minutes=settings.ORDER_HOLD_MINUTES),
    )
    OrderLine.objects.bulk_create([
        OrderLine(order=order, ticket_type=types[type_id], quantity=quantity, unit_price=types[type_id].price)
        for type_id, quantity in sorted(quantities.items(), key=lambda item: types[item[0]].sort_order)
    ])
    return order
