"""Shared by bench/scale/run.py and compare.py: accord-searchd started on an index (no answer
cache) and timed GETs over one kept-alive connection, as a search box's browser holds one."""
import http.client
import os
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, bindir, index):
        port = free_port()
        self.proc = subprocess.Popen([os.path.join(bindir, "accord-searchd"), "--index", index,
                                      "--port", str(port), "--cache-mb", "0", "--access-log",
                                      "/dev/null"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True,
                                     env=dict(os.environ, ACCORD_DICT_DIR=""))
        self.proc.stdout.readline()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path):
        """milliseconds of one GET; SystemExit on a status other than 200"""
        t0 = time.perf_counter()
        self.conn.request("GET", path)
        r = self.conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit(f"{path}: HTTP {r.status}")
        return (time.perf_counter() - t0) * 1000

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return int(next(ln for ln in f if ln.startswith("VmRSS:")).split()[1])

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)
