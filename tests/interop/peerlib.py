"""Helpers for camp's interop tests: a throwaway CA, a camp served over
HTTPS on loopback, and the Fedify peer (peer.mjs) with its control API.

Everything started here is stopped, and every temporary file removed, by
camplib's cleanups.  Nothing here reaches beyond 127.0.0.1.
"""
import json
import os
import shutil
import signal
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


def make_certs(d):
    """A CA and a server certificate for 127.0.0.1, made with openssl."""
    def run(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=camp test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
        "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-out", "server.pem",
        "-extfile", "server.ext")
    return {k: os.path.join(d, k) for k in ("ca.pem", "server.pem", "server.key")}


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
    """A camp on free loopback ports, its HTTP side served over HTTPS."""

    def __init__(self, certs):
        self.dir, _ = camplib.init_camp()
        self.port = int(camplib.conf_value(self.dir, "http_listen").rsplit(":", 1)[1])
        self.base = "https://127.0.0.1:%d" % self.port
        self.domain = "127.0.0.1:%d" % self.port
        camplib.set_conf(self.dir, "public_url", self.base)
        camplib.set_conf(self.dir, "tls_cert", certs["server.pem"])
        camplib.set_conf(self.dir, "tls_key", certs["server.key"])
        camplib.set_conf(self.dir, "tls_ca_file", certs["ca.pem"])
        self.log = os.path.join(os.path.dirname(self.dir), "federation.log")
        self.proc = None

    def helper(self, *args, check=0):
        """TEST HELPER ONLY: member actions through the store."""
        return camplib.camp("federation", "test-helper", self.dir, *args,
                            check=check).out.strip()

    def start(self):
        self.proc = start([camplib.CAMP, "federation", self.dir], self.log)
        wait_port(self.port)

    def stop_and_check(self):
        """Stops the child with SIGTERM and asserts it exited cleanly, with
        no sanitizer report (under make asan) in its log."""
        self.proc.terminate()
        code = self.proc.wait(20)
        log = self.log_text()
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if bad in log:
                raise AssertionError("sanitizer report in the federation log:\n" +
                                     log[log.index(bad) - 200:][:4000])
        if code != 0:
            raise AssertionError("the federation child exited %d:\n%s" % (
                code, log[-3000:]))

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def drain(self, timeout=30):
        """Waits until the delivery queue is empty."""
        end = time.time() + timeout
        while time.time() < end:
            if self.helper("deliveries") == "0":
                return
            time.sleep(0.2)
        raise AssertionError("deliveries still queued after %ds" % timeout)

    def log_text(self):
        try:
            return open(self.log, errors="replace").read()
        except OSError:
            return ""


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
