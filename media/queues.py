"""The RQ queues, through one Redis client per process, and jobs enqueued once by id.

Every app reaches its queues here rather than through django_rq.get_queue(): that one
builds a new Redis client, with a connection pool of its own, at each call
(rq/django-rq#210), so each enqueue opened a TCP connection and repeated redis-py's
handshake. Measured on the benchmark's VM, that cost 1 to 2.5 ms, more than the enqueue
itself (1 ms), and a seeker waits for it when the last piece of an answer arrives.
redis-py's pool is thread-safe and starts afresh in a forked process (an RQ work-horse),
so one client per queue and process is safe. This module is in the lowest layer
because the media pipeline's jobs need it, like media.ranges.
"""

import functools

import django_rq
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

# A job in one of these states will run, or is running: enqueueing it again does nothing.
ACTIVE_STATUSES = frozenset({JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED})


@functools.cache
def get_connection(name="default"):
    """The Redis client of queue `name` (RQ_QUEUES), made once per process."""
    return django_rq.get_connection(name)


def get_queue(name="default", **options):
    """django_rq.get_queue(name, **options) on the process's client."""
    return django_rq.get_queue(name, connection=get_connection(name), **options)


def fetch_job(job_id, connection):
    """The job under `job_id`, or None."""
    try:
        return Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None


def enqueue_once(queue, function, *args, job_id, **options):
    """Enqueue `function(*args)` under `job_id` unless a job under that id is queued,
    scheduled or running: that job is returned instead. A finished or failed job left
    under the id is replaced. Safe against a concurrent enqueue (RQ's `unique` is one
    atomic script): two callers get one job.

    The usual case, no job under the id, costs one round trip to Redis; only a
    refusal reads what holds the id."""

    def enqueue():
        return queue.enqueue(function, *args, job_id=job_id, unique=True, **options)

    try:
        return enqueue()
    except DuplicateJobError:
        job = fetch_job(job_id, queue.connection)
    if job is not None:
        if job.get_status(refresh=False) in ACTIVE_STATUSES:
            return job
        job.delete()
    try:
        return enqueue()
    except DuplicateJobError:  # a concurrent caller's, enqueued meanwhile
        return fetch_job(job_id, queue.connection)
