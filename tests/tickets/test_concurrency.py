"""Simultaneous scans and key creation on PostgreSQL, with real threads and connections."""
import threading

import pytest

from tests.threads import run_together
from tickets import services
from tickets.exceptions import AlreadyCheckedIn
from tickets.models import EventSigningKey, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def test_simultaneous_scans_admit_once(ticket, organiser):
    token = services.ticket_token(ticket)
    outcomes = run_together([lambda: services.check_in(token=token, by=organiser)] * THREADS)
    admitted = [outcome for outcome in outcomes if isinstance(outcome, Ticket)]
    rejected = [outcome for outcome in outcomes if isinstance(outcome, AlreadyCheckedIn)]
    assert len(admitted) == 1
    assert len(rejected) == THREADS - 1
    assert all(error.ticket.checked_in_at == admitted[0].checked_in_at for error in rejected)


def test_read_then_write_admits_twice(ticket, organiser):
    """Control: without the conditional update, both scans see a valid ticket and both 'win'."""
    both_read = threading.Barrier(2)

    def naive_check_in():
        scanned = Ticket.objects.get(pk=ticket.pk)
        was_valid = scanned.status == Ticket.Status.VALID
        both_read.wait(timeout=10)
        if was_valid:
            scanned.status = Ticket.Status.CHECKED_IN
            scanned.save(update_fields=["status"])
        return was_valid

    outcomes = run_together([naive_check_in, naive_check_in])
    assert outcomes == [True, True]


def test_simultaneous_key_creation_makes_one_key(event):
    outcomes = run_together([lambda: bytes(services.get_signing_key(event).public_key)] * THREADS)
    assert all(isinstance(outcome, bytes) for outcome in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert EventSigningKey.objects.filter(event=event).count() == 1
