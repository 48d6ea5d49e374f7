#!/usr/bin/python3
"""The member's full-screen client, driven through a real pty.

Each test starts `camp ui DIR NAME` (the development command that runs the
same tui_run() an ssh login runs) under pexpect, feeds what it prints to a
pyte screen, and asserts on the screen's text.  The camp is seeded through
the store's own functions (tests/e2e/seed.c, built here against
libcamp.a), never with SQL.
"""
import os
import re
import subprocess
import time

import pexpect

from camplib import (CAMP, ROOT, cleanup, contains, eq, init_camp, term_screen, test,
                     tmpdir, main)

ENV = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
ENV.pop("LANGUAGE", None)


# ---- the seeding helper ------------------------------------------------------

def _build_dir():
    d = os.path.dirname(os.path.abspath(CAMP))
    if os.path.exists(os.path.join(d, "libcamp.a")):
        return d
    return os.path.join(ROOT, "build")


def _pkgs():
    for line in open(os.path.join(ROOT, "Makefile")):
        if line.startswith("PKGS ="):
            return line.split("=", 1)[1].split()
    return []


_seed_bin = []


def seed_bin():
    """Builds tests/e2e/seed.c once per run; returns its path."""
    if _seed_bin:
        return _seed_bin[0]
    out = os.path.join(tmpdir(), "seed")
    libs = subprocess.run(["pkg-config", "--libs"] + _pkgs(), check=True,
                          stdout=subprocess.PIPE).stdout.decode().split()
    san = ["-fsanitize=address,undefined"] if os.environ.get("CAMP_ASAN") else []
    subprocess.run(["cc", "-std=c11", "-D_GNU_SOURCE", "-I" + ROOT, "-g"] + san +
                   ["-o", out, os.path.join(ROOT, "tests/e2e/seed.c"),
                    os.path.join(_build_dir(), "libcamp.a")] + libs + ["-lutil"],
                   check=True)
    _seed_bin.append(out)
    return out


def seed(d, *args):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    p = subprocess.run([seed_bin(), d] + [str(a) for a in args], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if p.returncode != 0:
        raise AssertionError("seed %s failed: %s" % (args, p.stderr.decode()))
    return p.stdout.decode().strip()


# ---- a terminal ----------------------------------------------------------------

class Term:
    """One client on its own pty, seen through a pyte screen."""

    def __init__(self, d, name, rows=24, cols=80, first_login=False, term=None):
        self.screen, self.stream = term_screen(rows, cols)
        self.raw = b""
        args = ["ui", d, name] + (["--first-login"] if first_login else [])
        env = dict(ENV, TERM=term) if term else ENV
        self.child = pexpect.spawn(CAMP, args, env=env, dimensions=(rows, cols))
        cleanup(self.close)

    def pump(self, seconds=0.1):
        end = time.time() + seconds
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.02)
                self.raw += data
                self.stream.feed(data)
            except pexpect.TIMEOUT:
                if time.time() >= end:
                    return
            except pexpect.EOF:
                return

    def settle(self, quiet=0.1, most=2.0):
        """Reads until the client has been quiet for a moment, so the screen
        holds a whole frame, not half of one."""
        end = time.time() + most
        while time.time() < end:
            try:
                data = self.child.read_nonblocking(65536, timeout=quiet)
                self.raw += data
                self.stream.feed(data)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return

    def text(self):
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait(self, needle, timeout=5.0, gone=False):
        """Waits until needle is (or, with gone, is no longer) on screen."""
        end = time.time() + timeout
        while True:
            self.pump(0.05)
            if (needle in self.text()) != gone:
                seen = time.time()
                self.settle()
                return seen
            if time.time() > end:
                raise AssertionError("%r %s the screen after %.1fs:\n%s" %
                                     (needle, "still on" if gone else "not on",
                                      timeout, self.text()))

    def keys(self, s, settle=0.15):
        self.child.send(s)
        self.pump(settle)

    def resize(self, rows, cols):
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)
        self.pump(0.4)

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)


def quit_client(t):
    """Goes back to a tab, leaves with q and y, and checks the exit status
    (ASan reports leaks there)."""
    t.keys(ESC * 6, settle=0.3)
    t.keys("q")
    t.wait("Leave the camp?")
    t.keys("y")
    t.child.expect(pexpect.EOF, timeout=10)
    t.child.close()
    eq(t.child.exitstatus, 0, "client exit status")


ESC = "\x1b"
CTRL_S = "\x13"
CTRL_V = "\x16"


def camp_with_friends():
    d, _ = init_camp()
    seed(d, "member", "alice", "Knits, bakes, answers questions.")
    seed(d, "member", "bob", "Runs movie night.")
    seed(d, "member", "carol", "New in town; say hi.")
    seed(d, "follow", "alice", "bob")
    return d


# ---- tests ---------------------------------------------------------------------

@test
def views_show_what_the_model_says():
    d = camp_with_friends()
    seed(d, "post", "bob", "camp", "Movie night is Friday! #movienight")
    seed(d, "post", "carol", "public", "Hello from carol, public to all")
    seed(d, "post", "bob", "public", "@alice are you coming?")
    seed(d, "post", "bob", "direct", "@alice a secret just for you")
    t = Term(d, "alice")
    t.wait("Movie night is Friday!")
    home = t.text()
    contains(home, "bob")
    contains(home, "camp only")
    assert "Hello from carol" not in home, "home shows an account alice does not follow"
    contains(home, "4 Notifs (2)")  # 80 columns: short tab names
    contains(home, "Friend Camp")
    # Camp: every member's public and camp posts.
    t.keys("2")
    t.wait("Hello from carol")
    contains(t.text(), "Movie night is Friday!")
    assert "a secret just for you" not in t.text(), "a DM in the camp timeline"
    # Federated: public posts only.
    t.keys("3")
    t.wait("Hello from carol")
    assert "Movie night" not in t.text(), "a camp-only post in the federated timeline"
    # Notifications: bob mentioned alice.
    t.keys("4")
    t.wait("mentioned you")
    # DMs: the conversation with bob.
    t.keys("5")
    t.wait("a secret just for you")
    t.keys("\r")
    t.wait("DMs with bob")
    # Directory: everyone with their intro.
    t.keys("6")
    t.wait("Runs movie night.")
    contains(t.text(), "New in town; say hi.")
    contains(t.text(), "Knits, bakes")
    # Profile from the directory.
    t.keys("j")
    t.keys("\r")
    t.wait("Profile")
    contains(t.text(), "Runs movie night.")
    contains(t.text(), "you follow them")
    # Thread and hashtag from the camp timeline.
    t.keys("2")
    t.wait("Movie night is Friday!")
    t.keys("G")
    t.keys("\r")
    t.wait("Thread")
    t.keys("#")
    t.wait("Hashtag: #movienight")
    t.keys("\r")
    t.wait("\u2500 #movienight \u2500")
    contains(t.text(), "Movie night is Friday!")
    quit_client(t)


@test
def a_camp_post_with_a_warning_reaches_another_session_within_a_second():
    d = camp_with_friends()
    seed(d, "follow", "bob", "alice")
    alice = Term(d, "alice")
    bob = Term(d, "bob")
    alice.wait("1 Home")
    bob.wait("1 Home")
    alice.keys("n")
    alice.wait("New post")
    alice.keys("Anyone up for a walk on Saturday morning?")
    alice.wait("41/500")
    alice.keys("\t")
    alice.keys("outdoors plans")
    alice.keys(CTRL_V)
    alice.wait("only the people you mention")
    for level in ("public", "unlisted", "followers", "direct", "camp",
                  "neighborhood"):
        contains(alice.text(), level)
    alice.keys("5")
    alice.wait("Who can see it: camp")
    sent = time.time()
    alice.keys(CTRL_S)
    alice.wait("Sent (camp)")
    seen = bob.wait("outdoors plans", timeout=3)
    assert seen - sent < 1.0 + 0.3, "took %.2fs to arrive" % (seen - sent)
    text = bob.text()
    contains(text, "camp only")
    assert "walk on Saturday" not in text, "the warning did not hide the text"
    bob.keys("\r")
    bob.wait("walk on Saturday")
    quit_client(bob)
    quit_client(alice)


@test
def new_posts_do_not_move_the_selection():
    d = camp_with_friends()
    for i in range(3):
        seed(d, "post", "bob", "public", "older post %d" % i)
    t = Term(d, "alice")
    t.wait("older post 2")
    t.keys("j")  # on "older post 1"
    before = [l for l in t.text().splitlines() if l.startswith("\u258c")]
    seed(d, "post", "bob", "public", "brand new post")
    t.wait("1 new")
    after = [l for l in t.text().splitlines() if l.startswith("\u258c")]
    assert any("older post 1" in l for l in after), after
    eq(len(before) > 0, True, "a selection is drawn")
    quit_client(t)


@test
def resizing_reflows_and_a_tiny_window_says_so():
    d = camp_with_friends()
    long = ("This post is long enough that it has to wrap differently at eighty "
            "and at one hundred and twenty columns, so a reflow shows.")
    seed(d, "post", "bob", "public", long)
    t = Term(d, "alice")
    t.wait("This post is long")
    small = t.text()
    first = [l for l in small.splitlines() if "This post is long" in l][0]
    assert len(first) <= 80
    t.resize(40, 120)
    t.wait("3 Federated")
    big = t.text()
    eq(len(big.splitlines()), 40, "rows after resize")
    contains(big, "Friend Camp")
    line = [l for l in big.splitlines() if "This post is long" in l][0]
    assert len(line) > 80, "no reflow at 120 columns: %r" % line
    t.resize(24, 80)
    t.wait("3 Fed ")
    eq(t.text(), small, "the 80x24 screen after resizing back")
    t.resize(8, 30)
    t.wait("window too small")
    t.resize(24, 80)
    t.wait("1 Home")
    quit_client(t)


@test
def help_lists_every_key_of_the_view():
    d = camp_with_friends()
    seed(d, "post", "bob", "public", "something to act on")
    t = Term(d, "alice")
    t.wait("something to act on")
    contains(t.text(), "? help")
    t.keys("?")
    t.wait("Keys on this screen")
    text = t.text()
    for key, what in (("r", "reply"), ("b", "boost"), ("f", "favourite"),
                      ("d", "delete your post"), ("e", "edit your post"),
                      ("p", "the author's profile"), ("F", "follow"),
                      ("m", "mute"), ("B", "block"), ("R", "report")):
        assert re.search(r"^\s+%s\s+.*%s" % (re.escape(key), re.escape(what)), text,
                         re.M), "help lacks %s (%s):\n%s" % (key, what, text)
    t.keys("j" * 30)
    t.wait("Keys everywhere")
    contains(t.text(), "leave the camp")
    t.keys(ESC)
    t.wait("something to act on")
    quit_client(t)


@test
def control_characters_are_shown_not_obeyed():
    d = camp_with_friends()
    evil = ("before \x1b[2J after \x1b]52;c;aGVsbG8=\x07 bell\x07 "
            "rlo\u202eend")
    seed(d, "post", "bob", "public", evil)
    t = Term(d, "alice")
    t.wait("before ^[[2J after")
    text = t.text()
    contains(text, "^[]52;c;aGVsbG8=^G bell^G")
    contains(text, "rlo\ufffdend")
    contains(text, "1 Home")  # the screen was not cleared
    assert b"\x1b]52" not in t.raw, "an OSC 52 sequence reached the terminal"
    assert b"\x07" not in t.raw, "a BEL reached the terminal"
    assert "\u202e".encode() not in t.raw, "a bidi override reached the terminal"
    quit_client(t)


@test
def acting_on_a_post_says_what_happened():
    d = camp_with_friends()
    seed(d, "post", "bob", "public", "favourite me")
    t = Term(d, "alice")
    t.wait("favourite me")
    t.keys("f")
    t.wait("Favourited.")
    contains(t.text(), "\u2605 1")
    t.keys("b")
    t.wait("Boosted.")
    t.keys("f")
    t.wait("Favourite taken back.")
    t.keys("R")
    t.wait("Reporting arrives with moderation")
    t.keys("d")
    t.wait("only delete your own")
    t.keys("n")
    t.keys("mine to delete")
    t.keys(CTRL_S)
    t.wait("Sent (")
    t.wait("mine to delete")
    t.keys("g")
    t.keys("d")
    t.wait("Delete this post for everyone?")
    t.keys("y")
    t.wait("Deleted.")
    t.wait("mine to delete", gone=True)
    quit_client(t)


@test
def replies_to_camp_posts_stay_in_the_camp():
    d = camp_with_friends()
    seed(d, "post", "bob", "camp", "camp-only news")
    t = Term(d, "alice")
    t.wait("camp-only news")
    t.keys("r")
    t.wait("Reply to bob")
    contains(t.text(), "your reply stays camp-only")
    contains(t.text(), "Who can see it: camp")
    contains(t.text(), "@bob")
    t.keys(CTRL_V)
    t.keys("1")
    t.wait("Let your reply leave the camp?")
    t.keys("n")
    t.wait("Who can see it: camp")
    t.keys(ESC)
    t.wait("Throw this draft away?")
    t.keys("y")
    t.wait("camp-only news")
    quit_client(t)


@test
def a_terminal_without_colours_still_marks_the_selection():
    d = camp_with_friends()
    seed(d, "post", "bob", "camp", "plain terminal post")
    t = Term(d, "alice", term="vt100")
    t.wait("plain terminal post")
    marked = [l for l in t.text().splitlines() if l.startswith("\u258c")]
    assert any("plain terminal post" in l for l in marked), t.text()
    contains(t.text(), "camp only")
    assert not re.search(rb"\x1b\[([0-9;]*;)?3[0-9]m", t.raw), \
        "colours sent to a terminal without them"
    quit_client(t)


@test
def first_login_shows_note_conduct_and_tour():
    d = camp_with_friends()
    seed(d, "newcomer", "dave", "Dave! So glad you made it. Bring snacks.")
    t = Term(d, "dave")
    t.wait("So glad you made it")
    t.keys("\r")
    t.wait("code of conduct")
    contains(t.text(), "Be kind")
    t.keys("\r")
    t.wait("A quick tour")
    text = t.text()
    contains(text, "Who is here")
    contains(text, "Runs movie night.")
    contains(text, "camp (only people here")
    t.keys("\r")
    t.wait("1 Home")
    quit_client(t)
    # Seen once: the next login goes straight to the timelines.
    t = Term(d, "dave")
    t.wait("1 Home")
    assert "So glad you made it" not in t.text()
    quit_client(t)


if __name__ == "__main__":
    main()
