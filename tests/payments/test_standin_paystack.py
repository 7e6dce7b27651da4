"""Pay and verify over real HTTP: the app on a live server, Paystack replaced by a stand-in on loopback."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from payments.models import Order
from tests.conftest import PASSWORD

SECRET_KEY = "sk_test_standin0123456789"

pytestmark = [pytest.mark.django_db(transaction=True)]


class StandInPaystack(BaseHTTPRequestHandler):
    """Paystack's initialize and verify endpoints, in their real shapes; GET /checkout/<ref> pays."""

    transactions: dict = {}
    authorizations: list = []

    def do_POST(self):
        self.authorizations.append(self.headers.get("Authorization"))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/transaction/initialize":
            return self.reply(404, {"status": False, "message": "Not found"})
        reference = body["reference"]
        self.transactions[reference] = {**body, "status": "abandoned"}
        url = f"http://127.0.0.1:{self.server.server_port}/checkout/{reference}"
        return self.reply(200, {"status": True, "message": "Authorization URL created",
                                "data": {"authorization_url": url, "access_code": "standin", "reference": reference}})

    def do_GET(self):
        prefix, _, reference = self.path.rpartition("/")
        if prefix != "/checkout":
            self.authorizations.append(self.headers.get("Authorization"))
        transaction = self.transactions.get(reference)
        if transaction is None:
            return self.reply(400, {"status": False, "message": "Transaction reference not found"})
        if prefix == "/checkout":
            transaction["status"] = "success"
            return self.reply(200, {"status": True, "message": "Paid"})
        return self.reply(200, {"status": True, "message": "Verification successful", "data": {
            "id": 1, "domain": "test", "status": transaction["status"], "reference": reference,
            "amount": transaction["amount"], "currency": transaction["currency"],
            "gateway_response": "Successful" if transaction["status"] == "success" else "Abandoned",
            "paid_at": "2026-12-04T10:15:03.000Z", "metadata": transaction["metadata"],
        }})

    def reply(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def standin(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInPaystack)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    StandInPaystack.transactions = {}
    StandInPaystack.authorizations = []
    settings.PAYSTACK_SECRET_KEY = SECRET_KEY
    settings.PAYSTACK_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def test_pay_and_verify_over_http(live_server, standin, event, user):
    http = requests.Session()
    http.trust_env = False
    token = http.post(f"{live_server.url}/api/token/", data={"username": user.username, "password": PASSWORD},
                      timeout=10).json()["access"]
    http.headers["Authorization"] = f"Bearer {token}"

    started = http.post(f"{live_server.url}/api/payments/pay", json={"event_id": event.pk, "quantity": 2}, timeout=10)
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["authorization_url"].startswith(f"http://127.0.0.1:{standin.server_port}/checkout/")

    unpaid = http.post(f"{live_server.url}/api/payments/verify/{body['reference']}", timeout=10)
    assert unpaid.status_code == 402
    assert requests.get(body["authorization_url"], timeout=10).status_code == 200

    verified = http.post(f"{live_server.url}/api/payments/verify/{body['reference']}/", timeout=10)
    assert verified.status_code == 200, verified.text
    assert verified.json()["status"] == "success"
    assert len(verified.json()["tickets"]) == 2
    assert Order.objects.get(number=body["order"]).status == Order.Status.PAID
    assert StandInPaystack.transactions[body["reference"]]["amount"] == 1000000
    assert set(StandInPaystack.authorizations) == {f"Bearer {SECRET_KEY}"}
