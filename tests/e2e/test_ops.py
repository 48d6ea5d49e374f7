#!/usr/bin/python3
"""Running a camp over time: upgrades (a database made by the last
release, tests/fixtures/db/v6.db, is copied byte for byte and migrated
at start; a newer one is refused; a migration that fails changes
nothing), scheduled backups, camp restore, the camp status dashboard
(with who is online), and camp doctor finding a port in use, an expired
certificate and a wrong clock (the camp run under faketime)."""
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time

import camplib
import fedmock
from camplib import (ROOT, Server, camp, contains, eq, init_camp, keygen, main,
                     set_conf, test, tmpdir)

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "db", "v6.db")

# What the old camp held, compared row by row after the upgrade (only the
# columns the old schema had, so later migrations may add their own).
KEY_ROWS = [
    "SELECT id, username, ifnull(domain, ''), is_admin FROM accounts ORDER BY id",
    "SELECT fingerprint, account_id FROM ssh_keys ORDER BY id",
    "SELECT id, account_id, content, visibility, ifnull(in_reply_to_id, 0)"
    " FROM posts ORDER BY id",
    "SELECT follower_id, target_id, state FROM follows ORDER BY 1, 2",
    "SELECT post_id, account_id FROM favourites ORDER BY 1, 2",
    "SELECT id, inbox, domain, body FROM fed_deliveries ORDER BY id",
]


def query(path, sql):
    db = sqlite3.connect(path, timeout=10)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def latest_schema():
    d, _ = init_camp()
    return json.loads(camp("status", d, "--json", check=0).out)["schema_latest"]


def old_camp():
    """A camp folder whose database is the v6 fixture."""
    d, code = init_camp()
    for name in ("camp.db", "camp.db-wal", "camp.db-shm"):
        if os.path.exists(os.path.join(d, name)):
            os.remove(os.path.join(d, name))
    shutil.copyfile(FIXTURE, os.path.join(d, "camp.db"))
    return d


def fixture_rows():
    ref = os.path.join(tmpdir(), "ref.db")
    shutil.copyfile(FIXTURE, ref)
    return {q: query(ref, q) for q in KEY_ROWS}


@test
def an_old_database_is_copied_then_migrated_at_start():
    d = old_camp()
    want = fixture_rows()
    latest = latest_schema()
    srv = Server(d)
    srv.wait_log("migrated")
    db = os.path.join(d, "camp.db")
    contains(srv.logs(), "copied the database to %s.bak-v6 before migrating it" % db)
    contains(srv.logs(), "migrated %s from schema version 6 to %d" % (db, latest))
    eq(read(db + ".bak-v6") == read(FIXTURE), True,
       "the copy is the old camp's file, byte for byte")
    for q in KEY_ROWS:
        eq(query(db, q), want[q], q)
    st = json.loads(camp("status", d, "--json", check=0).out)
    eq((st["schema"], st["members"], st["deliveries_waiting"]), (latest, 3, 3))
    # The fixture's deliveries wait for a server that went away.
    eq([(x["waiting"]) for x in st["domains"]], [3])
    eq(st["serving"], True)
    srv.assert_clean_log()


@test
def a_database_from_a_newer_camp_is_refused():
    d = old_camp()
    latest = latest_schema()
    db = sqlite3.connect(os.path.join(d, "camp.db"))
    db.execute("PRAGMA user_version = %d" % (latest + 5))
    db.close()
    before = read(os.path.join(d, "camp.db"))
    for argv in (("serve", d), ("status", d)):
        p = camp(*argv, check=1, timeout=30)
        contains(p.err, "schema version %d" % (latest + 5))
        contains(p.err, "up to %d" % latest)
    eq(read(os.path.join(d, "camp.db")) == before, True, "the database is untouched")
    eq(os.path.exists(os.path.join(d, "camp.db.bak-v6")), False, "no copy")
    p = camp("doctor", d, timeout=60)
    eq(p.returncode, 1, "doctor finds it")
    contains(p.out, "FAIL  database: ")
    contains(p.out, "from a newer camp")


@test
def a_failed_migration_leaves_the_copy_and_the_database_as_they_were():
    d = old_camp()
    fresh, _ = init_camp()
    names = "SELECT name FROM sqlite_master WHERE type = 'table'"
    new = set(query(os.path.join(fresh, "camp.db"), names)) - set(
        query(os.path.join(d, "camp.db"), names))
    assert new, "no migration adds a table"
    db = sqlite3.connect(os.path.join(d, "camp.db"))
    for (name,) in sorted(new):  # in the way of the migrations
        db.execute('CREATE TABLE "%s" (x)' % name)
    db.commit()
    db.close()
    assert not os.path.exists(os.path.join(d, "camp.db-wal"))
    before = read(os.path.join(d, "camp.db"))
    p = camp("serve", d, check=1, timeout=30)
    contains(p.err, "already exists")
    contains(p.err, "the database was left as it was")
    contains(p.err, "camp.db.bak-v6")
    eq(read(os.path.join(d, "camp.db")) == before, True, "the database is untouched")
    eq(read(os.path.join(d, "camp.db.bak-v6")) == before, True, "the copy is whole")


@test
def scheduled_backups_are_made_checked_and_pruned():
    d, _ = init_camp()
    set_conf(d, "backup_every", "2s")
    set_conf(d, "backup_keep", "2")
    srv = Server(d)
    deadline = time.time() + 40
    while len(re.findall(r"backed up the database to (\S+) \(checked\)", srv.logs())) < 3:
        assert time.time() < deadline, srv.logs()[-3000:]
        time.sleep(0.1)
    made = re.findall(r"backed up the database to (\S+) \(checked\)", srv.logs())
    for path in made:
        assert re.search(r"/backups/camp-\d{8}-\d{6}\.db$", path), path
    eq(os.path.exists(made[0]), False, "the oldest beyond backup_keep is gone")
    assert os.path.exists(made[2]), made
    ok = subprocess.run(["sqlite3", made[2], "PRAGMA integrity_check"],
                        stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    eq(ok, "ok")
    st = json.loads(camp("status", d, "--json", check=0).out)
    assert st["backup_path"] in made[2:] or st["backup_at"] >= time.time() - 10, st
    contains(camp("status", d, check=0).out, "last backup: ")
    srv.assert_clean_log()


@test
def restore_waits_for_the_camp_to_stop_and_keeps_what_it_replaces():
    d, _ = init_camp()
    srv = Server(d)
    copy = os.path.join(tmpdir(), "copy.db")
    camp("backup", d, copy, check=0)
    st = json.loads(camp("status", d, "--json", check=0).out)
    eq(st["backup_path"], os.path.realpath(copy))
    camp("invite", d, check=0)
    invites = "SELECT count(*) FROM invites"
    eq(query(os.path.join(d, "camp.db"), invites), [(2,)])
    p = camp("restore", d, copy, check=1)
    contains(p.err, "camp serve is running on %s (pid %d)" % (d, srv.proc.pid))
    contains(p.err, "stop it first")
    srv.kill_all()
    junk = os.path.join(tmpdir(), "junk.db")
    db = sqlite3.connect(junk)
    db.execute("CREATE TABLE notes (x)")
    db.close()
    p = camp("restore", d, junk, check=1)
    contains(p.err, "not a camp's database")
    eq(query(os.path.join(d, "camp.db"), invites), [(2,)])
    p = camp("restore", d, copy, check=0)
    kept = re.search(r"kept as (\S+)\.\n", p.out).group(1)
    eq(query(os.path.join(d, "camp.db"), invites), [(1,)])
    eq(query(kept, invites), [(2,)])
    Server(d).assert_clean_log()  # and the camp starts on it


@test
def status_is_a_dashboard_with_who_is_online():
    srv, code, tmp = camplib.start_camp()
    alice = keygen(tmp, "alice")
    srv.join(alice, "alice", code)
    out = camp("status", srv.dir, check=0).out
    # What status always printed comes first, in the same order.
    eq([l.split(":")[0] for l in out.splitlines()[:9]],
       ["camp", "domain", "public url", "ssh", "http", "members",
        "deliveries waiting", "schema", "host keys"])
    contains(out, "serving: yes, pid %d, up " % srv.proc.pid)
    contains(out, "online: 0 members")
    contains(out, "warning: only one admin (alice): give a trusted friend an admin "
                  "invite: camp invite %s --admin" % srv.dir)
    screen = srv.login("alice", alice)
    deadline = time.time() + 10
    while json.loads(camp("status", srv.dir, "--json", check=0).out)["online"] != 1:
        assert time.time() < deadline, "never online"
        time.sleep(0.1)
    contains(camp("status", srv.dir, check=0).out, "online: 1 member\n")
    screen.child.terminate(force=True)
    deadline = time.time() + 10
    while json.loads(camp("status", srv.dir, "--json", check=0).out)["online"] != 0:
        assert time.time() < deadline, "still online after leaving"
        time.sleep(0.1)
    bob = keygen(tmp, "bob")
    srv.join(bob, "bob", camp("invite", srv.dir, "--admin", check=0).out.split()[-1])
    assert "warning: only one admin" not in camp("status", srv.dir, check=0).out


def doctor(d):
    p = camp("doctor", d, timeout=60)
    return p, {m.group(2): (m.group(1), m.group(3))
               for m in re.finditer(r"^(ok|note|warn|FAIL) +([a-z ]+): (.*)$",
                                    p.out, re.M)}


def wait_http(d):
    """Waits until the federation child answers on http_listen."""
    port = int(camplib.conf_value(d, "http_listen").rsplit(":", 1)[1])
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            assert time.time() < deadline, "the HTTP side never answered"
            time.sleep(0.05)


@test
def doctor_finds_a_port_in_use_and_knows_its_own():
    d, _ = init_camp()
    port = int(camplib.conf_value(d, "ssh_listen").rsplit(":", 1)[1])
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    squatter.bind(("127.0.0.1", port))
    squatter.listen(1)
    p, found = doctor(d)
    eq(p.returncode, 1, "a failed check")
    eq(found["ports"][0], "FAIL")
    contains(found["ports"][1], "ssh_listen port %d is in use by another program" % port)
    contains(p.out, "fix: stop the program that holds it")
    squatter.close()
    srv = Server(d)
    wait_http(d)
    p, found = doctor(d)
    eq(found["ports"][0], "ok")
    contains(found["ports"][1], "ssh_listen port %d answers (this camp, pid %d)"
             % (port, srv.proc.pid))
    eq(found["files"][0], "ok")
    eq(found["database"][0], "ok")
    eq(found["domain"][0], "ok")
    eq(found["clock"][0], "note")
    contains(found["clock"][1], "nothing to compare with yet")
    os.chmod(os.path.join(d, "camp.db"), 0o644)
    p, found = doctor(d)
    eq(found["files"][0], "FAIL")
    contains(found["files"][1], "camp.db (mode 644)")


def cert(d, name, days, shift=None):
    """A self-signed certificate for 127.0.0.1 valid for days, made with
    openssl (under faketime shift, to make one that has expired)."""
    args = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
            str(days), "-keyout", name + ".key", "-out", name + ".pem", "-subj",
            "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    if shift:
        args = ["faketime", "-f", shift] + args
    subprocess.run(args, cwd=d, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return os.path.join(d, name + ".pem"), os.path.join(d, name + ".key")


@test
def doctor_finds_an_expired_certificate():
    d, _ = init_camp()
    tmp = tmpdir()
    old_pem, old_key = cert(tmp, "old", 2, shift="-10d")
    good_pem, good_key = cert(tmp, "good", 90)
    set_conf(d, "tls_cert", old_pem)
    set_conf(d, "tls_key", old_key)
    p, found = doctor(d)
    eq(found["certificate"], ("FAIL", "%s has expired" % old_pem))
    contains(p.out, "fix: renew it")
    st = camp("status", d, check=0).out
    contains(st, "tls certificate: %s, expires " % old_pem)
    contains(st, " ago)")
    set_conf(d, "tls_cert", good_pem)
    set_conf(d, "tls_key", good_key)
    p, found = doctor(d)
    eq(found["certificate"][0], "ok")
    # 90 days from when it was made: 89 once a second has passed.
    ok_days = ("for 127.0.0.1, expires in 89 days", "for 127.0.0.1, expires in 90 days")
    if not any(w in found["certificate"][1] for w in ok_days):
        raise AssertionError("unexpected: %r" % (found["certificate"][1],))
    set_conf(d, "tls_key", old_key)
    p, found = doctor(d)
    eq(found["certificate"][0], "FAIL")
    contains(found["certificate"][1], "does not match the key")


@test
def doctor_finds_a_wrong_clock_from_other_servers_answers():
    certs = camplib.make_certs(tmpdir())
    d, code = init_camp()
    set_conf(d, "tls_ca_file", certs["ca.pem"])
    # This machine's clock, as the camp sees it, is two hours ahead.
    # (Under ASan, libfaketime is preloaded before ASan's runtime.)
    asan = os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    srv = Server(d, prefix=["env", "ASAN_OPTIONS=" + asan, "faketime", "-f", "+2h"])
    tmp = os.path.dirname(d)
    alice = keygen(tmp, "alice")
    srv.join(alice, "alice", code)
    mock = fedmock.Mock(certs=certs)
    mock.account("bob", fedmock.Key())
    deadline = time.time() + 20
    while not os.path.exists(os.path.join(d, "lookup.sock")):
        assert time.time() < deadline, srv.logs()[-2000:]
        time.sleep(0.05)
    srv.cmd("alice", alice, "follow", "bob@" + mock.host)  # the camp asks bob's server
    p, found = doctor(d)
    eq(found["clock"][0], "FAIL")
    m = re.match(r"this machine's clock is (\d+) s ahead of %s" % re.escape(mock.host),
                 found["clock"][1])
    assert m and 7190 <= int(m.group(1)) <= 7210, found["clock"]
    contains(p.out, "fix: turn on time synchronisation")
    contains(camp("status", d, check=0).out, "clock: -7")


main()
