"""Helpers for camp's end-to-end tests.

Each test script imports this, declares test functions with @test, and
calls main().  Results are printed as TAP lines for tests/run.py.  The
camp binary comes from $CAMP_BIN (./camp by default).  Everything a test
starts is stopped and its temporary folder removed at exit.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAMP = os.environ.get("CAMP_BIN", os.path.join(ROOT, "camp"))

_tests = []
_cleanups = []


def test(fn):
    """Registers fn as one test; its name is the function's name."""
    _tests.append(fn)
    return fn


def cleanup(fn):
    """Runs fn at exit, last registered first."""
    _cleanups.append(fn)


def tmpdir():
    d = tempfile.mkdtemp(prefix="camp-e2e-")
    cleanup(lambda: shutil.rmtree(d, ignore_errors=True))
    return d


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def camp(*args, input=None, check=None, timeout=60):
    """Runs the camp binary; returns CompletedProcess with text output.
    check=N asserts the exit status."""
    p = subprocess.run([CAMP] + [str(a) for a in args], input=input,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    p.out = p.stdout.decode("utf-8", "replace")
    p.err = p.stderr.decode("utf-8", "replace")
    if check is not None and p.returncode != check:
        raise AssertionError("camp %s exited %d, not %d\nstdout: %s\nstderr: %s" %
                             (" ".join(map(str, args)), p.returncode, check,
                              p.out, p.err))
    return p


def init_camp(ssh_port=None, http_port=None, extra=()):
    """Creates a camp in a fresh temp folder on free loopback ports.
    Returns (dir, admin invite code)."""
    d = os.path.join(tmpdir(), "camp")
    ssh_port = ssh_port or free_port()
    http_port = http_port or free_port()
    p = camp("init", d, "--domain", "127.0.0.1:%d" % http_port,
             "--public-url", "http://127.0.0.1:%d" % http_port,
             "--bind", "127.0.0.1", "--ssh-port", ssh_port,
             "--http-port", http_port, *extra, check=0)
    code = p.out.strip().splitlines()[-1]
    set_conf(d, "allow_private_addresses", "yes")
    return d, code


def make_certs(d):
    """A throwaway CA and a server certificate for 127.0.0.1 (and
    localhost) signed by it, made with openssl in d; returns the paths of
    ca.pem, server.pem and server.key by those names."""
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


def set_conf(d, key, value):
    """Sets key = value in DIR/camp.conf (replacing the line)."""
    path = os.path.join(d, "camp.conf")
    lines = open(path).read().splitlines()
    new = "%s = %s" % (key, value)
    if any(l.startswith(key + " =") for l in lines):
        lines = [new if l.startswith(key + " =") else l for l in lines]
    else:
        lines += ["# set by a test", new]
    open(path, "w").write("\n".join(lines) + "\n")


def conf_value(d, key):
    for line in open(os.path.join(d, "camp.conf")):
        if line.startswith(key + " ="):
            return line.split("=", 1)[1].strip()
    return None


def eq(a, b, what=""):
    if a != b:
        raise AssertionError("%s: %r != %r" % (what or "values differ", a, b))


def contains(haystack, needle, what=""):
    if needle not in haystack:
        raise AssertionError("%s: %r not in %r" % (what or "missing", needle,
                                                    haystack[-2000:]))


def main():
    """Runs every registered test and prints TAP; exits 1 on any failure."""
    print("1..%d" % len(_tests))
    failed = 0
    for i, fn in enumerate(_tests, 1):
        start = time.time()
        try:
            fn()
            print("ok %d - %s" % (i, fn.__name__))
            print("# %s took %.1fs" % (fn.__name__, time.time() - start))
        except Exception:
            failed += 1
            print("not ok %d - %s" % (i, fn.__name__))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        sys.stdout.flush()
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception:
            traceback.print_exc()
    sys.exit(1 if failed else 0)



# ---- SSH helpers: a running camp and the real OpenSSH client ------------

SSH_OPTS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
            "-F", "/dev/null"]


def keygen(d, name, kind="ed25519", bits=None):
    """Makes an ssh key pair d/name(.pub) with ssh-keygen; returns the
    private key's path."""
    path = os.path.join(d, name)
    args = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", name, "-f", path]
    if bits:
        args += ["-b", str(bits)]
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL)
    return path


def pids_of(needle):
    """Pids of every process whose command line contains needle."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = open("/proc/%s/cmdline" % pid, "rb").read()
        except OSError:
            continue
        if needle.encode() in cmd:
            found.append(int(pid))
    return found


class Server:
    """`camp serve DIR` in the background, logging to DIR/serve.log.  Every
    process it forks (their command line names DIR) is killed at exit."""

    def __init__(self, d, prefix=()):
        """prefix runs the camp under another program (faketime ...)."""
        self.dir = d
        self.port = int(conf_value(d, "ssh_listen").rsplit(":", 1)[1])
        self.log_path = os.path.join(os.path.dirname(d), "serve.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(list(prefix) + [CAMP, "serve", d],
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log)
        cleanup(self.kill_all)
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise AssertionError("camp serve did not start:\n" + self.logs())
                time.sleep(0.05)

    def logs(self):
        self.log.flush()
        return open(self.log_path, encoding="utf-8", errors="replace").read()

    def wait_log(self, text, timeout=10):
        deadline = time.time() + timeout
        while text not in self.logs():
            if time.time() > deadline:
                raise AssertionError("%r never appeared in the log:\n%s" %
                                     (text, self.logs()[-3000:]))
            time.sleep(0.05)

    def reload(self, **conf):
        """Sets conf's keys in camp.conf, sends SIGHUP and waits until the
        listener has reloaded."""
        for k, v in conf.items():
            set_conf(self.dir, k, v)
        before = self.logs().count("SIGHUP: reloaded")
        self.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while self.logs().count("SIGHUP: reloaded") == before:
            if time.time() > deadline:
                raise AssertionError("no reload:\n" + self.logs()[-2000:])
            time.sleep(0.05)

    def assert_clean_log(self):
        """No sanitizer report and no crash in any process of the camp."""
        for bad in ("Sanitizer", "runtime error:", "Assertion", "fatal"):
            if bad in self.logs():
                raise AssertionError("%r in the log:\n%s" % (bad, self.logs()[-4000:]))

    def pids(self):
        return pids_of(self.dir)

    def kill_all(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(8)
            except subprocess.TimeoutExpired:
                pass
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def ssh_args(self, user, key, *command, tty=False):
        args = ["ssh", "-p", str(self.port), "-i", key] + SSH_OPTS
        args += ["-tt"] if tty else ["-T"]
        return args + ["%s@127.0.0.1" % user] + [str(c) for c in command]

    def ssh(self, user, key, *command, input=b"", check=None, timeout=30):
        """Runs ssh USER@camp COMMAND; returns CompletedProcess with .out,
        .err (text) and .returncode.  check=N asserts the exit status."""
        p = subprocess.run(self.ssh_args(user, key, *command), input=input,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        p.out = p.stdout.decode("utf-8", "replace")
        p.err = p.stderr.decode("utf-8", "replace")
        if check is not None and p.returncode != check:
            raise AssertionError("ssh %s@ %s exited %d, not %d\nstdout: %s\nstderr: %s"
                                 % (user, " ".join(map(str, command)), p.returncode,
                                    check, p.out, p.err))
        return p

    def cmd(self, user, key, *argv, input=b"", check=None, timeout=30):
        """Like ssh(), but each word of argv reaches the command whole (it
        is quoted for the camp's shell-like word splitting, as a person
        quotes words for a remote shell)."""
        import shlex
        return self.ssh(user, key, *[shlex.quote(str(a)) for a in argv],
                        input=input, check=check, timeout=timeout)

    def json(self, user, key, *argv):
        """Runs a command with --json and returns the decoded output."""
        import json
        p = self.cmd(user, key, *argv, "--json", check=0)
        return json.loads(p.out)

    def spawn(self, user, key, *command, rows=24, cols=80, term="xterm-256color"):
        """ssh -tt under pexpect, on a terminal of rows x cols whose type
        is term (ssh passes TERM on to the camp, as it does for a person:
        "vt100" is a terminal without colours; None leaves TERM unset)."""
        import pexpect
        args = self.ssh_args(user, key, *command, tty=True)
        env = dict(os.environ, TERM=term or "")
        if term is None:
            del env["TERM"]
        child = pexpect.spawn(args[0], args[1:], dimensions=(rows, cols),
                              timeout=15, env=env)
        child.delaybeforesend = None  # pexpect's default 50 ms per send
        cleanup(lambda: child.terminate(force=True))
        return child

    def login(self, user, key, rows=24, cols=80, term="xterm-256color"):
        """Logs user in with ssh -tt and goes through the first-login pages,
        if shown, to the timelines; returns the Screen."""
        s = Screen(self.spawn(user, key, rows=rows, cols=cols, term=term), rows, cols)
        s.enter_client()
        return s

    def join(self, key, name, code=None):
        """Joins with a fresh member invite (or code) and key."""
        if code is None:
            code = camp("invite", self.dir, check=0).out.strip().splitlines()[-1]
        self.ssh("join", key, "join", code, name, check=0)
        return name


def _pyte_classes():
    """pyte's screen and stream, taught the few sequences ncurses uses that
    pyte lacks: SU and SD (scroll the region up and down) and REP (repeat
    the last character), as xterm does them.  Without them a scrolling
    client's screen drifts."""
    import pyte

    class TermScreen(pyte.Screen):
        last = " "

        def draw(self, data):
            if data:
                self.last = data[-1]
            super().draw(data)

        def _scroll(self, count, up):
            top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
            x, y = self.cursor.x, self.cursor.y
            self.cursor.y = top
            (self.delete_lines if up else self.insert_lines)(count or 1)
            self.cursor.x, self.cursor.y = x, y

        def scroll_up(self, count=None, *rest, **kw):
            self._scroll(count, True)

        def scroll_down(self, count=None, *rest, **kw):
            self._scroll(count, False)

        def repeat_last(self, count=None, *rest, **kw):
            self.draw(self.last * (count or 1))

    class TermStream(pyte.ByteStream):
        csi = dict(pyte.ByteStream.csi, S="scroll_up", T="scroll_down",
                   b="repeat_last")

    return TermScreen, TermStream


def term_screen(rows, cols):
    """A (screen, stream) pair that understands what ncurses sends."""
    screen_cls, stream_cls = _pyte_classes()
    screen = screen_cls(cols, rows)
    return screen, stream_cls(screen)


class Screen:
    """A pyte screen fed from a pexpect child (ssh -tt, or any program on
    a pty), for asserting on what a member would see.  raw keeps every
    byte received, for what a full-screen client wipes and for checking
    what reached the terminal at all."""

    def __init__(self, child, rows=24, cols=80):
        self.child = child
        self.screen, self.stream = term_screen(rows, cols)
        self.raw = b""

    def resize(self, rows, cols):
        """Resizes the terminal (the client gets SIGWINCH through ssh)."""
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)
        self.pump(0.2)

    def lines(self):
        return [line.rstrip() for line in self.screen.display]

    def text(self):
        """The screen, one line per row, trailing blanks dropped."""
        return "\n".join(self.lines())

    def marked(self):
        """The rows of the selected item: those with the margin bar."""
        return [line for line in self.lines() if line.startswith("\u258c")]

    def wait_selected(self, text, timeout=10):
        """Waits until the selected item (the rows marked in the margin)
        holds text, then until the frame is whole."""
        deadline = time.time() + timeout
        while not any(text in line for line in self.marked()):
            if time.time() > deadline:
                raise AssertionError("%r is not the selection:\n%s" % (text, self.text()))
            self.pump(0.02)
        self.settle()

    def pump(self, seconds=0.1):
        """Reads what arrives until nothing has for seconds."""
        import pexpect
        try:
            while True:
                data = self.child.read_nonblocking(65536, timeout=seconds)
                self.raw += data
                self.stream.feed(data)
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def settle(self, quiet=0.1, most=2.0):
        """Reads until the client has been quiet for a moment (at most
        `most` seconds), so the screen holds a whole frame, not half of one."""
        import pexpect
        end = time.time() + most
        while time.time() < end:
            try:
                data = self.child.read_nonblocking(65536, timeout=quiet)
                self.raw += data
                self.stream.feed(data)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return

    def keys(self, s, settle=0.05):
        """Types s, then reads until the client is quiet for settle seconds
        (assertions that follow should wait, as wait_for does: a busy
        machine may answer later)."""
        self.child.send(s)
        self.pump(settle)

    def wait_raw(self, text, timeout=10):
        """Waits until text has been received, whatever the screen shows."""
        deadline = time.time() + timeout
        while text.encode() not in self.raw:
            if time.time() > deadline:
                raise AssertionError("%r never received:\n%r" % (text, self.raw[-2000:]))
            self.pump(0.05)

    def wait_for(self, text, timeout=10, gone=False):
        """Waits until text is (with gone: is no longer) on the screen, then
        until the frame is whole; returns when it was first seen."""
        deadline = time.time() + timeout
        while (text in self.text()) == gone:
            if time.time() > deadline:
                raise AssertionError("%r %s the screen after %.1fs:\n%s" % (
                    text, "still on" if gone else "not on", timeout, self.text()))
            self.pump(0.02)
        seen = time.time()
        self.settle()
        return seen

    def wait_width(self, cols, timeout=10):
        """Waits until the client has redrawn for a window cols wide: its
        rules span the whole width, and nothing wider remains."""
        rule = "\u2500" * cols
        deadline = time.time() + timeout
        while not any(line.startswith(rule) and len(line.rstrip()) == cols
                      for line in self.screen.display):
            if time.time() > deadline:
                raise AssertionError("no %d-column redraw:\n%s" % (cols, self.text()))
            self.pump(0.05)
        self.settle()

    def enter_client(self, timeout=10):
        """Goes through the first-login pages, if shown, to the timelines:
        Enter on each, y where the code of conduct still wants accepting."""
        deadline = time.time() + timeout
        self.wait_for("1 Home", timeout)
        while any(w in self.text() for w in ("Enter next", "Press Enter", "Press y")):
            if time.time() > deadline:
                raise AssertionError("stuck in the welcome pages:\n" + self.text())
            before = self.text()
            self.child.send("y" if "Press y to accept" in before else "\r")
            while self.text() == before and time.time() < deadline:
                self.pump(0.02)
            self.settle()

    def leave(self):
        """Goes back to a tab, quits the way a member does (q, then y) and
        checks the client exits 0 (ASan reports leaks there)."""
        import pexpect
        self.keys("\x1b" * 6)
        self.child.send("q")
        self.wait_for("Leave the camp?")
        self.child.send("y")
        self.child.expect(pexpect.EOF, timeout=10)
        self.child.wait()
        self.child.delayafterclose = 0  # it has exited: no need to wait more
        self.child.close()
        if self.child.exitstatus != 0:
            raise AssertionError("client exited %r" % self.child.exitstatus)


def start_camp(**conf):
    """A fresh camp with conf's keys set, served; returns (Server, admin
    invite code, temp folder for keys)."""
    d, code = init_camp()
    for k, v in conf.items():
        set_conf(d, k, v)
    return Server(d), code, os.path.dirname(d)
