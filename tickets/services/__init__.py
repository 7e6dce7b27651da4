"""Ticket writes: issuing, signing keys, check-in and the order email.

Views, API views, admin actions and the payments app call these functions; they import from
`tickets.services` and need not know the module layout behind it.
"""
from tickets.services.checkin import check_in, void_order_tickets, void_ticket
from tickets.services.email import deliver_order_email, request_order_email, resend_order_email, retry_due_order_emails
from tickets.services.issuing import issue_tickets
from tickets.services.keys import get_signing_key, ticket_token, verify_ticket_token

__all__ = [
    "check_in",
    "deliver_order_email",
    "get_signing_key",
    "issue_tickets",
    "request_order_email",
    "resend_order_email",
    "retry_due_order_emails",
    "ticket_token",
    "verify_ticket_token",
    "void_order_tickets",
    "void_ticket",
]
