"""Run everything a developer needs: web server, RQ worker, cron scheduler, Redis.

`make run` calls this after migrating and seeding. Ctrl-C stops every process it
started; none is left behind.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tremplin import embedded_redis


class Command(BaseCommand):
    help = "Start the web server, an RQ worker with its scheduler, the cron scheduler and, without REDIS_URL, an embedded Redis."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address for the web server.")

    def handle(self, *args, addr, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        processes = []
        redis_process = None
        if not os.environ.get("REDIS_URL"):
            redis_process = embedded_redis.start(settings.EMBEDDED_REDIS_SOCKET)
            self.stdout.write(f"Redis embarqué : {settings.REDIS_URL}")

        commands = {
            "web": [*manage, "runserver", addr, "--noreload"],
            "worker": [*manage, "rqworker", "--with-scheduler", "default", "media"],
            "feedback": [*manage, "rqworker", "feedback"],
            # Its jobs run in the worker process, which keeps the model loaded
            # (tremplin.worker.Worker, the class every rqworker uses).
            "transcription": [*manage, "rqworker", "transcription"],
            "cron": [*manage, "rqcron", "tremplin.cron"],
        }
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, command in commands.items():
                # Each child gets its own process group, so Ctrl-C in the terminal
                # reaches only this command, which then stops them in order.
                processes.append((name, subprocess.Popen(command, start_new_session=True)))  # noqa: S603
            time.sleep(3)  # let the children print their banners first
            self._print_summary(addr)
            while not stopping:
                for name, process in processes:
                    if process.poll() is not None:
                        self.stderr.write(
                            f"Le processus « {name} » s'est arrêté (code {process.returncode})."
                        )
                        stopping = True
                time.sleep(0.5)
        finally:
            for _name, process in reversed(processes):
                self._terminate(process)
            if redis_process is not None:
                embedded_redis.stop(redis_process)
            self.stdout.write("Tout est arrêté.")

    def _print_summary(self, addr):
        self.stdout.write(self.style.SUCCESS(f"\nTremplin : http://{addr}/  (Ctrl-C arrête tout)"))
        if settings.DEMO_CONTENT_ALLOWED:
            self.stdout.write(f"Comptes de démonstration, mot de passe « {DEMO_PASSWORD} » :")
            for email, *_names, role in DEMO_ACCOUNTS:
                self.stdout.write(f"  {email:<28} {role.label}")
        self.stdout.write("")

    @staticmethod
    def _terminate(process):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
