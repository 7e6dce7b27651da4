from django.core.management.base import BaseCommand, CommandError

from payments.cancellation import retry_pending_refunds
from payments.services import reconcile_payments
from payments.services.payments import ABANDONED_RECHECK_HOURS


class Command(BaseCommand):
    help = (
        "Verify again the payments still pending after N minutes, so payments whose verification failed "
        f"during an outage are settled, and the payments marked abandoned in the last {ABANDONED_RECHECK_HOURS} "
        "hours whose order is not settled, so a late payment is found. Mark pending orders whose seat hold "
        "ended as expired, and send the refunds of cancelled orders that the gateway could not take earlier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=10, metavar="MINUTES",
            help="Only payments started at least this many minutes ago (default: 10).",
        )

    def handle(self, *args, older_than, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more minutes.")
        report = reconcile_payments(older_than_minutes=older_than)
        self.stdout.write(
            f"Checked {report.checked} payments ({report.abandoned_rechecked} abandoned ones again): "
            f"{report.paid} paid, {report.declined} declined, "
            f"{report.incomplete} not completed ({report.abandoned} marked abandoned), {report.other} other. "
            f"Marked {report.orders_expired} orders expired."
        )
        for line in report.errors:
            self.stdout.write(f"  {line}")
        if report.stopped:
            raise CommandError(f"Stopped early: {report.stopped} Run the command again later.")

        counts = retry_pending_refunds()
        self.stdout.write(
            "Refunds: {sent} sent, {failed} failed, {still_pending} still pending; "
            "{orders_cancelled} open orders of cancelled events cancelled.".format(**counts)
        )
