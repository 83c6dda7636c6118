"""Loopback helpers shared by the shard tests (test_remote.py, test_replica.py)."""
import socket
import time


def free_port():
    """a TCP port free on 127.0.0.1 now"""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, what):
    """waits until something listens on 127.0.0.1:port (5 s at most)"""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} on port {port} did not start")
