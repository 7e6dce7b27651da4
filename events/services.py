"""Event writes shared by the API, the admin and the demo data command."""
import secrets

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from events.models import Event, TicketType

GENERAL_ADMISSION = "General admission"


def unique_slug(title: str) -> str:
    """Return a slug for the title that no event uses yet (Unicode titles keep their letters)."""
    base = slugify(title, allow_unicode=True)[:200] or "event"
    slug = base
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


@transaction.atomic
def create_event(*, organiser, ticket_types: list[dict], **fields) -> Event:
    """Create an event with its ticket types.

    `fields` are Event fields; each item of `ticket_types` holds TicketType fields. The slug is made
    from the title when not given.
    """
    fields.setdefault("slug", unique_slug(fields["title"]))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                event = Event.objects.create(organiser=organiser, **fields)
            break
        except IntegrityError:
            # Another event took the slug between the check and the insert.
            fields["slug"] = unique_slug(fields["title"])
    else:
        raise IntegrityError("Could not find a free slug for %r" % fields["title"])
    for position, ticket_type in enumerate(ticket_types):
        ticket_type.setdefault("sort_order", position)
        TicketType.objects.create(event=event, **ticket_type)
    return event
