"""The site in gunicorn on a free port of 127.0.0.1, for the benchmark, the forms'
load test and the resilience tests: handed over once a worker answers."""

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    python, application, env, *, workers=2, options=(), seconds=120, port=None, **popen
):
    """The gunicorn beside `python` serving `application`: (process, base address)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(Path(python).with_name("gunicorn")),
        application,
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        *options,
    ]
    process = subprocess.Popen(command, env=env, cwd=PROJECT_DIR, **popen)  # noqa: S603
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=10)  # noqa: S310 - our server
            return process, base
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not start")


def stop(process):
    process.terminate()
    process.wait(timeout=30)
