from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self):
        from payments.signals import order_cancelled, order_paid
        from tickets import receivers

        order_paid.connect(receivers.issue_tickets_for_paid_order, dispatch_uid="tickets.issue_tickets")
        order_cancelled.connect(receivers.void_tickets_of_cancelled_order, dispatch_uid="tickets.void_tickets")
