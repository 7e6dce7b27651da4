"""Per-event Ed25519 signing keys and the signed QR tokens of tickets."""
import logging

from tickets import signing
from tickets.exceptions import TicketNotFound
from tickets.models import EventSigningKey, Ticket

logger = logging.getLogger(__name__)


def get_signing_key(event) -> EventSigningKey:
    """Return the event's signing key, creating it on first use.

    Two requests may create the first key at the same moment: the unique event column lets only one
    insert win, and get_or_create then reads the winner's row, so both sign with the same key.
    """
    private_key, public_key = signing.generate_key_pair()
    key, created = EventSigningKey.objects.get_or_create(
        event=event, defaults={"private_key": private_key, "public_key": public_key},
    )
    if created:
        logger.info("Created the ticket signing key of event %s", event.pk)
    return key


def _cached_signing_key(event) -> EventSigningKey:
    # A selector's select_related("...event__signing_key") fills this without another query.
    try:
        return event.signing_key
    except EventSigningKey.DoesNotExist:
        return get_signing_key(event)


def ticket_token(ticket: Ticket) -> str:
    """Return the signed QR content of a ticket; Ed25519 signatures are deterministic, so it never changes."""
    event = ticket.order_line.ticket_type.event
    key = _cached_signing_key(event)
    return signing.sign_token(event_id=event.pk, code=ticket.code, private_key=bytes(key.private_key))


def verify_ticket_token(token: str) -> signing.TokenClaims:
    """Return the claims of a genuine token; raise TicketNotFound for malformed, altered or forged text."""
    try:
        claims = signing.parse_token(token)
    except signing.InvalidToken:
        raise TicketNotFound() from None
    public_key = (
        EventSigningKey.objects.filter(event_id=claims.event_id).values_list("public_key", flat=True).first()
    )
    if public_key is None:
        raise TicketNotFound()
    try:
        return signing.verify_token(token, public_key=bytes(public_key))
    except signing.InvalidToken:
        logger.warning("Rejected a ticket token with a bad signature for event %s", claims.event_id)
        raise TicketNotFound() from None
