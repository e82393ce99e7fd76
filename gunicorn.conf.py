"""gunicorn's settings for every instance (gunicorn reads this file from the working
directory). The access log leaves out the query string and the referrer: a search for a
client by name or NHS number travels in the query string, and must not reach the logs.
Each worker tunes Python's garbage collector once the application is loaded (below)."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# address, time, method, path without the query, protocol, status, bytes, duration
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# Measured with `manage.py bench` (100,000 cases, two workers, 2026-11-25): every signed-in
# page 7-10% faster at p50 and 10-15% at p95. A page allocates tens of thousands of objects
# that reference counting frees; at Python's default threshold (700) the collector ran
# about once per request and each run of the oldest generation walked the whole loaded
# application. So the application's objects, loaded once and kept, are frozen out of the
# collector's walks, and the youngest generation is collected every 5,000 allocations.
GC_THRESHOLD = (5000, 20, 50)
# ... and that collection runs between requests, once a response has gone (post_request),
# rather than in whichever request the 5,000th object fell. Counted in the bench's two
# workers over its pages (2,900 requests), it paused one request in 17, by 1.2 ms (9 ms
# when the next generation was due as well, 16 at most): where a page's p95 lies. While a
# request runs, the collector now waits for ten times as many objects. A page's own never
# start it: in the same count only 4 requests were collected in, each a worker's first use
# of a page (what Django loads and compiles on first use). A request that makes very many (an
# export of thousands of rows, a report rendered again in the request) is still collected
# along the way, with up to 45,000 more objects of garbage held until then (a few MB).
# gunicorn calls post_request in its sync worker (ours), gthread and gevent; a worker class
# that does not call it would collect at the in-request threshold only.
GC_THRESHOLD_IN_REQUEST = (10 * GC_THRESHOLD[0], *GC_THRESHOLD[1:])


def post_worker_init(worker) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD_IN_REQUEST)


def post_request(worker, req, environ, resp) -> None:
    """gunicorn calls this after writing the response: the collection the request made due."""
    collect_if_due()


def collect_if_due() -> None:
    """Python's own choice of generation at GC_THRESHOLD: the oldest whose count is past its
    threshold, once the youngest's is. Python also puts a full collection off while few
    objects have survived since the last; that count is not visible from Python, so one runs
    every 50 of the middle generation's (some 25,000 requests here), between requests."""
    counts = gc.get_count()
    if counts[0] <= GC_THRESHOLD[0]:
        return
    generation = max(g for g in range(3) if g == 0 or counts[g] > GC_THRESHOLD[g])
    gc.collect(generation)
