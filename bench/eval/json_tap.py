#!/usr/bin/env python3
"""Runs a search command for run_cmd.py and records its in-process latency.

    json_tap.py LOG COMMAND [ARG ...] QUERY

Runs COMMAND (the query is its last argument, as run_cmd.py appends it), copies its JSON
stdout through, and appends one line to LOG: {"query": ..., "rc": ..., "hits": N,
"took_ms": ...} (took_ms as the command printed it, or null). Exit status 1 with a valid
JSON answer ("no hits", as accord-search reports an empty result) becomes 0, so that
run_cmd.py does not count it as a failed call; any other failure is passed on.
"""
import json
import subprocess
import sys


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    log, command = argv[1], argv[2:]
    proc = subprocess.run(command, capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    try:
        answer = json.loads(proc.stdout)
        hits = answer["hits"]
    except (ValueError, KeyError, TypeError):
        answer, hits = None, None
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps({
            "query": command[-1],
            "rc": proc.returncode,
            "hits": len(hits) if isinstance(hits, list) else None,
            "took_ms": answer.get("took_ms") if isinstance(answer, dict) else None,
        }, ensure_ascii=False) + "\n")
    sys.stdout.write(proc.stdout)
    if proc.returncode in (0, 1) and isinstance(hits, list):
        return 0
    return proc.returncode or 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
