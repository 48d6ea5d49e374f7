#!/usr/bin/python3
"""The client and the join screen on whatever terminal a member brings,
through the real ssh client: a terminal the camp's terminfo does not
know (xterm-kitty, foot, a made-up name) is drawn for as a close
relative instead of closing the door, and one that cannot show a full
screen (TERM=dumb, or no TERM at all) gets one plain paragraph, without
a single escape sequence, pointing to the commands over ssh; exit 1."""
import pexpect

from camplib import Screen, camp, contains, eq, keygen, main, start_camp, test

srv, admin_code, tmp = start_camp()
alice = keygen(tmp, "alice")
srv.join(alice, "alice", admin_code)

UNKNOWN = ("xterm-kitty", "foot", "camp-no-such-terminal")
FLAT = ("dumb", None)  # None: TERM unset, as ssh then sends no name


def new_code():
    return camp("invite", srv.dir, check=0).out.strip().splitlines()[-1]


def ends(child):
    """Waits for the connection to end; returns its exit status."""
    child.expect(pexpect.EOF, timeout=10)
    child.close()
    return child.exitstatus


@test
def the_client_starts_on_terminals_the_camp_does_not_know():
    for term in UNKNOWN:
        s = srv.login("alice", alice, term=term)
        contains(s.text(), "Friend Camp", term)
        s.keys("2")
        s.wait_for("Nobody on this camp has posted yet")  # the Camp tab: keys work
        s.leave()


@test
def the_client_without_a_full_screen_points_to_the_commands():
    for term in FLAT:
        s = Screen(srv.spawn("alice", alice, term=term))
        s.wait_raw("ssh -p %d alice@127.0.0.1 help" % srv.port)
        eq(ends(s.child), 1, "exit status with TERM=%s" % term)
        text = s.raw.decode()
        contains(text, "The camp's client needs a full-screen terminal")
        contains(text, "TERM=dumb" if term else "TERM is not set")
        eq("\x1b" in text, False, "an escape sequence sent to TERM=%s" % term)


@test
def the_join_screen_starts_on_terminals_the_camp_does_not_know():
    for term in UNKNOWN:
        child = srv.spawn("join", keygen(tmp, "j-" + term), term=term)
        s = Screen(child)
        s.wait_for("Invite code")
        s.wait_for("Your key SHA256:")
        child.send("\x1b")
        eq(ends(child), 1, "leaving the join screen on " + term)


@test
def the_join_screen_without_a_full_screen_offers_the_command():
    for term in FLAT:
        s = Screen(srv.spawn("join", keygen(tmp, "flat-%s" % term), term=term))
        s.wait_raw("join@127.0.0.1 join CODE YOURNAME")
        eq(ends(s.child), 1, "exit status with TERM=%s" % term)
        contains(s.raw.decode(), "The join screen needs a full-screen terminal")
        eq(b"\x1b" in s.raw, False, "an escape sequence sent to TERM=%s" % term)


@test
def a_newcomer_on_kitty_joins_and_goes_on_into_the_client():
    child = srv.spawn("join", keygen(tmp, "kit"), term="xterm-kitty")
    s = Screen(child)
    s.wait_for("Invite code")
    child.send(new_code() + "\rkit\rKit\r")
    s.wait_for("code of conduct")
    child.send("y")
    s.wait_for("Welcome to Friend Camp, kit!")
    child.send("\r")
    s.enter_client()
    contains(s.text(), "@kit")
    s.leave()


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()
    contains(srv.logs(), "terminal xterm-kitty is unknown here: drawing for "
             "xterm-256color")


main()
