#!/usr/bin/python3
"""The SSH front door with the real OpenSSH client: joining with
`join CODE USERNAME`, logging in, refusals, and the exec commands with
their exit statuses."""
import json
import os
import sqlite3
import subprocess

from camplib import (camp, contains, eq, keygen, main, start_camp, test)

srv, admin_code, tmp = start_camp()
alice = keygen(tmp, "alice")
alice2 = keygen(tmp, "alice2", "ecdsa")
stranger = keygen(tmp, "stranger")


def member_count():
    db = sqlite3.connect(os.path.join(srv.dir, "camp.db"))
    return db.execute("SELECT count(*) FROM accounts").fetchone()[0]


def new_code(*args):
    return camp("invite", srv.dir, *args, check=0).out.strip().splitlines()[-1]


@test
def join_by_command_makes_the_key_a_login():
    p = srv.ssh("join", alice, "join", admin_code, "Alice", check=0)
    contains(p.out, "Welcome to Friend Camp, alice!")
    contains(p.out, "ssh -p %d alice@127.0.0.1" % srv.port)
    p = srv.ssh("alice", alice, "whoami", check=0)
    contains(p.out, "acct: alice\n")
    contains(p.out, "admin: yes\n")
    # The name is case-insensitive at login too.
    srv.ssh("ALICE", alice, "whoami", check=0)
    srv.wait_log("alice logged in from 127.0.0.1")


@test
def whoami_json():
    p = srv.ssh("alice", alice, "whoami", "--json", check=0)
    obj = json.loads(p.out)
    eq(obj["acct"], "alice")
    eq(obj["admin"], True)
    eq(obj["display_name"], "alice")
    assert obj["handle"].startswith("alice@127.0.0.1:"), obj


@test
def refused_joins_say_why_once_and_change_nothing():
    before = member_count()
    cases = [
        (admin_code, "bob", "already been used"),
        ("aaaaa-bbbbb-ccccc-ddddd", "bob", "not valid"),
        ("nonsense", "bob", "not valid"),
        (new_code(), "alice", "taken"),
        (new_code(), ".bad", "username"),
        (new_code(), "join", "reserved"),
    ]
    for code, name, why in cases:
        p = srv.ssh("join", stranger, "join", code, name, check=1)
        contains(p.err, why, "join %s %s" % (code, name))
        eq(len(p.err.strip().splitlines()), 1, "one line on stderr")
    # An expired code.
    code = new_code("--expires", "1")
    db = sqlite3.connect(os.path.join(srv.dir, "camp.db"))
    with db:
        db.execute("UPDATE invites SET expires_at = 1000 WHERE expires_at > 0")
    p = srv.ssh("join", stranger, "join", code, "bob", check=1)
    contains(p.err, "expired")
    # A key that is already a member's cannot join again.
    p = srv.ssh("join", alice, "join", new_code(), "alice-again", check=1)
    contains(p.err, "already belongs to alice")
    eq(member_count(), before, "members after refused joins")


@test
def join_usage_errors_exit_2():
    eq(srv.ssh("join", stranger, "join", "onlyone").returncode, 2)
    eq(srv.ssh("join", stranger, "whoami").returncode, 2)
    contains(srv.ssh("join", stranger, "help", check=0).out, "join CODE USERNAME")
    # A shell without a terminal gets told how to join instead.
    p = srv.ssh("join", stranger)
    eq(p.returncode, 2)
    contains(p.err, "join CODE USERNAME")


@test
def unknown_key_and_unknown_name_get_the_same_refusal():
    for user, key in (("alice", stranger), ("nobody", alice), ("nobody", stranger)):
        p = srv.ssh(user, key, "whoami")
        eq(p.returncode, 255, "%s with %s" % (user, key))
        contains(p.err, "Permission denied (publickey)")
        eq(p.out, "")
    log = srv.logs()
    contains(log, "login refused for 'alice'")
    contains(log, "no member called nobody")


@test
def exec_statuses_are_0_1_2():
    eq(srv.ssh("alice", alice, "help").returncode, 0)
    p = srv.ssh("alice", alice, "show", "99999")
    eq(p.returncode, 1)
    eq(p.err, "no such post\n")
    p = srv.ssh("alice", alice, "frobnicate")
    eq(p.returncode, 2)
    contains(p.err, "unknown command 'frobnicate'")
    p = srv.ssh("alice", alice, "whoami", "--colour")
    eq(p.returncode, 2)
    contains(p.err, "usage: whoami [--json]")
    p = srv.ssh("alice", alice, "whoami", "'unclosed")
    eq(p.returncode, 2)
    contains(p.err, "quote")


@test
def help_lists_the_table():
    out = srv.ssh("alice", alice, "help", check=0).out
    for cmd in ("whoami", "post [--cw TEXT]", "timeline", "keys [list|add KEY|remove",
                "directory [--json]", "help"):
        contains(out, cmd)
    contains(srv.ssh("alice", alice, "help", "keys", check=0).out, "your SSH keys")


@test
def keys_add_list_remove():
    pub = open(alice2 + ".pub").read().strip()
    p = srv.ssh("alice", alice, "keys", "add", pub, check=0)
    fp = subprocess.run(["ssh-keygen", "-lf", alice2 + ".pub"], stdout=subprocess.PIPE,
                        check=True).stdout.decode().split()[1]
    contains(p.out, fp)
    # The new key logs in, and the list marks the key of this login.
    out = srv.ssh("alice", alice2, "keys", "list", check=0).out
    lines = out.strip().splitlines()
    eq(len(lines), 2, "two keys")
    contains(lines[1], fp)
    contains(lines[1], "ecdsa-sha2-nistp256")
    contains(lines[1], "alice2 (this login)")
    # Adding it twice, or a broken key, is a one-line error.
    p = srv.ssh("alice", alice, "keys", "add", pub, check=1)
    contains(p.err, "already have this key")
    kind, blob = pub.split()[:2]
    p = srv.ssh("alice", alice, "keys", "add", "ssh-ed25519", blob, check=1)
    contains(p.err, "ssh-ed25519")  # an ecdsa blob is not an ed25519 key
    p = srv.ssh("alice", alice, "keys", "add", check=1, input=b"garbage\n")
    contains(p.err, "expected a public key")
    # Keys can come on stdin too.
    fresh = keygen(tmp, "alice3")
    srv.ssh("alice", alice, "keys", "add", input=open(fresh + ".pub", "rb").read(),
            check=0)
    fp3 = subprocess.run(["ssh-keygen", "-lf", fresh + ".pub"], stdout=subprocess.PIPE,
                         check=True).stdout.decode().split()[1]
    srv.ssh("alice", alice, "keys", "remove", fp3, check=0)
    # Removing, then refusing to remove the last key.
    srv.ssh("alice", alice, "keys", "remove", fp, check=0)
    eq(srv.ssh("alice", alice2, "whoami").returncode, 255)
    own = srv.ssh("alice", alice, "keys", check=0).out.split()[0]
    p = srv.ssh("alice", alice, "keys", "remove", own, check=1)
    contains(p.err, "only key")
    eq(srv.ssh("alice", alice, "keys", "frob").returncode, 2)


@test
def stdin_over_64k_is_refused_clearly():
    p = srv.ssh("alice", alice, "keys", "add", input=b"x" * (70 * 1024), check=1)
    contains(p.err, "larger than 64 KB")


@test
def suspended_member_is_told_and_let_go():
    key = keygen(tmp, "sam")
    srv.join(key, "sam")
    db = sqlite3.connect(os.path.join(srv.dir, "camp.db"))
    with db:
        db.execute("UPDATE accounts SET suspended_at = 1, suspend_reason = 'spam'"
                   " WHERE username = 'sam'")
    p = srv.ssh("sam", key, "whoami", check=1)
    contains(p.err, "suspended: spam")
    eq(p.out, "")


@test
def rsa_keys_work_but_small_ones_do_not():
    rsa = keygen(tmp, "rsa", "rsa", 3072)
    srv.join(rsa, "rosa")
    srv.ssh("rosa", rsa, "whoami", check=0)
    small = keygen(tmp, "small", "rsa", 1024)
    p = srv.ssh("join", small, "join", new_code(), "tiny")
    eq(p.returncode, 255)
    contains(p.err, "Permission denied")


@test
def a_full_camp_refuses_joining():
    n = member_count()
    srv.reload(max_members=n)  # SIGHUP reloads camp.conf
    p = srv.ssh("join", stranger, "join", new_code(), "toomany", check=1)
    contains(p.err, "the camp is full")
    eq(member_count(), n)



@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
