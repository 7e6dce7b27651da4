"""Checkout and payment writes: seat holds, payment attempts and the one confirmation path.

The services here take row locks in one order: order, then payment, then event, then ticket types by
id. With one order, two of these transactions wait for each other instead of deadlocking.
"""
from payments.services.confirmation import Confirmation, confirm_payment, order_tickets
from payments.services.orders import check_order, create_order
from payments.services.payments import reconcile_payments, start_payment

__all__ = [
    "Confirmation", "check_order", "confirm_payment", "create_order", "order_tickets", "reconcile_payments",
    "start_payment",
]
