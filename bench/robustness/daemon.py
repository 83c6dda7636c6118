"""What bench/robustness's scripts share: their options, an index of the real corpus (built in
a temporary directory unless --index is given), accord-searchd started on it, and its figures
from /proc."""
import argparse
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def options(doc):
    """An ArgumentParser with --searchd, --indexer, --index and --corpus."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--searchd", default=os.path.join(ROOT, "build", "bin", "accord-searchd"))
    ap.add_argument("--indexer", default=os.path.join(ROOT, "build", "bin", "accord-index"))
    ap.add_argument("--index")
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "real"))
    return ap


class Daemon:
    """accord-searchd (no answer cache) on a.index, or on a new index of a.corpus."""

    def __init__(self, a, prefix, *extra):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        db = a.index
        if not db:
            db = os.path.join(self.tmp, "db")
            subprocess.run([a.indexer, "--quiet", "--index", db, a.corpus], check=True)
        self.proc = subprocess.Popen([a.searchd, "--index", db, "--port", "0", "--access-log",
                                      "/dev/null", "--cache-mb", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.pid = self.proc.pid
        self.port = int(self.proc.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))

    def status_mib(self, key):
        """A /proc/PID/status figure in MiB (VmRSS, VmHWM)."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)
