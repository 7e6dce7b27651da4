"""Event writes shared by the API, the admin and the demo data command."""
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from events.exceptions import EventStatusError
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


def publish_event(event: Event) -> bool:
    """Put a draft event on sale; return False when it was already published.

    Raises EventStatusError for a cancelled event, an event without ticket types or one that has
    already started.
    """
    if event.status == Event.Status.CANCELLED:
        raise EventStatusError(f"“{event}” is cancelled and cannot be published again.")
    if not event.ticket_types.exists():
        raise EventStatusError(f"“{event}” has no ticket types; add one before publishing.")
    if event.starts_at <= timezone.now():
        raise EventStatusError(f"“{event}” has already started and cannot be published.")
    # The status condition makes two simultaneous publishes change the row once.
    return bool(
        Event.objects.filter(pk=event.pk, status=Event.Status.DRAFT)
        .update(status=Event.Status.PUBLISHED, updated_at=timezone.now())
    )


def unpublish_event(event: Event) -> bool:
    """Take a published event off sale (back to draft); return False when it was not published.

    Orders and tickets already issued stay valid. Raises EventStatusError for a cancelled event.
    """
    if event.status == Event.Status.CANCELLED:
        raise EventStatusError(f"“{event}” is cancelled; it is already off sale.")
    return bool(
        Event.objects.filter(pk=event.pk, status=Event.Status.PUBLISHED)
        .update(status=Event.Status.DRAFT, updated_at=timezone.now())
    )
