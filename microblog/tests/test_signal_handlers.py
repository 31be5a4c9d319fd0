"""An RQ worker run inside a test must not leave its signal handlers to the tests after it.

RQ installs SIGTERM/SIGINT handlers that only ask for a warm shutdown; processes that later
tests fork inherit them and ignore SIGTERM (a multiprocessing pool's terminate() hung on one).
conftest's _signal_handlers_restored puts the process's own back after every test. The two
tests below run in this order: the first leaves RQ's handlers, the second checks they are gone.
"""

import signal

import fakeredis
from rq import Queue, SimpleWorker

HANDLERS_BEFORE = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)


def test_an_in_process_worker_installs_its_handlers():
    queue = Queue("default", connection=fakeredis.FakeRedis())
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert signal.getsignal(signal.SIGTERM) is not HANDLERS_BEFORE[0]


def test_the_next_test_has_the_process_handlers_back():
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == HANDLERS_BEFORE
