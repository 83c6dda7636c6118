#!/usr/bin/env python3
"""Slow clients against accord-searchd (issue 13): connections from several
loopback addresses that send half a request and then trickle a byte now and
then fill every connection slot; the connection guard (searchd/guard.c) must
close them after the header deadline, shed the ones waiting longest near the
limit, and keep answering normal clients. Also a keep-alive client that waits
too long between requests is closed, and one that asks in time is not.

usage: test_slow_clients.py ACCORD_SEARCHD INDEX_DIR
"""
import http.client
import socket
import subprocess
import sys
import threading
import time

searchd, index = sys.argv[1], sys.argv[2]
MAX_CONN, PER_IP, DEADLINE = 40, 4, 2
results = []


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")


proc = subprocess.Popen([searchd, "--index", index, "--port", "0", "--max-connections",
                         str(MAX_CONN), "--max-per-ip", str(PER_IP), "--header-timeout",
                         str(DEADLINE), "--access-log", "/dev/null"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = proc.stdout.readline()
if "listening on http://" not in line:
    print("not ok 1 - daemon did not start:", line)
    sys.exit(1)
port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))


def get(path, timeout=10):
    t0 = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body, time.monotonic() - t0


stop = threading.Event()
closed_after = []  # seconds from connect to the server closing a slow connection
lock = threading.Lock()


def slow_client(addr):
    """Half a request line, then a byte every 0.5 s; reconnects when closed, as an attacker
    would, until told to stop."""
    while not stop.is_set():
        s = socket.socket()
        try:
            s.bind((addr, 0))
            s.settimeout(0.5)
            s.connect(("127.0.0.1", port))
            t0 = time.monotonic()
            s.sendall(b"GET /search?q=cl")
            while not stop.is_set():
                try:
                    if s.recv(1024) == b"":
                        with lock:
                            closed_after.append(time.monotonic() - t0)
                        break
                except socket.timeout:
                    pass
                try:
                    s.sendall(b"i")
                except OSError:
                    with lock:
                        closed_after.append(time.monotonic() - t0)
                    break
        except OSError:
            time.sleep(0.1)
        finally:
            s.close()


addrs = [f"127.0.0.{i}" for i in range(2, 2 + MAX_CONN // PER_IP + 2)]  # a few more than fit
threads = [threading.Thread(target=slow_client, args=(a,), daemon=True)
           for a in addrs for _ in range(PER_IP)]
for t in threads:
    t.start()
time.sleep(1.5)  # the slots are full now

times = []
statuses = []
for i in range(6):
    try:
        st, _, dt = get(f"/search?q=climate+{i}")
    except OSError as e:
        st, dt = str(e), 99
    statuses.append(st)
    times.append(dt)
    time.sleep(0.5)
check("normal clients answered while slow clients hold the slots",
      all(s == 200 for s in statuses), statuses)
check(f"each within {DEADLINE + 2} s (times {['%.2f' % t for t in times]})",
      max(times) <= DEADLINE + 2, times)
time.sleep(DEADLINE + 1)
with lock:
    cl = list(closed_after)
check("slow connections are closed", len(cl) >= MAX_CONN, len(cl))
check(f"none kept past the deadline + 1 s (longest {max(cl) if cl else 0:.2f} s)",
      cl and max(cl) <= DEADLINE + 1.0, cl[-10:])
stop.set()
for t in threads:
    t.join(timeout=5)

# keep-alive: asking again in time is fine, waiting past the deadline is closed
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request("GET", "/health")
r1 = c.getresponse().read()
time.sleep(DEADLINE / 2)
c.request("GET", "/health")
r2 = c.getresponse()
check("a kept-alive connection asking in time is answered", r2.status == 200, r2.status)
r2.read()
time.sleep(DEADLINE + 1)
try:
    c.request("GET", "/health")
    r3 = c.getresponse()
    r3.read()
    gone = False
except (OSError, http.client.HTTPException):
    gone = True
check("a kept-alive connection idle past the deadline is closed", gone)
c.close()

# slow bodies: whole headers announcing a body, then a byte now and then (or half the body and
# a half-close): the deadline covers the body too
def slow_body(kind):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.25)
    t0 = time.monotonic()
    if kind == "half-close":
        s.sendall(b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc")
        s.shutdown(socket.SHUT_WR)
    else:
        s.sendall(b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nq=")
    while time.monotonic() - t0 < DEADLINE + 6:
        try:
            if s.recv(4096) == b"":
                break
        except socket.timeout:
            pass
        except OSError:
            break
        if kind == "trickle":
            try:
                s.sendall(b"x")
            except OSError:
                break
    s.close()
    return time.monotonic() - t0


for kind in ("trickle", "half-close"):
    dt = slow_body(kind)
    check(f"a slow body ({kind}) is closed by the deadline ({dt:.2f} s)", dt <= DEADLINE + 1.5, dt)

# pipelining floods: connections that send thousands of requests at once and never read the
# answers; normal clients are still answered
flood = []
for i in range(8):
    f = socket.socket()
    f.bind((f"127.0.0.{2 + i}", 0))
    f.connect(("127.0.0.1", port))
    f.setblocking(False)
    req = b"GET /search?q=climate+%d HTTP/1.1\r\nHost: x\r\n\r\n" % i
    try:
        f.send(req * 2000)
    except BlockingIOError:
        pass
    flood.append(f)
times = []
for i in range(5):
    try:
        st, _, dt = get(f"/search?q=water+{i}")
    except OSError:
        st, dt = None, 99
    times.append((st, round(dt, 2)))
check("normal clients answered during a pipelining flood (8 x 2000 requests unread)",
      all(st == 200 and dt < 3 for st, dt in times), times)
for f in flood:
    f.close()

st, body, _ = get("/metrics")
text = body.decode()
import re  # noqa: E402
m = re.search(r'accord_connections_closed_total\{reason="deadline"\} (\d+)', text)
s = re.search(r'accord_connections_closed_total\{reason="shed"\} (\d+)', text)
check("/metrics counts the closed connections",
      st == 200 and m and s and int(m.group(1)) + int(s.group(1)) >= MAX_CONN, text[-400:])
st, body, _ = get("/health")
check("healthy afterwards", st == 200 and b'"ok"' in body, body)

proc.terminate()
check("exits cleanly", proc.wait(timeout=20) == 0)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
