"""Servers the tests start in their own processes (gunicorn, Redis): wait for one to listen,
stop one for good."""
import socket
import subprocess
import time


def wait_port(port: int, timeout: float = 60.0) -> None:
    """Return once something accepts connections on 127.0.0.1:``port``; fail after ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """Terminate ``proc``; kill it if it has not gone after ``grace`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
