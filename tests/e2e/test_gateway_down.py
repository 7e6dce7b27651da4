"""Journey: Paystack is down, the circuit opens, and the buyer learns when to retry, with the order kept."""
import re
import socket
import threading

import pytest
from playwright.sync_api import expect

from payments.gateways import paystack
from payments.models import Order
from tests.e2e.steps import choose_tickets, continue_to_payment, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class BrokenGateway:
    """A loopback server that accepts each connection and closes it unanswered, counting them."""

    def __init__(self):
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _address = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self):
        self._socket.close()


@pytest.fixture
def broken_paystack(settings):
    """Configure a Paystack key whose API base URL is a loopback server that always hangs up."""
    gateway = BrokenGateway()
    settings.PAYSTACK_SECRET_KEY = "sk_test_e2e_not_a_real_key"
    settings.PAYSTACK_BASE_URL = gateway.url
    settings.PAYSTACK_CIRCUIT_FAILURE_THRESHOLD = 1
    settings.PAYSTACK_CIRCUIT_RECOVERY_SECONDS = 60
    paystack.reset_circuit()
    yield gateway
    paystack.reset_circuit()
    gateway.close()


def test_gateway_down_keeps_choice(page, shoot, make_event, user, broken_paystack):
    event = make_event(title="Highlife Revival", types=(("General admission", "6000.00", 20),))
    retry_message = re.compile(r"Payments are unavailable right now, try again in \d+ seconds\.")

    choose_tickets(page, event, "General admission", 2)
    log_in(page, user.username)
    continue_to_payment(page)

    # The first attempt reaches the gateway, fails, and opens the circuit (threshold 1).
    expect(page.get_by_text(retry_message)).to_be_visible()
    assert broken_paystack.connections == 1
    assert paystack.breaker.opened
    order = Order.objects.get(buyer=user)
    expect(page).to_have_url(re.compile(re.escape(order.get_absolute_url()) + "$"))
    expect(page.get_by_role("row", name=re.compile("General admission"))).to_contain_text("2")
    expect(page.get_by_text(re.compile(r"Your seats are held until \d\d:\d\d"))).to_be_visible()
    shoot(page, "unavailable")

    # While the circuit is open a retry fails fast: the buyer gets the wait time and nothing is sent.
    page.get_by_role("button", name="Pay now").click()
    message = page.get_by_text(retry_message)
    expect(message).to_be_visible()
    seconds = int(re.search(r"try again in (\d+) seconds", message.inner_text()).group(1))
    assert 1 <= seconds <= 60
    assert broken_paystack.connections == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert order.seat_count == 2
