"""Send the refunds that the gateway could not take when their orders were cancelled."""
from django.core.management.base import BaseCommand

from payments.cancellation import retry_pending_refunds


class Command(BaseCommand):
    help = (
        "Cancel open orders left on cancelled events and send pending refunds to the gateway again, "
        "oldest first. Stops at the first refund the gateway cannot take; run it again later."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="Maximum refunds (and orders) handled per run.")

    def handle(self, *args, limit, **options):
        counts = retry_pending_refunds(limit=limit)
        self.stdout.write(
            "Orders cancelled: {orders_cancelled}; refunds sent: {sent}; failed: {failed}; "
            "still pending: {still_pending}".format(**counts)
        )
