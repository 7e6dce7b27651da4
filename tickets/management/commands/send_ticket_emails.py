from django.core.management.base import BaseCommand

from tickets.models import OrderEmail
from tickets.services import retry_due_order_emails


class Command(BaseCommand):
    help = (
        "Send order emails that are waiting for a retry, and reclaim ones left by a worker that died "
        "mid-send. Run it every few minutes when the task backend cannot defer work (the immediate backend)."
    )

    def handle(self, *args, **options):
        emails = retry_due_order_emails()
        sent = sum(1 for email in emails if email.status == OrderEmail.Status.SENT)
        self.stdout.write(f"Tried {len(emails)} order emails: {sent} sent, {len(emails) - sent} still failing.")
