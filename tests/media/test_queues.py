"""media.queues: one Redis connection per process for every queue, and jobs enqueued
once under their id, against the real Redis."""

import multiprocessing
import threading

import django_rq
import pytest
from rq.job import JobStatus

from media import queues as media_queues

pytestmark = pytest.mark.django_db

JOB_ID = "tests-media-queues"


def add(a, b):
    return a + b


def _client_id_in_child(pipe):
    pipe.send(media_queues.get_connection("default").client_id())


def _forget(queue):
    job = queue.fetch_job(JOB_ID)
    if job is not None:
        job.delete()


@pytest.fixture
def queue(queues):
    """The "default" queue, empty, with no job under JOB_ID before or after; enqueueing
    at once, as the apps' queues do (not when the test's transaction commits)."""
    found = media_queues.get_queue("default", commit_mode="auto")
    _forget(found)
    yield found
    _forget(found)


def test_every_enqueue_of_a_process_goes_through_one_connection():
    """django_rq.get_queue() opens a connection per call (rq/django-rq#210); ours do not."""
    first = media_queues.get_queue("default").connection.client_id()
    again = media_queues.get_queue("default", commit_mode="auto").connection.client_id()
    assert first == again
    assert media_queues.get_connection("default").client_id() == first
    # What django-rq alone does, for contrast: a new connection each time.
    assert django_rq.get_queue("default").connection.client_id() != first


def test_a_forked_process_opens_its_own_connection():
    """An RQ work-horse is a fork of its worker: it must not talk on its parent's socket."""
    parent = media_queues.get_connection("default").client_id()
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_client_id_in_child, args=(sending,))
    child.start()
    child_id = receiving.recv()
    child.join(timeout=30)
    assert child.exitcode == 0
    assert child_id != parent
    assert media_queues.get_connection("default").client_id() == parent  # the parent's still works


def test_enqueue_once_queues_a_new_job_then_leaves_it_alone(queue):
    job = media_queues.enqueue_once(queue, add, 1, 2, job_id=JOB_ID, result_ttl=60)
    again = media_queues.enqueue_once(queue, add, 3, 4, job_id=JOB_ID, result_ttl=60)
    assert again.id == job.id == JOB_ID
    assert tuple(again.args) == (1, 2)  # the queued job, not a second one
    assert queue.get_job_ids() == [JOB_ID]


def test_enqueue_once_replaces_a_finished_job(queue, run_jobs):
    media_queues.enqueue_once(queue, add, 1, 2, job_id=JOB_ID, result_ttl=600)
    run_jobs("default")
    assert queue.fetch_job(JOB_ID).get_status() == JobStatus.FINISHED
    job = media_queues.enqueue_once(queue, add, 5, 6, job_id=JOB_ID, result_ttl=600)
    assert job.get_status() == JobStatus.QUEUED and tuple(job.args) == (5, 6)
    assert queue.get_job_ids() == [JOB_ID]


def test_enqueue_once_from_many_threads_at_once_gives_one_job(queue):
    start = threading.Barrier(8)
    found = []

    def enqueue(number):
        start.wait()
        found.append(media_queues.enqueue_once(queue, add, number, 0, job_id=JOB_ID, result_ttl=60))

    threads = [threading.Thread(target=enqueue, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {job.id for job in found} == {JOB_ID}
    assert queue.get_job_ids() == [JOB_ID]
