"""Background tasks of the tickets app; arguments are ids, since task arguments must be JSON."""
from django.tasks import task

from tickets.services.email import deliver_order_email


@task()
def send_order_email(email_id: int) -> str:
    """Deliver one requested order email and return its resulting status."""
    return deliver_order_email(email_id).status
