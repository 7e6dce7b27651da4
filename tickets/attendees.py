"""The attendee list of an event as CSV, safe to open in a spreadsheet."""
import csv

from django.utils import timezone


HEADER = ("holder", "email", "ticket type", "status", "checked in at", "order", "event")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), so the
# cell gets a leading apostrophe, which spreadsheets show as text and do not evaluate.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value) -> str:
    """Return the cell's text, prefixed with an apostrophe when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def attendee_rows(tickets):
    """Yield one row of text cells per ticket; `checked in at` is in the event's time zone."""
    tickets = tickets.select_related("holder", "order_line__ticket_type__event", "order_line__order")
    for ticket in tickets.order_by("order_line__ticket_type__event_id", "order_line__ticket_type__sort_order", "id"):
        event = ticket.order_line.ticket_type.event
        checked_in_at = ""
        if ticket.checked_in_at:
            checked_in_at = timezone.localtime(ticket.checked_in_at, event.tzinfo).isoformat(timespec="seconds")
        yield [escape_cell(value) for value in (
            ticket.holder_name,
            ticket.order_line.order.email or ticket.holder.email,
            ticket.order_line.ticket_type.name,
            ticket.get_status_display(),
            checked_in_at,
            ticket.order_line.order.number,
            event.title,
        )]


def write_attendee_csv(tickets, out) -> int:
    """Write the header and one row per ticket of a Ticket queryset to a text stream; return the row count."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    for row in attendee_rows(tickets):
        writer.writerow(row)
        count += 1
    return count
