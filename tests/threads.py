"""Run code in real threads released at the same moment, for the PostgreSQL concurrency tests."""
import threading

from django.db import connection


def run_together(functions, *, timeout=30):
    """Call each function in its own thread, all released by one barrier; return results or exceptions.

    Each thread uses its own database connection, as concurrent requests would, and closes it at the
    end so the test database can be flushed afterwards.
    """
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = function()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever each thread raised
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, function)) for index, function in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
