"""The RQ worker class of every Tremplin worker (settings.RQ["WORKER_CLASS"]).

RQ's worker forks a work-horse per job. For speech to text that means loading and
checking the model in every job (2 to 4 s on the 2-core VM, 145 MB read and hashed);
loading it in the worker before the fork does not work: CTranslate2 starts its threads
when it loads a model, a forked child has none of them, and the first transcription in
the horse waits for them forever (measured: hung, a futex in ctranslate2's
`std::future::get`). So the jobs of IN_PROCESS_QUEUES run in the worker process itself,
as `rq.SimpleWorker` runs every job, and `media.transcription.get_model` keeps the model
from one job to the next. Every other queue keeps the fork (a leak or a crash in one
job cannot reach the next).

For a job run in process:
* the job timeout is RQ's death penalty (SIGALRM in this process): it raises in the
  job, which fails and is retried like any failure, and the worker goes on;
* SIGTERM is RQ's warm shutdown (the job finishes, then the worker exits); a second
  one fails the job at once;
* the worker's and the job's heartbeats last the job timeout plus a minute (nobody
  refreshes them during the job, as in SimpleWorker), so a live job is never taken for
  an abandoned one; a worker killed mid-job leaves its job "started", which the
  queue's reconciler (`media.draft_captions.reconcile_stuck_transcriptions`) takes over;
* a stop command (`send_stop_job_command`, sent when a video is deleted) cannot stop
  it: there is no horse to kill; the job runs to its end and finds its video gone;
* the database connection is checked before and after the job, as Django does around
  a request: a long-lived process must not keep a connection the server dropped.
"""

from django.db import close_old_connections
from rq.worker import SHUTDOWN_SIGNAL, SimpleWorker, WorkerStatus
from rq.worker import Worker as ForkingWorker

# Long jobs that need a large, slow-to-load model kept between jobs.
IN_PROCESS_QUEUES = frozenset({"transcription"})


class Worker(ForkingWorker):
    """RQ's forking worker, except for the jobs of IN_PROCESS_QUEUES (see the module)."""

    def execute_job(self, job, queue):
        if queue.name not in IN_PROCESS_QUEUES:
            return super().execute_job(job, queue)
        close_old_connections()
        try:
            self.perform_job(job, queue, self.prepare_execution(job))
        finally:
            close_old_connections()
        self.set_state(WorkerStatus.IDLE)

    def kill_horse(self, sig=SHUTDOWN_SIGNAL):
        # A stop command (a deleted video's job) during an in-process job: there is no
        # horse, and RQ's os.getpgid(0) would be this worker's own process group.
        if self.horse_pid:
            super().kill_horse(sig)

    def get_heartbeat_ttl(self, job, working_time=0.0):
        if job.origin in IN_PROCESS_QUEUES:
            return SimpleWorker.get_heartbeat_ttl(self, job, working_time)
        return super().get_heartbeat_ttl(job, working_time)
