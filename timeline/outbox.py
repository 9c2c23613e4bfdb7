"""Requests to other servers that a committed change calls for (the shared
caches' purges, timeline.purge; the WebSub hub's pings, timeline.websub),
sent from a thread of the app server's own, so that an editor's save never
waits for another server and never fails because one is slow or down.

What is put in an outbox waits in its queue; the thread takes everything
waiting at once and hands it to the outbox's `deliver`, which merges it (a
burst of saves costs one request per host and key or feed) and sends it,
each request tried a few times with growing pauses (`send_with_retries`).
"""

import os
import queue
import threading
import time
import urllib.request


class Outbox:
    def __init__(self, name, deliver):
        """`deliver(items)` sends what the waiting `items` ask for."""
        self.name = name
        self._deliver = deliver
        self._queue = queue.Queue()
        self._worker_pid = None
        self._start_lock = threading.Lock()

    def put(self, item):
        self._ensure_worker()
        self._queue.put(item)

    def wait_until_sent(self):
        """Block until everything put so far has been sent or given up on
        (for tests and for commands that exit right after a change)."""
        if self._worker_pid == os.getpid():
            self._queue.join()

    def _ensure_worker(self):
        # Started in the process that sends: gunicorn forks its workers after
        # loading the app, and a thread does not survive a fork.
        with self._start_lock:
            if self._worker_pid != os.getpid():
                self._worker_pid = os.getpid()
                threading.Thread(target=self._run, name=self.name, daemon=True).start()

    def _run(self):
        while True:
            items = [self._queue.get()]
            while True:  # and what else is waiting
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._deliver(items)
            finally:
                for _item in items:
                    self._queue.task_done()


def send_with_retries(make_request, *, attempts, timeout, first_pause):
    """Open the request `make_request()` gives up to `attempts` times,
    pausing `first_pause` seconds after the first failure and twice as long
    after each next one. None once it was accepted; else the last problem."""
    pause, problem = first_pause, None
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(make_request(), timeout=timeout) as response:
                response.read()
            return None
        except OSError as error:  # refused, timed out, or an error status
            problem = error
        if attempt < attempts:
            time.sleep(pause)
            pause *= 2
    return problem
