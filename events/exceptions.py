from ticketing.errors import DomainError


class NotAnOrganiser(DomainError):
    status_code = 403
    code = "not_organiser"
    default_message = "Only organisers can create events."


class EventStatusError(DomainError):
    """The event's status does not allow the requested change (for example publishing a cancelled event)."""

    status_code = 409
    code = "event_status"
    default_message = "The event's status does not allow this change."
