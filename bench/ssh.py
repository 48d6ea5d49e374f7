#!/usr/bin/python3
"""The SSH benchmarks of issue 13: login time and memory per session,
camp next to a private OpenSSH sshd.

    /usr/bin/python3 bench/ssh.py --camp ./camp [--only login,memory]
        [--sessions 10,50,100] [--quick]

(`make bench-ssh` runs it.)  It starts a fresh camp (`camp init` on free
ports, one member joined through the real `ssh ... join`) and a private
OpenSSH sshd (Debian's openssh-server) on a free loopback port, with its
own configuration, host key, authorized_keys and pid file in a temporary
folder; the system's sshd and its configuration are never touched (when
the user's shell has start-up files, sshd runs where they read as empty:
see OpenSSH.command()).
Everything started is stopped at exit.  Rows:

  login   `ssh USER@HOST whoami`, one after another, against camp and
          against OpenSSH with `ForceCommand /bin/true`: median per login,
          three runs alternating, and the ratio; and for camp, `ssh -tt`
          until the client's first whole screen (the tab bar and the key
          line at the bottom)
  memory  PSS of the whole server tree (every process below the one
          started, from /proc/PID/smaps_rollup) idle, then with 10, 50 and
          100 open full-screen sessions (camp) or login shells (OpenSSH,
          `ssh -tt`), and the cost per session

Output goes to stdout and to DIR/ssh-results.md.
"""
import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

import benchlib
from benchlib import camplib, fmt, median, ratio

SSHD = "/usr/sbin/sshd"


class OpenSSH:
    """A private sshd on a free loopback port; key is the client key it
    accepts for the current user."""

    def __init__(self, work, key, force=None):
        self.dir = tempfile.mkdtemp(prefix="sshd-", dir=work)
        self.port = camplib.free_port()
        self.user = pwd.getpwuid(os.getuid()).pw_name
        self.key = key
        host_key = os.path.join(self.dir, "host_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key],
                       check=True)
        shutil.copy(key + ".pub", os.path.join(self.dir, "authorized_keys"))
        conf = os.path.join(self.dir, "sshd_config")
        lines = ["Port %d" % self.port, "ListenAddress 127.0.0.1",
                 "HostKey " + host_key, "PidFile " + os.path.join(self.dir, "pid"),
                 "AuthorizedKeysFile " + os.path.join(self.dir, "authorized_keys"),
                 "StrictModes no", "PasswordAuthentication no",
                 "KbdInteractiveAuthentication no", "UsePAM no",
                 "PermitRootLogin prohibit-password", "PrintMotd no", "PrintLastLog no",
                 "UseDNS no", "MaxStartups 200", "MaxSessions 200"]
        if force:
            lines.append("ForceCommand " + force)
        open(conf, "w").write("\n".join(lines) + "\n")
        # Privilege separation wants this folder; Debian's package makes it
        # only when its own service starts.
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        self.proc = benchlib.spawn(self.command(conf), os.path.join(self.dir, "sshd.log"))
        benchlib.wait_port(self.port, proc=self.proc)

    def command(self, conf):
        """sshd in the foreground.  The shell it starts for the user reads
        the user's ~/.bashrc and ~/.profile (Debian's bash does even for
        `bash -c`), which on a developer's machine may take seconds (pyenv,
        cargo...): that is not sshd's cost.  So when there are such files,
        sshd runs in a mount namespace of its own where they are empty;
        nothing changes outside it."""
        home = os.path.expanduser("~")
        rcs = [f for f in (".bashrc", ".profile", ".bash_profile", ".bash_login")
               if os.path.exists(os.path.join(home, f))]
        if not rcs:
            return [SSHD, "-D", "-e", "-f", conf]
        empty = os.path.join(self.dir, "empty")
        open(empty, "w").close()
        mounts = " && ".join("mount --bind %s %s" % (empty, os.path.join(home, f))
                             for f in rcs)
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                "%s && exec %s -D -e -f %s" % (mounts, SSHD, conf)]

    def args(self, *command, tty=False):
        return (["ssh", "-p", str(self.port), "-i", self.key] + camplib.SSH_OPTS +
                (["-tt"] if tty else ["-T"]) + ["%s@127.0.0.1" % self.user] +
                list(command))


def time_logins(args_fn, n):
    """Median seconds of n logins run one after another."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(args_fn(), stdin=subprocess.DEVNULL, capture_output=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError("login failed: %s" % p.stderr.decode())
    return median(times)


def first_screen(server, user, key):
    """Seconds from starting `ssh -tt` to the client's first whole screen."""
    t0 = time.perf_counter()
    child = server.spawn(user, key)
    s = camplib.Screen(child)
    deadline = time.time() + 30
    while not ("1 Home" in s.text() and s.lines()[-1].strip()):
        if time.time() > deadline:
            raise RuntimeError("no first screen:\n" + s.text())
        s.pump(0.005)
    took = time.perf_counter() - t0
    child.terminate(force=True)
    return took


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="camp-bench-ssh-")
        camplib.cleanup(lambda: shutil.rmtree(self.work, ignore_errors=True))
        os.makedirs(args.dir, exist_ok=True)
        self.report = benchlib.Report(os.path.join(args.dir, "ssh-results.md"))
        camplib.CAMP = os.path.abspath(args.camp)
        self.camp_dir, code = camplib.init_camp()
        self.camp = camplib.Server(self.camp_dir)
        self.key = camplib.keygen(self.work, "alice")
        self.camp.ssh("join", self.key, "join", code, "alice", check=0)
        # The first login shows the welcome pages once; go through them.
        s = self.camp.login("alice", self.key)
        s.leave()
        r = self.report
        commit = subprocess.run(["git", "-C", benchlib.ROOT, "log", "-1", "--format=%h %s"],
                                capture_output=True, text=True).stdout.strip()
        ver = subprocess.run([SSHD, "-V"], capture_output=True, text=True).stderr.strip()
        r("# SSH benchmarks: %s" % time.strftime("%Y-%m-%d %H:%M %Z"))
        r()
        r("- Machine: %s" % benchlib.machine())
        r("- Load average at start: %s" % benchlib.loadavg())
        r("- camp built from commit %s; anchor: %s" % (commit, ver.splitlines()[0]))
        r()

    def login(self):
        r = self.report
        r("## Login")
        r()
        r("Load average before: %s." % benchlib.loadavg())
        r()
        sshd = OpenSSH(self.work, self.key, force="/bin/true")
        n = self.args.logins
        camp_runs, ossh_runs = [], []
        for _ in range(3):
            camp_runs.append(time_logins(
                lambda: self.camp.ssh_args("alice", self.key, "whoami"), n))
            ossh_runs.append(time_logins(lambda: sshd.args("whoami"), n))
        c, o = median(camp_runs), median(ossh_runs)
        screens = [median([first_screen(self.camp, "alice", self.key)
                           for _ in range(max(3, n // 4))]) for _ in range(3)]
        r(benchlib.table([
            ["`ssh ... whoami` (camp) / `ForceCommand /bin/true` (OpenSSH)",
             fmt(c * 1000, 1), fmt(o * 1000, 1), ratio(c, o)],
            ["`ssh -tt` to the first whole client screen (camp)",
             fmt(median(screens) * 1000, 1), None, None]],
            ["login", "camp ms", "OpenSSH ms", "camp / OpenSSH"]))
        r()
        r("Medians of three runs of %d logins each, one after another, alternating "
          "camp and OpenSSH (per-run medians: camp %s ms, OpenSSH %s ms)." % (
              n, ", ".join(fmt(x * 1000, 1) for x in camp_runs),
              ", ".join(fmt(x * 1000, 1) for x in ossh_runs)))
        r()

    def open_camp(self):
        s = camplib.Screen(self.camp.spawn("alice", self.key))
        s.wait_for("1 Home", timeout=60)
        return s.child

    def open_openssh(self, sshd):
        import pexpect
        child = pexpect.spawn(sshd.args(tty=True)[0], sshd.args(tty=True)[1:],
                              dimensions=(24, 80), timeout=60)
        camplib.cleanup(lambda: child.terminate(force=True))
        child.expect([r"# ", r"\$ "])
        return child

    def memory(self):
        r = self.report
        r("## Memory per session (PSS of the whole server tree)")
        r()
        r("Load average before: %s." % benchlib.loadavg())
        r()
        sshd = OpenSSH(self.work, self.key)
        rows = []
        for name, root, opener in (
                ("camp", self.camp.proc.pid, self.open_camp),
                ("OpenSSH", sshd.proc.pid, lambda: self.open_openssh(sshd))):
            time.sleep(2)
            idle, procs, _ = benchlib.tree_memory(root)
            rows.append([name, "idle", fmt(idle, 1), procs, None])
            open_ = []
            for level in self.args.sessions:
                while len(open_) < level:
                    open_.append(opener())
                time.sleep(3)
                pss, procs, _ = benchlib.tree_memory(root)
                rows.append([name, "%d sessions" % level, fmt(pss, 1), procs,
                             fmt((pss - idle) / level, 2)])
            for child in open_:
                child.terminate(force=True)
        r(benchlib.table(rows, ["server", "state", "PSS MB", "processes",
                                "MB per session beyond idle"]))
        r()
        r("camp's sessions are the full-screen client (`ssh -tt`, 80x24) on its "
          "home timeline; OpenSSH's are login shells (`ssh -tt`, the user's shell).")
        r()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--camp", default="./camp")
    ap.add_argument("--dir", default="/tmp/camp-bench", help="where results go")
    ap.add_argument("--only", default="login,memory")
    ap.add_argument("--sessions", default="10,50,100")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    args.sessions = [int(s) for s in args.sessions.split(",")]
    args.logins = 5 if args.quick else 20
    if args.quick:
        args.sessions = [s for s in args.sessions if s <= 10] or [10]
    bench = Bench(args)
    for row in args.only.split(","):
        getattr(bench, row)()
    bench.report("Load average at the end: %s." % benchlib.loadavg())


if __name__ == "__main__":
    sys.exit(main())
