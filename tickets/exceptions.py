"""Errors of the tickets app; each carries the HTTP status the API and pages report."""
from ticketing.errors import DomainError


class TicketNotFound(DomainError):
    """The token is malformed, forged, altered or names no ticket the server issued."""

    status_code = 404
    code = "ticket_not_found"
    default_message = "No valid ticket matches this code. It may be mistyped, altered or forged."


class WrongEvent(DomainError):
    """A genuine ticket, but for another event than the one being scanned."""

    status_code = 404
    code = "wrong_event"
    default_message = "This ticket is for another event."


class NotEventOrganiser(DomainError):
    status_code = 403
    code = "not_event_organiser"
    default_message = "Only the event's organisers can check tickets in."


class CheckInRejected(DomainError):
    """A check-in of a genuine ticket that cannot be admitted; `ticket` is the rejected ticket."""

    status_code = 409

    def __init__(self, ticket, message=None):
        self.ticket = ticket
        super().__init__(message)


class AlreadyCheckedIn(CheckInRejected):
    code = "already_checked_in"
    default_message = "This ticket has already been checked in."


class TicketVoid(CheckInRejected):
    code = "ticket_void"
    default_message = "This ticket is void and cannot be used."


class ResendTooSoon(DomainError):
    status_code = 429
    code = "resend_too_soon"
    default_message = "The tickets were sent a moment ago. Please wait a minute before sending them again."

    def __init__(self, retry_after, message=None):
        self.retry_after = retry_after
        super().__init__(message)
