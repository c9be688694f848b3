#!/usr/bin/env python3
"""A misbehaving implementation for the gate's supervision tests.

    fake_sut.py MODE

Speaks docs/sut-protocol.md for the jsa machine well enough to get going, then
fails the way MODE says (crash, hang, garbage, partial line, oversized reply,
stderr flood, ignoring SIGTERM, wrong protocol version, wrong machine, early
exit with status 0, error reply, an observation that is not JSON, garbage
after the observation)."""
import json
import os
import signal
import sys
import time

mode = sys.argv[1]


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


if mode == "ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if mode == "exit0-at-start":
    sys.exit(0)

for line in sys.stdin:
    msg = json.loads(line)
    kind = msg["type"]
    if kind == "hello":
        if mode == "wrong-version":
            send({"type": "hello", "protocol": 2, "machine": "jsa"})
            continue
        if mode == "wrong-machine":
            send({"type": "hello", "protocol": 1, "machine": "dsm"})
            continue
        send({"type": "hello", "protocol": 1, "machine": "jsa", "implementation": "fake " + mode,
              "reset": True})
    elif kind == "reset":
        send({"type": "ready"})
    elif kind == "op":
        if mode == "crash":
            sys.stderr.write("fake: about to crash\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        if mode in ("hang", "ignore-term"):
            sys.stderr.write("fake: hanging\n")
            sys.stderr.flush()
            time.sleep(3600)
        if mode == "garbage":
            sys.stdout.write("this is not json\n")
            sys.stdout.flush()
            continue
        if mode == "partial":
            sys.stdout.write('{"type": "result", "seq"')
            sys.stdout.flush()
            sys.exit(3)
        if mode == "oversized":
            sys.stdout.write('{"type": "result", "pad": "' + "x" * (2 << 20) + '"}\n')
            sys.stdout.flush()
            continue
        if mode == "stderr-flood":
            for i in range(200000):
                sys.stderr.write("fake: noise line %d\n" % i)
            sys.stderr.flush()
            time.sleep(3600)
        if mode == "exit0":
            sys.exit(0)
        if mode == "bad-observation":
            # Brackets balance, so the observation is cut out as text; the
            # text itself is not JSON.
            sys.stdout.write('{"type": "result", "seq": %d, "accepted": false, '
                             '"observation": {"hosts" 1}}\n' % msg["seq"])
            sys.stdout.flush()
            continue
        if mode == "garbage-after-observation":
            sys.stdout.write('{"type": "result", "seq": %d, "accepted": false, '
                             '"observation": {"hosts": {}}, oops}\n' % msg["seq"])
            sys.stdout.flush()
            continue
        if mode == "error":
            send({"type": "error", "message": "cannot reach the appliance"})
            continue
        send({"type": "result", "seq": msg["seq"], "accepted": False})
    elif kind == "bye":
        sys.exit(0)
