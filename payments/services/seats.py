"""Seat locks and availability checks shared by order creation and late confirmation."""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event, TicketType
from events.selectors import event_seat_counts, ticket_types_with_counts
from payments.exceptions import EventNotFound, InvalidQuantity, SoldOut


def lock_event_and_types(event_id, type_ids) -> tuple[Event, dict[int, TicketType]]:
    """Lock the event row, then the requested ticket types in id order; call inside a transaction.

    The event row lock serialises every seat decision of one event, which the shared event capacity
    needs. The ticket type locks keep the per-type count safe even where a writer locks only the type.
    """
    return _event_and_types(event_id, type_ids, lock=True)


def read_event_and_types(event_id, type_ids) -> tuple[Event, dict[int, TicketType]]:
    """Read the event and the requested ticket types without locks, for checks that decide nothing."""
    return _event_and_types(event_id, type_ids, lock=False)


def _event_and_types(event_id, type_ids, *, lock):
    events = Event.objects.select_for_update() if lock else Event.objects.all()
    try:
        event = events.get(pk=event_id)
    except Event.DoesNotExist:
        raise EventNotFound() from None
    types = TicketType.objects.filter(event=event, pk__in=type_ids).order_by("pk")
    if lock:
        types = types.select_for_update()
    # list() evaluates the queryset: an unevaluated select_for_update() takes no lock.
    found = {ticket_type.pk: ticket_type for ticket_type in list(types)}
    for ticket_type in found.values():
        ticket_type.event = event
    unknown = set(type_ids) - set(found)
    if unknown:
        raise InvalidQuantity(_("Ticket type %(id)s is not sold for this event.") % {"id": min(unknown)})
    return event, found


def check_seats(event, types: dict[int, TicketType], quantities: dict[int, int], *, now) -> None:
    """Raise SoldOut unless every ticket type and the event's shared capacity have room for the quantities.

    Paid orders and pending orders whose hold has not ended take seats. An order that is being
    confirmed late is not counted because its hold has ended. Call with the seats locked to decide,
    or without locks only to check a choice early, as the review page does.
    """
    counted = ticket_types_with_counts(TicketType.objects.filter(pk__in=quantities), now=now)
    for ticket_type in counted:
        left = max(0, ticket_type.capacity - ticket_type.sold_count - ticket_type.held_count)
        if quantities[ticket_type.pk] > left:
            raise SoldOut(_sold_out_message(types[ticket_type.pk].name, left))
    if event.capacity is not None:
        sold, held = event_seat_counts(event, now=now)
        left = max(0, event.capacity - sold - held)
        if sum(quantities.values()) > left:
            raise SoldOut(_sold_out_message(event.title, left))


def _sold_out_message(name, left):
    if left == 0:
        return _("Sold out: %(name)s has no seats left.") % {"name": name}
    return ngettext(
        "Only %(left)d seat is left for %(name)s.", "Only %(left)d seats are left for %(name)s.", left,
    ) % {"name": name, "left": left}
