#!/usr/bin/env python3
"""Example haspec SUT: a simulator of the JSA / QRadar HA pair (machine `jsa`).

It speaks docs/sut-protocol.md (JSON Lines on stdin/stdout) and keeps the pair's
state as model/jsa/README.md describes it. To put a real product behind it, keep
the protocol loop and replace the bodies of JsaPair's op methods with calls to the
product (and observe() with what the product shows).

Run it through the gate:
    haspec gate jsa --sut 'python3 examples/python/jsa_sut.py'

Set JSA_EXAMPLE_BUG=1 to plant a bug (restoring a Failed host that was never
repaired is accepted), which the gate must report as a violation.
"""

import json
import os
import re
import sys

PROTOCOL = 1
MACHINE = "jsa"
IMPLEMENTATION = "jsa-python-example 1.0"
PLANTED_BUG = os.environ.get("JSA_EXAMPLE_BUG") == "1"

# Statuses in which `complete` has something to finish (JSA-PRE-COMPLETE-UNDER-WAY).
UNDER_WAY = {"SETTING_OFFLINE", "SETTING_ONLINE", "ONLINE", "RESTORING",
             "SYNCHRONIZING", "UPGRADING"}


class Refused(Exception):
    """The product refuses the op; `rule` is the precondition that forbids it."""

    def __init__(self, rule):
        super().__init__(rule)
        self.rule = rule


class Host:
    """One HA host. Its role (primary or secondary) is fixed: JsaPair knows which is which."""

    def __init__(self, name):
        self.name = name
        self.status = None          # None: the secondary before the pair exists
        self.repaired = False       # a Failed host repaired or replaced, ready to restore

    def set(self, status):
        self.status = status
        if status != "FAILED":
            self.repaired = False

    # Services and the cluster IP follow the status: only the Active host runs
    # them (JSA-INV-ACTIVE-SERVICES, -VIP-ON-ACTIVE, -ONLY-ACTIVE-RUNS-SERVICES).
    @property
    def active(self):
        return self.status == "ACTIVE"


class JsaPair:
    """The HA pair: two hosts with fixed roles plus the pair's settings."""

    def __init__(self, config):
        names = config.get("hosts", {})
        self.primary = Host(names.get("primary", "primary"))
        self.secondary = Host(names.get("secondary", "secondary"))
        pair = config.get("pair", "none")
        self.paired = pair != "none"
        self.disk_replication = config.get("disk_replication", pair == "synchronizing")
        self.licensed = True
        self.secondary_release = "same"     # relative to the primary: same or behind
        # The host holding the active role: the Active host, or while none is
        # Active the one that takes Active back first (README, "State").
        self.holder = self.primary
        self.primary.set("ACTIVE")
        if pair == "synchronizing":
            self.secondary.set("SYNCHRONIZING")
        elif pair == "synchronized":
            self.secondary.set("STANDBY")

    # ---- helpers -------------------------------------------------------------

    def host(self, name):
        for h in (self.primary, self.secondary):
            if h.name == name:
                if h is self.secondary and not self.paired:
                    raise Refused("JSA-PRE-HOST-IN-PAIR")  # and nothing else
                return h
        raise ValueError(f"unknown host {name!r}")

    def peer(self, h):
        return self.secondary if h is self.primary else self.primary

    def make_active(self, h):
        h.set("ACTIVE")
        self.holder = h

    def land(self, h):
        """Where a returning host lands (set online, restored, synced, upgraded, licensed)."""
        peer = self.peer(h)
        if not self.licensed:
            h.set("NEEDS_LICENSE")                          # JSA-TR-LAND-NEEDS-LICENSE
        elif h is self.secondary and self.secondary_release == "behind":
            h.set("NEEDS_UPGRADE")                          # JSA-TR-LAND-NEEDS-UPGRADE
        elif peer.active:
            h.set("STANDBY")                                # JSA-TR-LAND-STANDBY
        elif h is self.primary or peer.status in ("FAILED", "RESTORING") \
                or self.holder is h:
            # JSA-TR-LAND-ACTIVE. The secondary takes Active only from a primary
            # that failed, or when it already held the role (license re-applied,
            # restored after failing while Active).
            self.make_active(h)
        else:
            h.set("STANDBY")    # JSA-TR-LAND-STANDBY-PRIMARY-NOT-FAILED: primary merely away

    def fail_over(self, from_host):
        """The Active host loses the role; a Standby peer takes over."""
        peer = self.peer(from_host)
        if peer.status == "STANDBY":
            self.make_active(peer)

    # ---- commands ------------------------------------------------------------

    def create_pair(self, disk_replication=True):
        if self.paired:
            raise Refused("JSA-PRE-CREATE-PAIR-ONCE")
        if not self.primary.active:
            raise Refused("JSA-PRE-CREATE-PAIR-FROM-ACTIVE")
        self.paired, self.disk_replication = True, disk_replication
        self.secondary_release = "same"
        if disk_replication:
            self.secondary.set("SYNCHRONIZING")
        else:
            self.land(self.secondary)

    def set_offline(self, host):
        h = self.host(host)
        if h.status not in ("ACTIVE", "STANDBY"):
            raise Refused("JSA-PRE-SET-OFFLINE-FROM")
        if h.active and self.peer(h).status != "STANDBY":
            raise Refused("JSA-PRE-OFFLINE-NEEDS-STANDBY-PEER")
        was_active = h.active
        h.set("SETTING_OFFLINE")
        if was_active:                      # JSA-TR-MANUAL-FAILOVER
            self.fail_over(h)

    def set_online(self, host):
        h = self.host(host)
        if h.status != "OFFLINE":
            raise Refused("JSA-PRE-SET-ONLINE-FROM-OFFLINE")
        h.set("SETTING_ONLINE")

    def repair_host(self, host, replace=False):
        h = self.host(host)
        if h.status != "FAILED":
            raise Refused("JSA-PRE-REPAIR-FAILED-HOST")
        if h.repaired:
            raise Refused("JSA-PRE-REPAIR-ONCE")
        h.repaired = True   # a replaced host is installed at the failed host's release

    def restore_host(self, host):
        h = self.host(host)
        if h.status != "FAILED":
            raise Refused("JSA-PRE-RESTORE-FAILED-HOST")
        if not h.repaired and not PLANTED_BUG:
            raise Refused("JSA-PRE-RESTORE-NEEDS-REPAIR")
        h.set("RESTORING")

    def switch_primary_to_active(self):
        if not self.secondary.active:
            raise Refused("JSA-PRE-SWITCH-AFTER-FAILOVER")
        if self.primary.status != "STANDBY":
            raise Refused("JSA-PRE-SWITCH-PRIMARY-STANDBY")
        self.make_active(self.primary)
        self.secondary.set("STANDBY")

    def apply_license(self):
        if self.licensed:
            raise Refused("JSA-PRE-APPLY-LICENSE-NEEDED")
        self.licensed = True
        # The role holder lands first, so it gets Active back.
        for h in (self.holder, self.peer(self.holder)):
            if h.status == "NEEDS_LICENSE":
                self.land(h)

    def patch_primary(self):
        if not self.primary.active:
            raise Refused("JSA-PRE-PATCH-ACTIVE-PRIMARY")
        if self.paired:
            self.secondary_release = "behind"
            if self.secondary.status in ("STANDBY", "SYNCHRONIZING"):
                self.secondary.set("NEEDS_UPGRADE")

    def start_upgrade(self):
        if self.secondary.status != "NEEDS_UPGRADE":
            raise Refused("JSA-PRE-UPGRADE-NEEDS-UPGRADE")
        if not self.primary.active:
            raise Refused("JSA-PRE-UPGRADE-BY-PRIMARY")
        self.secondary.set("UPGRADING")

    # ---- events --------------------------------------------------------------

    def host_fails(self, host, cause="power"):
        # Every cause (power, heartbeat, raid, nfs_read_only, not_capable) ends the same way.
        h = self.host(host)
        if h.status == "FAILED":
            raise Refused("JSA-PRE-FAIL-NOT-FAILED")
        was_active = h.active
        h.set("FAILED")
        if was_active:      # only a Standby peer takes over (JSA-TR-PRIMARY-FAILOVER,
            self.fail_over(h)   # -STANDBY-TAKES-OVER; else -NO-FAILOVER-*)

    def connectivity_test(self, sweep_ok=True, standby_ok=True, reping_ok=True):
        if not self.paired:
            raise Refused("JSA-PRE-NET-TEST-NEEDS-PAIR")
        active = next((h for h in (self.primary, self.secondary) if h.active), None)
        if active is None:
            raise Refused("JSA-PRE-NET-TEST-NEEDS-ACTIVE")
        if sweep_ok or self.peer(active).status != "STANDBY":
            return          # nothing failed, or nobody to cross-check
        if not standby_ok or reping_ok:
            return          # the Standby's own sweep failed, or the re-ping passed
        self.make_active(self.peer(active))     # JSA-TR-NET-FAILOVER
        active.set("STANDBY")   # Standby or Offline: both are the model's own answers

    def process_exits(self, host):
        self.host(host)     # no failover, no status change (S-QR-FO)

    def disk_full(self, host):
        self.host(host)     # data collection stops, but no status changes

    def license_lost(self):
        if not self.licensed:
            raise Refused("JSA-PRE-LICENSE-LOSS-NEEDS-LICENSE")
        self.licensed = False
        for h in (self.primary, self.secondary):
            if h.status in ("ACTIVE", "STANDBY"):
                h.set("NEEDS_LICENSE")

    # ---- completion ----------------------------------------------------------

    def complete(self, host):
        h = self.host(host)
        peer = self.peer(h)
        if h.status not in UNDER_WAY:
            raise Refused("JSA-PRE-COMPLETE-UNDER-WAY")
        if h.status == "SETTING_OFFLINE":
            h.set("OFFLINE")
        elif h.status == "SETTING_ONLINE":
            h.set("ONLINE")
        elif h.status == "ONLINE":
            self.land(h)
        elif h.status == "RESTORING":
            behind = h is self.secondary and self.secondary_release == "behind"
            if self.disk_replication and peer.active and not behind:
                h.set("SYNCHRONIZING")
            else:
                self.land(h)    # a recovered primary lands Standby (or Offline) here
        elif h.status == "SYNCHRONIZING":
            if not peer.active:
                raise Refused("JSA-PRE-SYNC-NEEDS-ACTIVE-PEER")
            self.land(h)
        elif h.status == "UPGRADING":
            if not self.primary.active:
                raise Refused("JSA-PRE-UPGRADE-BY-PRIMARY")
            self.secondary_release = "same"
            self.land(h)

    # ---- what the product shows ----------------------------------------------

    def observe(self):
        hosts = {}
        for h in (self.primary, self.secondary):
            if h.status is None:
                hosts[h.name] = "absent"
            else:
                hosts[h.name] = {"status": h.status, "services": h.active, "vip": h.active}
        active = next((h.name for h in (self.primary, self.secondary) if h.active), "none")
        obs = {"hosts": hosts, "active": active, "licensed": self.licensed}
        if self.paired:     # without a secondary there is no replication or release to show
            obs["disk_replication"] = self.disk_replication
            obs["secondary_release"] = self.secondary_release
        return obs


# ---- configuration ------------------------------------------------------------

NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def check_config(config):
    """Return an error message for a configuration this adapter cannot run, else None."""
    hosts = config.get("hosts", {})
    names = [hosts.get("primary", "primary"), hosts.get("secondary", "secondary")]
    if not all(isinstance(n, str) and NAME.match(n) for n in names) or names[0] == names[1]:
        return f"hosts: bad or equal host names {names}"
    pair = config.get("pair", "none")
    if pair not in ("none", "synchronizing", "synchronized"):
        return f"pair: unknown initial situation {pair!r}"
    if "disk_replication" in config:
        if pair == "none":
            return 'disk_replication: only with pair "synchronizing" or "synchronized"'
        if pair == "synchronizing" and config["disk_replication"] is not True:
            return 'disk_replication: pair "synchronizing" needs disk replication'
    return None


# ---- the protocol loop ----------------------------------------------------------

# The op names of `haspec ops jsa`; each is a JsaPair method taking the op's fields
# as keyword arguments (fields left out take the defaults `haspec ops` lists).
OPS = {"create_pair", "set_offline", "set_online", "repair_host", "restore_host",
       "switch_primary_to_active", "apply_license", "patch_primary", "start_upgrade",
       "host_fails", "connectivity_test", "process_exits", "disk_full", "license_lost",
       "complete"}

# A simulator can make every environment choice happen, so it claims them all:
# haspec then tells it, in each connectivity_test op, how the sweeps turn out.
ENV_CHOICES = ["connectivity_test.sweep_ok", "connectivity_test.standby_ok",
               "connectivity_test.reping_ok"]


class ProtocolError(Exception):
    """A request this adapter cannot serve: answered with an `error` reply."""


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()      # haspec waits for each reply line


def log(text):
    print(f"jsa_sut: {text}", file=sys.stderr, flush=True)  # stderr is free for logs


def apply_op(pair, op):
    """Apply one op; return the `result` fields (without seq)."""
    name = op.get("op")
    if name not in OPS:
        raise ProtocolError(f"unknown op {name!r}")
    fields = {k: v for k, v in op.items() if k != "op"}
    try:
        getattr(pair, name)(**fields)
    except Refused as refusal:
        # The reason is optional; a wrong one is a violation, so only name rules you know.
        return {"accepted": False, "reason": refusal.rule}
    except (TypeError, ValueError) as problem:   # unknown field or host name
        raise ProtocolError(f"{name}: {problem}") from problem
    return {"accepted": True}


class Session:
    """One connection with haspec: hello, then resets and ops, then bye."""

    def __init__(self):
        self.pair = None

    def new_pair(self, config):
        problem = check_config(config)
        if problem:
            raise ProtocolError(problem)
        self.pair = JsaPair(config)

    def handle(self, request):
        """Return the reply to one request (None for bye)."""
        kind = request.get("type")
        if kind == "hello":
            if request.get("protocol") != PROTOCOL or request.get("machine") != MACHINE:
                raise ProtocolError(f"this adapter speaks protocol {PROTOCOL} "
                                    f"for machine {MACHINE!r} only")
            self.new_pair(request.get("config", {}))
            return {"type": "hello", "protocol": PROTOCOL, "machine": MACHINE,
                    "implementation": IMPLEMENTATION, "env_choices": ENV_CHOICES,
                    "reset": True}
        if kind == "reset":
            self.new_pair(request.get("config", {}))
            return {"type": "ready", "observation": self.pair.observe()}
        if kind == "op":
            if self.pair is None:
                raise ProtocolError("op before hello")
            result = apply_op(self.pair, request["op"])
            return {"type": "result", "seq": request["seq"], **result,
                    "observation": self.pair.observe()}
        if kind == "bye":
            return None
        raise ProtocolError(f"unknown request type {kind!r}")


def main():
    session = Session()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            reply = session.handle(request)
        except (ProtocolError, ValueError, KeyError, TypeError, AttributeError) as problem:
            # haspec stops the gate (exit 4) and prints the message; after a failed
            # hello the protocol asks us to exit, and nothing useful follows anyway.
            log(f"cannot handle {line.strip()}: {problem!r}")
            send({"type": "error", "message": str(problem)})
            return 1
        if reply is None:       # bye: exit 0, no reply
            return 0
        send(reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
