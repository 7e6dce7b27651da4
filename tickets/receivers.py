from tickets import services


def issue_tickets_for_paid_order(sender, *, order, **kwargs):
    services.issue_tickets(order)
