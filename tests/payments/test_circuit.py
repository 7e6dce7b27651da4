"""The Paystack circuit breaker: only gateway faults open it, it fails fast while open, and it recovers."""
import logging

import circuitbreaker
import pytest
import requests
import responses

from payments.exceptions import GatewayError, GatewayUnavailable, TransactionNotFound
from payments.gateways import paystack
from tests.payments.conftest import BASE_URL, SECRET_KEY

VERIFY_URL = f"{BASE_URL}/transaction/verify/TKT-c"


class FakeClock:
    """A replacement for circuitbreaker's monotonic clock that moves only when a test sets it."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(circuitbreaker, "monotonic", fake)
    return fake


def verify():
    return paystack.get_gateway().verify("TKT-c")


def fail_times(count):
    for _attempt in range(count):
        with pytest.raises(GatewayUnavailable):
            verify()


def test_opens_after_threshold(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=503, json={"status": False, "message": "Down"})
    fail_times(3)
    assert paystack.breaker.opened


def test_stays_closed_below_threshold(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, body=requests.exceptions.ConnectTimeout("timed out"))
    fail_times(2)
    assert paystack.breaker.closed


def test_open_circuit_makes_no_call(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    fail_times(3)
    calls_before = len(mock_paystack.calls)
    with pytest.raises(GatewayUnavailable) as raised:
        verify()
    assert len(mock_paystack.calls) == calls_before
    assert raised.value.retry_after == 30


def test_retry_after_counts_down(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    fail_times(3)
    clock.now += 20
    with pytest.raises(GatewayUnavailable) as raised:
        verify()
    assert raised.value.retry_after == 10
    assert "10 seconds" in str(raised.value.message)


def test_closes_after_recovery(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    fail_times(3)
    clock.now += 31
    mock_paystack.replace(responses.GET, VERIFY_URL, json={"status": True, "message": "ok", "data": {
        "reference": "TKT-c", "status": "success", "amount": 100, "currency": "NGN"}})
    assert verify().succeeded
    assert paystack.breaker.closed


def test_half_open_failure_reopens(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    fail_times(3)
    clock.now += 31
    fail_times(1)
    assert paystack.breaker.opened


@pytest.mark.parametrize("status_code", [400, 401, 404, 422])
def test_client_errors_keep_circuit_closed(mock_paystack, clock, status_code):
    mock_paystack.add(responses.GET, VERIFY_URL, status=status_code,
                      json={"status": False, "message": "Invalid request", "code": "invalid"})
    for _attempt in range(5):
        with pytest.raises(GatewayError):
            verify()
    assert paystack.breaker.closed
    assert len(mock_paystack.calls) == 5


def test_html_bodies_open_circuit(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, body="<html>maintenance</html>", content_type="text/html")
    fail_times(3)
    assert paystack.breaker.opened


def test_threshold_follows_settings(mock_paystack, clock, settings):
    settings.PAYSTACK_CIRCUIT_FAILURE_THRESHOLD = 1
    mock_paystack.add(responses.GET, VERIFY_URL, status=502, json={"status": False, "message": "Down"})
    fail_times(1)
    assert paystack.breaker.opened


def test_opening_and_closing_logged(mock_paystack, clock, caplog):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    with caplog.at_level(logging.WARNING, logger="payments.gateways.paystack"):
        fail_times(3)
        clock.now += 31
        mock_paystack.replace(responses.GET, VERIFY_URL, json={"status": True, "message": "ok", "data": {}})
        verify()
    assert any("circuit opened" in record.getMessage() for record in caplog.records)
    assert any("circuit closed" in record.getMessage() for record in caplog.records)
    assert all(SECRET_KEY not in record.getMessage() for record in caplog.records)


def test_reset_circuit_closes(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    fail_times(3)
    paystack.reset_circuit()
    mock_paystack.replace(responses.GET, VERIFY_URL, json={"status": True, "message": "ok", "data": {}})
    verify()
    assert paystack.breaker.closed


def test_success_resets_fault_count(mock_paystack, clock):
    mock_paystack.add(responses.GET, VERIFY_URL, status=500, json={"status": False, "message": "Down"})
    fail_times(2)
    mock_paystack.replace(responses.GET, VERIFY_URL, json={"status": True, "message": "ok", "data": {}})
    verify()
    assert paystack.breaker.failure_count == 0


def test_breaker_is_named_paystack():
    assert circuitbreaker.CircuitBreakerMonitor.get("paystack") is paystack.breaker


def test_sandbox_never_touches_circuit(clock, db):
    with pytest.raises(TransactionNotFound):
        paystack.get_gateway().verify("TKT-unknown")
    assert paystack.breaker.failure_count == 0
