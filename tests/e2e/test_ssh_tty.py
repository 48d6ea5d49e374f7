#!/usr/bin/python3
"""The SSH front door on a terminal: the interactive join screen, the
motd and the client at login, live resizing, and goodbyes."""
import os
import signal
import sqlite3
import time

from camplib import (Screen, camp, contains, eq, keygen, main, start_camp, test)

srv, admin_code, tmp = start_camp(keepalive="5s")
erin = keygen(tmp, "erin")
alice = keygen(tmp, "alice")
srv.join(alice, "alice", admin_code)


def new_code(note=None):
    args = ["--note", note] if note else []
    return camp("invite", srv.dir, *args, check=0).out.strip().splitlines()[-1]


@test
def interactive_join_checks_as_you_type_then_welcomes():
    code = new_code("Hi Erin, so glad you came!")
    child = srv.spawn("join", erin)
    s = Screen(child)
    s.wait_for("Invite code")
    s.wait_for("Your key SHA256:")
    child.send(code + "\r")
    child.send("alic")
    s.wait_for("available")
    child.send("e")
    s.wait_for("taken")
    child.send("\x7f\x7f\x7f\x7f\x7f" + "erin\t")
    s.wait_for("available")
    child.send("Erin \u00e9\u6f22\U0001F600\r")  # wide text must not hurt
    s.wait_for("code of conduct")
    child.send("y")
    s.wait_for("Welcome to Friend Camp, erin!")
    child.send("\r")
    s.wait_for("@erin")
    s.wait_for("Hi Erin, so glad you came!")  # the invite's welcome note
    s.enter_client()
    s.leave()
    db = sqlite3.connect(os.path.join(srv.dir, "camp.db"))
    row = db.execute("SELECT display_name, coc_accepted_at > 0 FROM accounts"
                     " WHERE username = 'erin'").fetchone()
    eq(row, ("Erin \u00e9\u6f22\U0001F600", 1))
    srv.ssh("erin", erin, "whoami", check=0)


@test
def interactive_join_with_a_bad_code_says_so_and_stays():
    key = keygen(tmp, "frank")
    child = srv.spawn("join", key)
    s = Screen(child)
    s.wait_for("Invite code")
    child.send("aaaaa-bbbbb-ccccc-ddddd\rfrank\r\r")
    s.wait_for("code of conduct")
    child.send("y")
    s.wait_for("Not joined: this invite code is not valid")
    child.send("\x1b")
    child.wait()
    eq(srv.ssh("frank", key, "whoami").returncode, 255)


@test
def login_shows_motd_then_the_client_which_follows_resizes():
    with open(os.path.join(srv.dir, "motd.txt"), "w") as f:
        f.write("Movie night on Friday!\n")
    srv.reload()
    child = srv.spawn("alice", alice)
    s = Screen(child)
    s.wait_raw("Movie night on Friday!")
    s.wait_for("@alice")
    s.enter_client()
    s.wait_width(80)
    contains(s.text(), "Friend Camp")
    s.resize(40, 120)
    s.wait_width(120)
    s.resize(24, 80)
    s.wait_width(80)
    s.leave()


@test
def a_member_may_hold_several_sessions():
    a = srv.spawn("alice", alice)
    b = srv.spawn("alice", alice)
    screens = [Screen(child) for child in (a, b)]
    for s in screens:
        s.enter_client()
    srv.ssh("alice", alice, "whoami", check=0)
    for s in screens:
        s.leave()


@test
def a_session_outlives_keepalives():
    child = srv.spawn("alice", alice)
    s = Screen(child)
    s.enter_client()
    time.sleep(6)  # one keepalive (5s) goes out and comes back
    s.resize(30, 100)
    s.wait_width(100)
    s.leave()


@test
def commands_on_a_terminal_get_crlf_line_ends():
    child = srv.spawn("alice", alice, "whoami")
    child.expect_exact("acct: alice\r\n")
    child.expect_exact("admin: yes\r\n")
    child.wait()
    eq(child.exitstatus, 0)


@test
def a_vanished_client_takes_its_session_and_ui_along():
    before = set(srv.pids())
    child = srv.spawn("alice", alice)
    Screen(child).wait_for("@alice")
    mine = set(srv.pids()) - before
    eq(len(mine), 2, "a session and its UI")
    child.kill(signal.SIGKILL)
    deadline = time.time() + 10
    while set(srv.pids()) & mine:
        assert time.time() < deadline, "left behind: %s" % (set(srv.pids()) & mine)
        time.sleep(0.1)


@test
def the_client_needs_a_terminal():
    p = srv.ssh("alice", alice)
    eq(p.returncode, 2)
    contains(p.err, "needs a terminal")


@test
def a_member_at_join_is_sent_to_their_login():
    child = srv.spawn("join", alice)
    child.expect_exact("This key already belongs to alice.")
    child.expect_exact("ssh -p %d alice@127.0.0.1" % srv.port)
    child.wait()
    eq(child.exitstatus, 1)


@test
def closed_registrations_refuse_the_join_screen():
    srv.reload(registrations="closed")
    child = srv.spawn("join", keygen(tmp, "late"))
    child.expect_exact("not taking new members")
    child.wait()
    eq(child.exitstatus, 1)
    srv.reload(registrations="invite")


@test
def sigterm_says_goodbye_and_leaves_nothing_behind():
    children = [srv.spawn("alice", alice) for _ in range(3)]
    for child in children:
        Screen(child).wait_for("@alice")
    assert len(srv.pids()) >= 7, srv.pids()  # listener + 3 x (session + UI)
    start = time.time()
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(10)
    took = time.time() - start
    assert took < 5, "took %.1fs" % took
    for child in children:
        child.expect_exact("The camp is restarting")
    eq(srv.pids(), [], "processes left behind")
    contains(srv.logs(), "stopped")



@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
