"""Helpers for camp's end-to-end tests.

Each test script imports this, declares test functions with @test, and
calls main().  Results are printed as TAP lines for tests/run.py.  The
camp binary comes from $CAMP_BIN (./camp by default).  Everything a test
starts is stopped and its temporary folder removed at exit.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
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
        try:
            fn()
            print("ok %d - %s" % (i, fn.__name__))
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

