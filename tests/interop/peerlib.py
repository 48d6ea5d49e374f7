"""Helpers for camp's interop tests: a throwaway CA, a camp served with
`camp serve` over HTTPS on loopback whose members act over ssh, and the
Fedify peer (peer.mjs) with its control API.

Everything started here is stopped, and every temporary file removed, by
camplib's cleanups.  Nothing here reaches beyond 127.0.0.1.
"""
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
import camplib  # noqa: E402


def node_ready():
    """Raises with a clear message when the peer cannot run here."""
    if shutil.which("node") is None:
        raise AssertionError("node is not installed (make test installs it)")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "@fedify", "fedify")):
        raise AssertionError("tests/interop/node_modules is missing: run make test "
                             "(it runs npm ci there)")


make_certs = camplib.make_certs  # a CA and a certificate for 127.0.0.1


def start(argv, log, env=None):
    """Starts a process with its output in log; stopped at exit."""
    out = open(log, "ab")
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                         start_new_session=True)

    def stop():
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        out.close()
    camplib.cleanup(stop)
    return p


def wait_port(port, timeout=15):
    import socket
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nothing listens on port %d" % port)


class Camp:
    """A camp run the way an operator runs it, `camp serve DIR` (the
    listener supervises the federation child), on free loopback ports.
    With certs its HTTP side is served over HTTPS and trusts the test CA
    for what it fetches (tls_ca_file); without, plain HTTP.  Members join
    and act through the real OpenSSH client, as members do."""

    def __init__(self, certs=None):
        self.dir, _ = camplib.init_camp()
        self.tmp = os.path.dirname(self.dir)
        self.port = int(camplib.conf_value(self.dir, "http_listen").rsplit(":", 1)[1])
        scheme = "https" if certs else "http"
        self.base = "%s://127.0.0.1:%d" % (scheme, self.port)
        self.domain = "127.0.0.1:%d" % self.port
        camplib.set_conf(self.dir, "public_url", self.base)
        if certs:
            camplib.set_conf(self.dir, "tls_cert", certs["server.pem"])
            camplib.set_conf(self.dir, "tls_key", certs["server.key"])
            camplib.set_conf(self.dir, "tls_ca_file", certs["ca.pem"])
        self.srv = None
        self.keys = {}

    def start(self):
        self.srv = camplib.Server(self.dir)
        wait_port(self.port)

    def join(self, name):
        """name joins with a fresh invite and a new ssh key."""
        self.keys[name] = camplib.keygen(self.tmp, name)
        self.srv.join(self.keys[name], name)

    def cmd(self, who, *argv, check=0):
        """Runs a command as member who over ssh (check: exit status)."""
        return self.srv.cmd(who, self.keys[who], *argv, check=check, timeout=60)

    def json(self, who, *argv):
        """A command's --json output, decoded."""
        return json.loads(self.cmd(who, *argv, "--json").out)

    def post(self, who, text, visibility="public", *flags):
        """Posts as who; returns the new post's id."""
        return int(self.cmd(who, "post", "--visibility", visibility, *flags,
                            text).out.strip())

    def deliveries(self):
        """Deliveries waiting, as `camp status` tells the operator."""
        out = camplib.camp("status", self.dir, check=0).out
        for line in out.splitlines():
            if line.startswith("deliveries waiting:"):
                return int(line.split(":")[1])
        raise AssertionError("camp status says nothing of deliveries:\n" + out)

    def drain(self, timeout=30):
        """Waits until the delivery queue is empty."""
        end = time.time() + timeout
        while time.time() < end:
            if self.deliveries() == 0:
                return
            time.sleep(0.2)
        raise AssertionError("deliveries still queued after %ds" % timeout)

    def federation_pid(self):
        """The pid of the federation child the listener started last."""
        import re
        pids = re.findall(r"started federation \(pid (\d+)\)", self.log_text())
        if not pids:
            raise AssertionError("no federation child in the log:\n" +
                                 self.log_text()[-3000:])
        return int(pids[-1])

    def stop_and_check(self):
        """Stops the camp with SIGTERM, as an operator (or systemd) does,
        and asserts that the listener exited 0, that the federation child
        stopped cleanly when told, and that no process of the camp left a
        sanitizer report (under make asan) in the log."""
        pid = self.federation_pid()
        self.srv.proc.terminate()
        code = self.srv.proc.wait(20)
        log = self.log_text()
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if bad in log:
                raise AssertionError("sanitizer report in the camp's log:\n" +
                                     log[log.index(bad) - 200:][:4000])
        if code != 0:
            raise AssertionError("camp serve exited %d:\n%s" % (code, log[-3000:]))
        if "federation (pid %d) stopped" % pid not in log:
            raise AssertionError("the federation child did not stop cleanly:\n" +
                                 log[-3000:])

    def log_text(self):
        return self.srv.logs() if self.srv else ""


class Peer:
    """The Fedify peer (tests/interop/peer.mjs) and its control API."""

    def __init__(self, name, certs, logdir):
        self.ctx = ssl.create_default_context(cafile=certs["ca.pem"])
        env = dict(os.environ, NODE_EXTRA_CA_CERTS=certs["ca.pem"])
        ready = os.path.join(logdir, name + ".ready")
        self.log = os.path.join(logdir, name + ".log")
        self.proc = start(["node", os.path.join(HERE, "peer.mjs"), "--name", name,
                           "--port", "0", "--tls-cert", certs["server.pem"],
                           "--tls-key", certs["server.key"], "--log-level", "warning",
                           "--ready-file", ready], self.log, env)
        end = time.time() + 30
        while not os.path.exists(ready) or not open(ready).read().strip():
            if time.time() > end or self.proc.poll() is not None:
                raise AssertionError("the peer did not start:\n" + self.log_text())
            time.sleep(0.05)
        info = json.loads(open(ready).read())
        self.origin, self.actor, self.handle = info["origin"], info["actor"], info["handle"]
        self.acct = self.handle.lstrip("@")

    def log_text(self):
        try:
            return open(self.log, errors="replace").read()[-4000:]
        except OSError:
            return ""

    def call(self, path, body=None, ok=(200,)):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.origin + "/_peer/" + path, data=data,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=60) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        if status not in ok:
            raise AssertionError("peer %s: %d %s" % (path, status, text[:2000]))
        return json.loads(text)

    def events(self, type=None):
        return self.call("events" + ("?type=" + type if type else ""))

    def wait(self, type, count=1, timeout=20, since=0):
        r = self.call("wait", {"type": type, "kind": "inbox", "count": count,
                               "since": since, "timeoutMs": timeout * 1000},
                      ok=(200, 408))
        if not r["ok"]:
            raise AssertionError("peer got %d %s, wanted %d; events: %s" % (
                len(r["events"]), type, count,
                json.dumps(self.events(), indent=1)[-3000:]))
        return r["events"]
