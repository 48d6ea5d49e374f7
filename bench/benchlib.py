"""Shared pieces of camp's benchmark scripts (bench/fed.py, bench/ssh.py).

The machine and its load, medians of runs, memory of a process tree
(PSS from /proc/PID/smaps_rollup, which splits shared pages fairly
between the processes that map them), and a table printer.  Camps are
made and served with the end-to-end tests' own helpers
(tests/e2e/camplib.py), whose cleanups stop every process at exit.

Benchmarks time things; tests never do.  Nothing here passes or fails.
"""
import atexit
import os
import platform
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import camplib  # noqa: E402


def _run_cleanups():
    for fn in reversed(camplib._cleanups):
        try:
            fn()
        except Exception as e:  # a cleanup that fails must not stop the others
            print("cleanup: %s" % e, file=sys.stderr)
    camplib._cleanups.clear()


atexit.register(_run_cleanups)


def machine():
    """One line naming the machine: cores, CPU model, kernel."""
    model = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return "%d cores (nproc), %s, Linux %s" % (os.cpu_count(), model, platform.release())


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def children_map():
    """pid -> list of child pids, for every process."""
    kids = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open("/proc/%s/stat" % pid).read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(pid))
    return kids


def tree(root):
    """root and every process below it."""
    kids, out, todo = children_map(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def pss_kb(pid):
    try:
        for line in open("/proc/%d/smaps_rollup" % pid):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def threads(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory(root):
    """(PSS in MB, processes, threads) of root's whole tree."""
    pids = tree(root)
    return (sum(pss_kb(p) for p in pids) / 1024.0, len(pids),
            sum(threads(p) for p in pids))


class Sampler:
    """Samples a tree's PSS and threads every interval seconds in a thread,
    keeping the largest seen, until stop()."""

    def __init__(self, root, interval=0.25):
        self.root, self.interval = root, interval
        self.max_pss = self.max_threads = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            pss, _, thr = tree_memory(self.root)
            self.max_pss = max(self.max_pss, pss)
            self.max_threads = max(self.max_threads, thr)
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.max_pss, self.max_threads


def table(rows, header):
    """A Markdown table as text; numbers are printed as given."""
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|"]
    for r in rows:
        out.append("| " + " | ".join("–" if c is None else str(c) for c in r) + " |")
    return "\n".join(out)


def fmt(v, digits=0):
    if v is None:
        return None
    return ("{:,.%df}" % digits).format(v)


def ratio(a, b, digits=2):
    if not a or not b:
        return None
    return ("%." + str(digits) + "f") % (a / b)


def spawn(args, log_path, **kw):
    """Starts args in the background with output to log_path; the process
    (and its group) is stopped at exit."""
    log = open(log_path, "ab")
    p = subprocess.Popen(args, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                         start_new_session=True, **kw)

    def stop():
        if p.poll() is None:
            try:
                os.killpg(p.pid, 15)
                p.wait(5)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(p.pid, 9)
                except ProcessLookupError:
                    pass
                p.wait()
        log.close()
    camplib.cleanup(stop)
    return p


def wait_port(port, host="127.0.0.1", timeout=20, proc=None):
    import socket
    deadline = time.time() + timeout
    while True:
        try:
            socket.create_connection((host, port), 0.5).close()
            return
        except OSError:
            if (proc is not None and proc.poll() is not None) or time.time() > deadline:
                raise RuntimeError("nothing listens on %s:%d" % (host, port))
            time.sleep(0.05)


class Report:
    """What a run prints, also kept to be written to a file."""

    def __init__(self, path=None):
        self.path, self.lines = path, []

    def __call__(self, text=""):
        print(text, flush=True)
        self.lines.append(text)
        if self.path:
            with open(self.path, "w") as f:
                f.write("\n".join(self.lines) + "\n")
