#!/usr/bin/python3
"""A full-screen session left alone for idle_timeout is closed politely,
and takes its processes with it.  (A file of its own: it has to wait a
minute, the shortest idle_timeout, while the other files run.)"""
import time

import pexpect

from camplib import Screen, eq, keygen, main, start_camp, test

srv, admin_code, tmp = start_camp(idle_timeout="60s")
alice = keygen(tmp, "alice")
srv.join(alice, "alice", admin_code)


@test
def an_idle_session_is_closed_politely():
    before = set(srv.pids())
    child = srv.spawn("alice", alice)
    s = Screen(child)
    s.enter_client()
    started = time.time()
    mine = set(srv.pids()) - before
    eq(len(mine), 2, "a session and its UI")
    s.wait_raw("Closed after a long quiet spell", timeout=90)
    waited = time.time() - started
    assert waited >= 55, "closed after only %.0fs" % waited
    child.expect(pexpect.EOF, timeout=10)
    deadline = time.time() + 10
    while set(srv.pids()) & mine:
        assert time.time() < deadline, "left behind: %s" % (set(srv.pids()) & mine)
        time.sleep(0.1)


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
