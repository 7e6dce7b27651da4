from django.dispatch import Signal

# Sent with `order=` inside the transaction that marks an order paid, once per order. Receivers run
# in that transaction: the tickets app creates the order's tickets here, so a failure rolls the
# confirmation back. Slow work (email) must be deferred with transaction.on_commit.
order_paid = Signal()

# Sent with `order=` and `by=` (the user, or None) inside the transaction that cancels an order,
# once per order. The tickets app voids the order's tickets here.
order_cancelled = Signal()
