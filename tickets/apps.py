from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self):
        from payments.signals import order_paid
        from tickets import receivers

        order_paid.connect(receivers.issue_tickets_for_paid_order, dispatch_uid="tickets.issue_tickets")
