#!/usr/bin/python3
"""The federation benchmarks of issue 13, camp and an anchor side by side.

    /usr/bin/python3 bench/fed.py --camp ./camp --fedload build/bench/fedload \
        [--snac PATH-TO-SNAC] [--only calibrate,http,inbox,fanout,profile]
        [--sizes 100,500,2000,5000] [--quick]

(`make bench-fed SNAC=...` runs it.)  It starts everything it needs and
stops it at exit:

- a remote world (`fedload serve`): ACTORS mock actors, actor i alone on
  the loopback address 127.1.(i/250).(i%250+1) (Linux routes all of
  127.0.0.0/8 to lo, so binding them needs no set-up), each with its own
  Person, WebFinger and shared inbox over plain HTTP, named by IP-literal
  URLs (http://127.1.0.7:PORT/actor), so no /etc/hosts entry is needed;
- a fresh camp (`camp init` on free ports, `allow_private_addresses =
  yes` so it may fetch from loopback, over http) with one member, alice,
  joined through the real `ssh ... join`;
- with --snac, snac2 built by hand from its public source (see
  bench/RESULTS.md), a fresh instance on a free port with one user;
- the load client (`fedload post|get`), which signs everything before its
  clock starts.

Rows, each run three times alternating camp and the anchor, reported as
medians with the ratio:

  calibrate  the load client against `fedload trivial`: its own ceiling
  http       WebFinger and actor GETs per second and p99, 16 clients, with
             and without keep-alive
  inbox      signed Creates (public notes that mention the member, each
             from one of 500 actors on its own address) at concurrency 1,
             8 and 64, with and without keep-alive: accepted per second,
             stored per second (counted in the server's own storage), lost;
             PSS and threads of the server's process tree during c=64, and
             idle afterwards
  fanout     the member gets 100, 500, 2,000, 5,000 remote followers
             (signed Follows from the mock actors; the time until every
             Accept arrived is reported too), then one public post: time
             from the post being stored to the last arrival at a mock inbox,
             next to the bound of RSA signatures per second on this machine
  profile    (only when asked) perf's flat profile of camp's federation
             child during an inbox flood and a fan-out: DIR/perf-*.txt

Output goes to stdout and to DIR/fed-results.md.  Pitfalls: `ulimit -n`
must allow ACTORS + a few hundred descriptors (the mock listens once per
actor); the machine is shared, so the load average is printed per row.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import benchlib
from benchlib import camplib, fmt, median, ratio

AS_ACCEPT = "application/activity+json"
FLOOD_ACTORS = 500


def http_get(url, accept=AS_ACCEPT, data=None, timeout=30):
    req = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read().decode()


def failures(runs):
    """What went wrong over runs: non-2xx statuses and connection errors."""
    bad = {}
    for x in runs:
        for status, n in x["status"].items():
            if not status.startswith("2"):
                bad[status] = bad.get(status, 0) + n
        if x["errors"]:
            bad["no answer"] = bad.get("no answer", 0) + x["errors"]
    return ", ".join("%d× %s" % (n, s) for s, n in sorted(bad.items())) or "none"


class Mock:
    """The remote world (`fedload serve`)."""

    def __init__(self, fedload, keys, actors, workdir):
        self.port, self.control = camplib.free_port(), camplib.free_port()
        self.proc = benchlib.spawn(
            [fedload, "serve", "--keys", keys, "--actors", str(actors), "--port",
             str(self.port), "--control", str(self.control)],
            os.path.join(workdir, "mock.log"))
        benchlib.wait_port(self.control, timeout=60, proc=self.proc)

    def stats(self, key=None):
        q = "?key=" + key if key else ""
        return json.loads(http_get("http://127.0.0.1:%d/stats%s" % (self.control, q)))

    def times(self, key):
        return http_get("http://127.0.0.1:%d/times?key=%s" % (self.control, key))

    def reset(self):
        http_get("http://127.0.0.1:%d/reset" % self.control)

    def trust(self, key_id, pem):
        http_get("http://127.0.0.1:%d/trust" % self.control,
                 data=(key_id + "\n" + pem).encode())


class Camp:
    """A fresh camp with one member, alice, served by `camp serve`."""
    name = "camp"

    def __init__(self, args):
        camplib.CAMP = os.path.abspath(args.camp)
        self.dir, code = camplib.init_camp()
        self.server = camplib.Server(self.dir)
        self.port = int(camplib.conf_value(self.dir, "http_listen").rsplit(":", 1)[1])
        benchlib.wait_port(self.port)
        keydir = os.path.dirname(self.dir)
        self.key = camplib.keygen(keydir, "alice")
        self.server.ssh("join", self.key, "join", code, "alice", check=0)
        self.host = "127.0.0.1:%d" % self.port
        self.member = "http://%s/users/alice" % self.host
        self.mention = "@alice@" + self.host
        self.inbox = "/inbox"
        self.webfinger = "/.well-known/webfinger?resource=acct:alice@" + self.host
        self.actor_path = "/users/alice"
        self.key_filter = self.host
        self.followers = 0

    def root_pid(self):
        return self.server.proc.pid

    def http_pid(self):
        """The federation child: the process listening on the HTTP port."""
        out = subprocess.run(["ss", "-ltnpH", "sport = :%d" % self.port],
                             capture_output=True, text=True).stdout
        m = re.search(r"pid=(\d+)", out)
        return int(m.group(1)) if m else None

    def settle(self):
        """Nothing is left to do after a run: every Create was stored before
        its answer."""

    def stored(self, tag, ids):
        """How many of the run's notes the camp holds (read straight from
        its database, read-only)."""
        out = subprocess.run(
            ["sqlite3", "-readonly", os.path.join(self.dir, "camp.db"),
             "PRAGMA busy_timeout=5000; SELECT count(*) FROM posts WHERE uri LIKE "
             "'%%/notes/%s-%%'" % tag], capture_output=True, text=True).stdout
        return int(out.split()[-1]) if out.strip() else 0

    def post(self, text):
        self.server.ssh("alice", self.key, "post", "--visibility", "public",
                        "'%s'" % text, check=0, timeout=60)


class Snac:
    """A fresh snac2 instance with one user, bench, served by `snac httpd`."""
    name = "snac2"

    def __init__(self, args, workdir):
        self.bin = os.path.abspath(args.snac)
        self.dir = os.path.join(workdir, "snac")
        self.port = camplib.free_port()
        self.host = "127.0.0.1:%d" % self.port
        answers = "127.0.0.1\n%d\n%s\n\n\n" % (self.port, self.host)
        subprocess.run([self.bin, "init", self.dir], input=answers, text=True,
                       check=True, capture_output=True)
        conf_path = os.path.join(self.dir, "server.json")
        conf = json.load(open(conf_path))
        conf["protocol"] = "http"  # the mock world speaks plain HTTP, as camp does here
        json.dump(conf, open(conf_path, "w"), indent=4)
        subprocess.run([self.bin, "adduser", self.dir, "bench"], input="\n", text=True,
                       check=True, capture_output=True)
        self.proc = benchlib.spawn([self.bin, "httpd", self.dir],
                                   os.path.join(workdir, "snac.log"))
        benchlib.wait_port(self.port, proc=self.proc)
        self.member = "http://%s/bench" % self.host
        self.mention = "@bench@" + self.host
        self.inbox = "/bench/inbox"
        self.webfinger = "/.well-known/webfinger?resource=acct:bench@" + self.host
        self.actor_path = "/bench"
        self.key_filter = self.host
        self.followers = 0

    def root_pid(self):
        return self.proc.pid

    def http_pid(self):
        return self.proc.pid

    def settle(self, timeout=300):
        """Waits until snac's queue (it stores inbound activities after
        answering) is empty, so one run's work does not spill into the next."""
        deadline = time.time() + timeout
        while os.listdir(os.path.join(self.dir, "queue")) and time.time() < deadline:
            time.sleep(0.2)

    def stored(self, tag, ids):
        """How many of the run's notes snac holds: one file per object,
        named by the MD5 of its id.  ids is the set still missing; the
        found ones are taken out of it."""
        found = [i for i in ids if os.path.exists(os.path.join(
            self.dir, "object", self.md5(i)[:2], self.md5(i) + ".json"))]
        ids.difference_update(found)
        self.found = getattr(self, "found", 0) + len(found)
        return self.found

    @staticmethod
    def md5(text):
        import hashlib
        return hashlib.md5(text.encode()).hexdigest()

    def post(self, text):
        subprocess.run([self.bin, "note", self.dir, "bench", text], check=True,
                       capture_output=True, timeout=60)


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="camp-bench-fed-")
        camplib.cleanup(lambda: shutil.rmtree(self.work, ignore_errors=True))
        os.makedirs(args.dir, exist_ok=True)
        self.report = benchlib.Report(os.path.join(args.dir, "fed-results.md"))
        self.keys = os.path.join(args.dir, "fed-keys")

    # ---- the load client ------------------------------------------------

    def fedload(self, *argv):
        out = subprocess.run([self.args.fedload] + [str(a) for a in argv],
                             capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError("fedload %s: %s" % (argv[0], out.stderr))
        return json.loads(out.stdout.strip().splitlines()[-1])

    def get_load(self, port, host, path, conc, keepalive, seconds, accept=AS_ACCEPT):
        argv = ["get", "--to", "127.0.0.1:%d" % port, "--host", host, "--path", path,
                "--conc", conc, "--seconds", seconds, "--accept", accept]
        return self.fedload(*(argv + (["--keepalive"] if keepalive else [])))

    def post_load(self, t, kind, tag, count, conc, keepalive, first=0, actors=FLOOD_ACTORS,
                  port=None, host=None, path=None):
        argv = ["post", "--to", "127.0.0.1:%d" % (port or t.port), "--host",
                host or t.host, "--path", path or t.inbox, "--keys", self.keys,
                "--port", self.mock.port, "--member", t.member if t else "x",
                "--mention", t.mention if t else "x", "--kind", kind, "--tag", tag,
                "--first", first, "--actors", actors, "--count", count, "--conc", conc]
        return self.fedload(*(argv + (["--keepalive"] if keepalive else [])))

    # ---- set-up ------------------------------------------------------------

    def start(self):
        a = self.args
        r = self.report
        r("# Federation benchmarks: %s" % time.strftime("%Y-%m-%d %H:%M %Z"))
        r()
        r("- Machine: %s" % benchlib.machine())
        r("- Load average at start: %s" % benchlib.loadavg())
        commit = subprocess.run(["git", "-C", benchlib.ROOT, "log", "-1", "--format=%h %s"],
                                capture_output=True, text=True).stdout.strip()
        r("- camp: `%s` (%s), built from commit %s" % (a.camp, subprocess.run(
            [a.camp, "version"], capture_output=True, text=True).stdout.strip(), commit))
        subprocess.run([a.fedload, "keys", self.keys, str(FLOOD_ACTORS)], check=True)
        self.mock = Mock(a.fedload, self.keys, a.actors, self.work)
        self.targets = [Camp(a)]
        if a.snac:
            self.targets.append(Snac(a, self.work))
            r("- anchor: snac2 (%s)" % a.snac)
        else:
            r("- anchor: none (no --snac): compare with the figures quoted in issue 13")
        for t in self.targets:
            doc = json.loads(http_get("http://%s%s" % (t.host, t.actor_path)))
            self.mock.trust(doc["publicKey"]["id"], doc["publicKey"]["publicKeyPem"])
        r("- mock actors: %d, each on its own loopback address, plain HTTP" % a.actors)
        r()

    def row_header(self, title):
        self.report("## %s" % title)
        self.report()
        self.report("Load average before: %s.  %s." % (benchlib.loadavg(),
                                                        time.strftime("%H:%M")))
        self.report()

    def names(self):
        return [t.name for t in self.targets]

    # ---- rows ---------------------------------------------------------------

    def calibrate(self):
        self.row_header("The load client's own ceiling (against `fedload trivial`)")
        port = camplib.free_port()
        p = benchlib.spawn([self.args.fedload, "trivial", str(port)],
                           os.path.join(self.work, "trivial.log"))
        benchlib.wait_port(port, proc=p)
        rows = []
        for ka in (False, True):
            runs = [self.get_load(port, "127.0.0.1", "/", 16, ka, self.args.seconds)
                    for _ in range(3)]
            rows.append(["GET, 16 clients, %s" % ("keep-alive" if ka else "new connection"),
                         fmt(median([x["rate"] for x in runs])),
                         fmt(median([x["p99_ms"] for x in runs]), 2)])
        for ka in (False, True):
            runs = []
            for _ in range(3):
                runs.append(self.post_load(None, "create", "cal", self.args.flood, 64, ka,
                                           port=port, host="127.0.0.1", path="/inbox"))
            rows.append(["signed POST (Create), 64 clients, %s" %
                         ("keep-alive" if ka else "new connection"),
                         fmt(median([x["rate"] for x in runs])),
                         fmt(median([x["p99_ms"] for x in runs]), 2)])
        p.terminate()
        self.report(benchlib.table(rows, ["load", "req/s (median of 3)", "p99 ms"]))
        self.report()

    def http(self):
        self.row_header("HTTP: WebFinger and actor GETs, 16 clients")
        rows = []
        for what in ("webfinger", "actor"):
            for ka in (False, True):
                res = {t.name: [] for t in self.targets}
                for _ in range(3):
                    for t in self.targets:
                        path = t.webfinger if what == "webfinger" else t.actor_path
                        accept = "application/jrd+json" if what == "webfinger" else AS_ACCEPT
                        x = self.get_load(t.port, t.host, path, 16, ka,
                                          self.args.seconds, accept)
                        if x["ok"] < x["n"]:
                            self.report("  (%s %s: %d of %d not 2xx: %s)" % (
                                t.name, what, x["n"] - x["ok"], x["n"], x["status"]))
                        res[t.name].append(x)
                row = ["%s, %s" % (what, "keep-alive" if ka else "new connection")]
                rates = []
                for t in self.targets:
                    rate = median([x["rate"] for x in res[t.name]])
                    rates.append(rate)
                    row += [fmt(rate), fmt(median([x["p99_ms"] for x in res[t.name]]), 2)]
                if len(rates) > 1:
                    row.append(ratio(rates[0], rates[1]))
                rows.append(row)
        header = ["request"]
        for n in self.names():
            header += ["%s req/s" % n, "%s p99 ms" % n]
        if len(self.targets) > 1:
            header.append("camp / snac2")
        self.report(benchlib.table(rows, header))
        self.report()

    def note_ids(self, tag, count, first=0, actors=FLOOD_ACTORS):
        """The ids of the notes `fedload post --kind create` sends."""
        ids = set()
        for i in range(count):
            a = first + i % actors
            ids.add("http://127.1.%d.%d:%d/notes/%s-%d" % (a // 250, a % 250 + 1,
                                                          self.mock.port, tag, i))
        return ids

    def wait_stored(self, t, tag, ids, want, start, timeout=300):
        """Polls t's storage until want notes of tag are there or nothing
        changed for 5 s; returns (count, seconds from start to the last
        change seen)."""
        last, last_t, deadline = -1, time.time(), time.time() + timeout
        while time.time() < deadline:
            n = t.stored(tag, ids)
            if n != last:
                last, last_t = n, time.time()
            if n >= want or time.time() - last_t > 5:
                break
            time.sleep(0.1)
        return last, last_t - start

    def warm_up(self):
        """Each server fetches and keeps every flood actor's key once."""
        if getattr(self, "warmed", False):
            return
        for t in self.targets:
            self.post_load(t, "create", "warm%d" % int(time.time()), FLOOD_ACTORS, 8, True)
            t.settle()
        self.warmed = True

    def flood_once(self, t, conc, ka, rep, count, sample):
        tag = "f%d%s%d-%d" % (conc, "k" if ka else "n", rep, int(time.time()))
        t.settle()
        t.found = 0
        ids = self.note_ids(tag, count)
        sampler = benchlib.Sampler(t.root_pid()) if sample else None
        x = self.post_load(t, "create", tag, count, conc, ka)
        send_start = time.time() - x["secs"]
        n, secs = self.wait_stored(t, tag, ids, count, send_start)
        if n < count:
            # A queue may pause longer than wait_stored's patience: what it
            # stores once drained was late, not lost.
            t.settle()
            late = t.stored(tag, ids)
            if late > n:
                n, secs = late, time.time() - send_start
        x["stored"] = n
        x["stored_rate"] = x["stored"] / max(secs, x["secs"])
        x["lost"] = count - x["stored"]
        if sampler:
            x["pss"], x["threads"] = sampler.stop()
        return x

    def inbox(self):
        self.row_header("Inbox: signed Creates from %d actors, each on its own address"
                        % FLOOD_ACTORS)
        self.warm_up()
        rows, mem = [], []
        counts = {1: self.args.flood // 8, 8: self.args.flood // 2, 64: self.args.flood}
        for conc in (1, 8, 64):
            for ka in (True, False):
                res = {t.name: [] for t in self.targets}
                for rep in range(3):
                    for t in self.targets:
                        res[t.name].append(self.flood_once(t, conc, ka, rep, counts[conc],
                                                           conc == 64))
                row = ["c=%d, %s" % (conc, "keep-alive" if ka else "new connection")]
                stored = []
                for t in self.targets:
                    xs = res[t.name]
                    stored.append(median([x["stored_rate"] for x in xs]))
                    row += [fmt(median([x["rate"] for x in xs])), fmt(stored[-1]),
                            fmt(median([x["p99_ms"] for x in xs]), 1),
                            "%d/%d" % (sum(x["lost"] for x in xs), 3 * counts[conc]),
                            failures(xs)]
                    if conc == 64:
                        mem.append([row[0], t.name,
                                    fmt(median([x["pss"] for x in xs]), 1),
                                    fmt(max(x["pss"] for x in xs), 1),
                                    max(x["threads"] for x in xs)])
                if len(stored) > 1:
                    row.append(ratio(stored[0], stored[1]))
                rows.append(row)
        header = ["concurrency"]
        for n in self.names():
            header += ["%s accepted/s" % n, "%s stored/s" % n, "%s p99 ms" % n,
                       "%s lost" % n, "%s not 2xx" % n]
        if len(self.targets) > 1:
            header.append("stored: camp / snac2")
        self.report(benchlib.table(rows, header))
        self.report()
        self.report("Requests per run: c=1 %d, c=8 %d, c=64 %d.  Lost = sent minus stored, "
                    "over the three runs." % (counts[1], counts[8], counts[64]))
        self.report()
        self.report("Memory of the server's whole process tree during the c=64 floods "
                    "(sampled every 0.25 s):")
        self.report()
        self.report(benchlib.table(mem, ["flood", "server", "peak PSS MB (median of 3)",
                                         "peak PSS MB (max)", "threads (max)"]))
        self.report()
        time.sleep(3)
        idle = []
        for t in self.targets:
            pss, procs, thr = benchlib.tree_memory(t.root_pid())
            idle.append([t.name, fmt(pss, 1), procs, thr])
        self.report("Idle after the floods (3 s after the last):")
        self.report()
        self.report(benchlib.table(idle, ["server", "PSS MB", "processes", "threads"]))
        self.report()

    def add_followers(self, t, upto):
        """Signed Follows from actors t.followers..upto-1; returns seconds
        until the mock world had every Accept."""
        n = upto - t.followers
        before = self.mock.stats(t.key_filter)["accept"]
        start = time.time()
        x = self.post_load(t, "follow", "fol-%s" % t.name, n, 16, True,
                           first=t.followers, actors=n, path=t.inbox)
        deadline, last, last_t = time.time() + 600, -1, time.time()
        while time.time() < deadline:
            got = self.mock.stats(t.key_filter)["accept"] - before
            if got != last:
                last, last_t = got, time.time()
            if got >= n or time.time() - last_t > 30:
                break
            time.sleep(0.1)
        t.followers = upto
        return x, got, last_t - start

    def fanout_once(self, t, size):
        self.mock.reset()
        t0 = time.time()
        t.post("Fan-out run at %d: %d followers" % (int(t0), size))
        posted = time.time()
        last, last_t, deadline = -1, time.time(), time.time() + 300
        while time.time() < deadline:
            s = self.mock.stats(t.key_filter)
            if s["create"] != last:
                last, last_t = s["create"], time.time()
            if s["create_hosts"] >= size or time.time() - last_t > 15:
                break
            time.sleep(0.05)
        times = sorted(int(line.split()[0]) / 1e6 for line in self.mock.times(
            t.key_filter).splitlines() if line.endswith(" Create"))
        return {"arrived": s["create_hosts"], "bad_sig": s["sig_bad"],
                "secs": times[-1] - posted if times else None,
                "first": times[0] - posted if times else None,
                "rate": (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and
                times[-1] > times[0] else None,
                "post_cmd": posted - t0}

    def rsa_speed(self):
        out = subprocess.run(["openssl", "speed", "-seconds", "3", "rsa2048"],
                             capture_output=True, text=True).stdout
        m = re.search(r"rsa 2048 bits\s+\S+s\s+\S+s\s+([\d.]+)", out)
        return float(m.group(1)) if m else None

    def fanout(self):
        self.row_header("Fan-out: one public post to N remote followers, each on its own "
                        "address")
        sign = self.rsa_speed()
        self.report("`openssl speed rsa2048`: %s signatures/s on one core." % fmt(sign))
        self.report()
        rows, follows = [], []
        for size in self.args.sizes:
            for t in self.targets:
                prev = t.followers
                x, got, secs = self.add_followers(t, size)
                follows.append([t.name, "%d → %d" % (prev, size), x["n"], x["ok"], got,
                                fmt(secs, 1)])
            res = {t.name: [] for t in self.targets}
            for _ in range(3):
                for t in self.targets:
                    res[t.name].append(self.fanout_once(t, size))
            row = [fmt(size)]
            times = []
            for t in self.targets:
                xs = res[t.name]
                times.append(median([x["secs"] for x in xs]))
                row += [fmt(times[-1], 2), fmt(median([x["first"] for x in xs]), 2),
                        fmt(median([x["rate"] for x in xs])),
                        "%d/%d" % (min(x["arrived"] for x in xs), size),
                        sum(x["bad_sig"] for x in xs)]
            if len(times) > 1:
                row.append(ratio(times[0], times[1]))
            row.append(fmt(size / sign, 2) if sign else None)
            rows.append(row)
        header = ["followers"]
        for n in self.names():
            header += ["%s s to last arrival" % n, "%s s to first" % n,
                       "%s deliveries/s after the first" % n,
                       "%s arrived (worst run)" % n, "%s bad signatures" % n]
        if len(self.targets) > 1:
            header.append("camp / snac2 time")
        header.append("one core's RSA signing alone, s")
        self.report(benchlib.table(rows, header))
        self.report()
        self.report("Follows sent by the mock actors, and the time until every Accept "
                    "had arrived:")
        self.report()
        self.report(benchlib.table(follows, ["server", "followers", "Follows sent",
                                             "answered 2xx", "Accepts arrived",
                                             "seconds"]))
        self.report()


def perf_report(data, out_path):
    """perf's profile by library and by function (self), and by function
    inclusive of what it calls, as text."""
    with open(out_path, "w") as out:
        for sort, children in (("dso", "--no-children"), ("dso,sym", "--no-children"),
                               ("sym", "--children")):
            txt = subprocess.run(["perf", "report", "-i", data, "--stdio", children,
                                  "-g", "none", "--sort", sort, "--percent-limit",
                                  "0.5" if children == "--no-children" else "3"],
                                 capture_output=True, text=True).stdout
            out.write("%s, %s:\n" % (sort, "inclusive of callees" if children ==
                                      "--children" else "self"))
            out.write("\n".join(line for line in txt.splitlines()
                                if line.strip() and not line.startswith("#")) + "\n\n")
    return out_path


class Profiled:
    """`perf record` of one process (every thread) while a block runs."""

    def __init__(self, pid, data):
        self.pid, self.data = pid, data

    def __enter__(self):
        self.proc = subprocess.Popen(["perf", "record", "-F", "199", "-e", "cpu-clock",
                                      "--call-graph", "dwarf,16384", "-p", str(self.pid),
                                      "-o", self.data],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(2)
        self.proc.wait(60)


def profile(bench):
    """Where camp's federation child spends its time: a profile (perf
    record, cpu-clock at 199 Hz with DWARF call graphs, every thread),
    flat and inclusive of callees, of one inbox flood at c=64
    with and without keep-alive, and of one fan-out to the largest of
    --sizes (followers are added first if need be).  Reports go to DIR/perf-*.txt."""
    camp = bench.targets[0]
    pid = camp.http_pid()
    r = bench.report
    bench.row_header("Profile of camp's federation child (perf, cpu-clock)")
    bench.warm_up()
    for ka in (True, False):
        name = "perf-inbox-%s" % ("keepalive" if ka else "newconn")
        data = os.path.join(bench.args.dir, name + ".data")
        with Profiled(pid, data):
            x = bench.flood_once(camp, 64, ka, 9, bench.args.flood, False)
        r("- inbox c=64 %s: %s stored/s under perf; `%s`" % (
            "keep-alive" if ka else "new connection", fmt(x["stored_rate"]),
            perf_report(data, os.path.join(bench.args.dir, name + ".txt"))))
    if camp.followers < max(bench.args.sizes):
        bench.add_followers(camp, max(bench.args.sizes))
    if camp.followers:
        data = os.path.join(bench.args.dir, "perf-fanout.data")
        with Profiled(pid, data):
            x = bench.fanout_once(camp, camp.followers)
        r("- fan-out to %d: %s s under perf; `%s`" % (
            camp.followers, fmt(x["secs"], 2),
            perf_report(data, os.path.join(bench.args.dir, "perf-fanout.txt"))))
    r()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--camp", default="./camp")
    ap.add_argument("--fedload", default="build/bench/fedload")
    ap.add_argument("--snac", help="a snac binary to run as the anchor")
    ap.add_argument("--dir", default="/tmp/camp-bench", help="keys and results")
    ap.add_argument("--only", default="calibrate,http,inbox,fanout")
    ap.add_argument("--quick", action="store_true", help="small counts, for a try")
    ap.add_argument("--sizes", default="100,500,2000,5000")
    args = ap.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.flood, args.seconds = (800, 2) if args.quick else (4000, 5)
    args.actors = max(args.sizes + [FLOOD_ACTORS])
    bench = Bench(args)
    bench.start()
    for row in args.only.split(","):
        if row == "profile":
            profile(bench)
        else:
            getattr(bench, row)()
    bench.report("Load average at the end: %s." % benchlib.loadavg())


if __name__ == "__main__":
    sys.exit(main())
