from tickets import services


def issue_tickets_for_paid_order(sender, *, order, **kwargs):
    services.issue_tickets(order)


def void_tickets_of_cancelled_order(sender, *, order, by=None, **kwargs):
    services.void_order_tickets(order, by=by)
