#!/usr/bin/python3
"""The operator's commands: camp init, invite, backup, status, version,
help, and their errors."""
import hashlib
import os
import sqlite3
import subprocess
import threading

from camplib import camp, contains, eq, init_camp, test, tmpdir, main


def tree_digest(d):
    """A digest of every file name, mode and content under d."""
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(d)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(p.encode())
            h.update(str(os.stat(p).st_mode).encode())
            h.update(open(p, "rb").read())
    return h.hexdigest()


@test
def init_creates_a_private_commented_camp():
    d, code = init_camp()
    eq(oct(os.stat(d).st_mode & 0o777), "0o700", "camp folder mode")
    for f in ("camp.conf", "camp.db", "motd.txt", "conduct.txt",
              "ssh_host_ed25519_key", "ssh_host_rsa_key"):
        assert os.path.exists(os.path.join(d, f)), f
    eq(oct(os.stat(os.path.join(d, "ssh_host_ed25519_key")).st_mode & 0o777),
       "0o600", "host key mode")
    conf = open(os.path.join(d, "camp.conf")).read()
    for key in ("domain", "public_url", "ssh_listen", "http_listen", "tls_cert",
                "tls_key", "tls_ca_file", "max_members", "registrations",
                "allow_private_addresses", "max_post_chars", "idle_timeout"):
        contains(conf, "\n%s = " % key)
    # Every key line is preceded by a comment that explains it.
    lines = conf.splitlines()
    for i, line in enumerate(lines):
        if " = " in line and not line.startswith("#"):
            assert lines[i - 1].startswith("#"), line
    eq(len(code.replace("-", "")), 20, "invite code length")
    eq(open(os.path.join(d, "motd.txt")).read(),
       open(os.path.join(os.path.dirname(__file__), "..", "..", "motd.txt")).read())


@test
def init_prints_fingerprints_as_ssh_keygen_does():
    parent = tmpdir()
    d = os.path.join(parent, "c")
    p = camp("init", d, "--ssh-port", "2345", "--domain", "camp.example", check=0)
    for name in ("ssh_host_ed25519_key", "ssh_host_rsa_key"):
        out = subprocess.run(["ssh-keygen", "-lf", os.path.join(d, name)],
                             stdout=subprocess.PIPE, check=True).stdout.decode()
        bits, fp = out.split()[:2]
        contains(p.out, "%s %s" % (bits, fp), name)
    contains(p.out, "ssh -p 2345 join@camp.example join ")
    st = camp("status", d, check=0)
    contains(st.out, "members: 0 of 100")
    contains(st.out, "deliveries waiting: 0")


@test
def init_refuses_an_existing_camp_and_changes_nothing():
    d, _ = init_camp()
    before = tree_digest(d)
    p = camp("init", d, check=1)
    contains(p.err, "already holds a camp")
    eq(p.out, "", "stdout")
    eq(tree_digest(d), before, "camp folder after a refused init")


@test
def init_refuses_a_folder_that_is_not_empty():
    d = tmpdir()
    open(os.path.join(d, "notes.txt"), "w").write("mine")
    p = camp("init", d, check=1)
    contains(p.err, "not empty")
    eq(os.listdir(d), ["notes.txt"])


@test
def invite_prints_code_last_and_is_single_use():
    d, first = init_camp()
    p = camp("invite", d, "--note", "Hi Bob, welcome!", "--expires", "3", check=0)
    code = p.out.strip().splitlines()[-1]
    assert code != first
    contains(p.out, "A member invite")
    p = camp("invite", d, "--admin", check=0)
    contains(p.out, "An admin invite")
    db = sqlite3.connect(os.path.join(d, "camp.db"))
    rows = db.execute("SELECT is_admin, note, expires_at > 0 FROM invites"
                      " ORDER BY id").fetchall()
    eq(rows, [(1, "Welcome to your new camp! You are its first admin.", 0),
              (0, "Hi Bob, welcome!", 1), (1, "", 0)])
    # The codes themselves are never stored.
    assert code.encode() not in open(os.path.join(d, "camp.db"), "rb").read()


@test
def usage_errors_exit_2_and_failures_exit_1():
    eq(camp().returncode, 2)
    p = camp("frobnicate")
    eq(p.returncode, 2)
    contains(p.err, "unknown command")
    p = camp("invite", "--colour", "red", "x")
    eq(p.returncode, 2)
    contains(p.err, "unknown option --colour")
    p = camp("init", tmpdir() + "/x", "--ssh-port", "99999")
    eq(p.returncode, 2)
    p = camp("invite", tmpdir())
    eq(p.returncode, 1)
    contains(p.err, "is not a camp")
    eq(len(p.err.strip().splitlines()), 1, "one line on stderr")
    p = camp("backup", "/nonexistent", "/tmp/x")
    eq(p.returncode, 1)
    contains(camp("version", check=0).out, "camp ")
    contains(camp("help", check=0).out, "camp backup DIR FILE")


@test
def bad_config_is_reported_with_file_and_line():
    d, _ = init_camp()
    with open(os.path.join(d, "camp.conf"), "a") as f:
        f.write("max_members = many\n")
    p = camp("invite", d, check=1)
    contains(p.err, "camp.conf:")
    contains(p.err, "max_members: expected a whole number")


@test
def backup_while_another_process_writes_is_consistent():
    d, _ = init_camp()
    stop = threading.Event()
    errors = []

    def writer():
        db = sqlite3.connect(os.path.join(d, "camp.db"), timeout=10)
        i = 0
        try:
            while not stop.is_set():
                with db:
                    db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)",
                               ("k%d" % (i % 500), "x" * 200))
                i += 1
        except Exception as e:
            errors.append(e)

    t = threading.Thread(target=writer)
    t.start()
    out = os.path.join(tmpdir(), "backup.db")
    try:
        for _ in range(5):
            camp("backup", d, out, check=0)
            r = subprocess.run(["sqlite3", out, "PRAGMA integrity_check"],
                               stdout=subprocess.PIPE, check=True)
            eq(r.stdout.decode().strip(), "ok", "integrity of the backup")
    finally:
        stop.set()
        t.join()
    eq(errors, [], "writer errors")
    r = subprocess.run(["sqlite3", out, "SELECT count(*) FROM invites"],
                       stdout=subprocess.PIPE, check=True)
    eq(r.stdout.decode().strip(), "1")


main()
