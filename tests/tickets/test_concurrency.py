"""Simultaneous scans and key creation on PostgreSQL, with real threads and connections."""
import threading

import pytest
from django.db import close_old_connections, connection

from tickets import services
from tickets.exceptions import AlreadyCheckedIn
from tickets.models import EventSigningKey, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def run_together(function, count=THREADS):
    """Run function(index) in `count` threads released at once; return results and exceptions by index."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = function(index)
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_simultaneous_scans_admit_once(ticket, organiser):
    token = services.ticket_token(ticket)
    outcomes = run_together(lambda _index: services.check_in(token=token, by=organiser))
    admitted = [outcome for outcome in outcomes if isinstance(outcome, Ticket)]
    rejected = [outcome for outcome in outcomes if isinstance(outcome, AlreadyCheckedIn)]
    assert len(admitted) == 1
    assert len(rejected) == THREADS - 1
    assert all(error.ticket.checked_in_at == admitted[0].checked_in_at for error in rejected)


def test_read_then_write_admits_twice(ticket, organiser):
    """Control: without the conditional update, both scans see a valid ticket and both 'win'."""
    both_read = threading.Barrier(2)

    def naive_check_in(_index):
        scanned = Ticket.objects.get(pk=ticket.pk)
        was_valid = scanned.status == Ticket.Status.VALID
        both_read.wait(timeout=10)
        if was_valid:
            scanned.status = Ticket.Status.CHECKED_IN
            scanned.save(update_fields=["status"])
        return was_valid

    outcomes = run_together(naive_check_in, count=2)
    assert outcomes == [True, True]


def test_simultaneous_key_creation_makes_one_key(event):
    outcomes = run_together(lambda _index: bytes(services.get_signing_key(event).public_key))
    assert all(isinstance(outcome, bytes) for outcome in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert EventSigningKey.objects.filter(event=event).count() == 1
