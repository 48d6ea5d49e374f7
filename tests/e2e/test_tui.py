#!/usr/bin/python3
"""The member's full-screen client, through the real ssh client.

One `camp serve` holds every test here.  Each test logs its members in
with `ssh -tt` (camplib's Server.login) on a terminal of a given size and
type, feeds what arrives to a pyte screen (camplib.Screen) and asserts on
what a member would see.  The camp is filled the way members fill it:
with the commands they run over ssh (post, follow, dm, profile, ...),
and what each view shows is compared with what those same commands say
the model holds for that member.  Tests use members of their own, so one
test's posts never land in another's view where it would matter.
"""
import concurrent.futures
import os
import re
import time

import pexpect

from camplib import (CAMP, Screen, camp, cleanup, contains, eq, keygen, main,
                     start_camp, test)

srv, admin_code, tmp = start_camp(max_post_chars="500")
keys = {}

ESC = "\x1b"
CTRL_S = "\x13"
CTRL_V = "\x16"
VIS_WORD = {"public": "public", "unlisted": "unlisted", "followers": "followers",
            "direct": "direct", "camp": "camp only", "neighborhood": "neighborhood"}
NOTE_VERB = {"mention": "@ %s mentioned you", "reply": "\u21a9 %s replied",
             "follow": "+ %s followed you", "follow_request": "? %s asked to follow you",
             "boost": "\u27f2 %s boosted your post",
             "favourite": "\u2605 %s favourited your post"}


# ---- the camp, filled as members fill it ------------------------------------

def run(who, *argv, input=b""):
    """Runs one command over ssh as who; returns its output."""
    return srv.cmd(who, keys[who], *argv, input=input, check=0).out


def model(who, *argv):
    """What the camp holds for who, from a command's --json."""
    return srv.json(who, keys[who], *argv)


def post(who, text, vis="public", *flags):
    """who posts text (given on stdin, byte for byte); returns its id."""
    return int(run(who, "post", "--visibility", vis, *flags,
                   input=text.encode("utf-8")).strip())


def post_many(who, texts, vis):
    """Posts each of texts, four at a time (their order is the camp's)."""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda t: post(who, t, vis), texts))


def member(name, intro=None, note=None, admin=False):
    """A new member joined with `ssh join@camp join CODE NAME`, with an
    intro if given; note is the welcome note of their invite."""
    keys[name] = keygen(tmp, name)
    code = admin_code if admin else None
    if note is not None:
        code = camp("invite", srv.dir, "--note", note, check=0).out.strip().splitlines()[-1]
    srv.join(keys[name], name, code)
    if intro:
        run(name, "profile", "--intro", intro)
    return name


def login(who, **kw):
    return srv.login(who, keys[who], **kw)


# ---- reading the screen -----------------------------------------------------

def body(s):
    """The rows between the top and bottom rules."""
    return s.lines()[2:-2]


def post_counts(p):
    """The counts on a post's first line, as the client writes them."""
    return "\u21a9 %d  \u27f2%s%d  %s %d" % (
        p["replies"], "\u2713" if p["boosted"] else " ", p["boosts"],
        "\u2605" if p["favourited"] else "\u2606", p["favourites"])


def shows_posts(s, posts, at_least, what):
    """The screen lists posts (the model's, newest first) from the top, in
    order: each with its author, its visibility in words and its counts on
    the line above its text (or its content warning, the text hidden).
    At least at_least of them must fit; the ones that do not fit must not
    show either, so nothing is skipped or reordered."""
    rows, last, shown = body(s), -1, 0
    for i, item in enumerate(posts):
        p = item["boost_of"] or item
        needle = "\u26a0 " + p["cw"] if p["cw"] else p["content"].split("\n")[0][:30]
        hits = [r for r, line in enumerate(rows) if needle in line and r > last]
        if not hits:
            for later in posts[i + 1:]:
                q = later["boost_of"] or later
                assert q["content"][:30] not in "\n".join(rows), \
                    "%s: %r shown but %r missing:\n%s" % (what, q["content"], needle,
                                                          s.text())
            break
        head = rows[hits[0] - 1]
        contains(head, p["author"], what + ": author")
        contains(head, VIS_WORD[p["visibility"]], what + ": visibility")
        if item["boost_of"]:
            contains(head, "boosted by " + item["author"], what + ": booster")
        else:
            contains(head, post_counts(p), what + ": counts")
        if p["cw"]:
            assert p["content"][:20] not in s.text(), "%s: a warning hid nothing" % what
        last, shown = hits[0], shown + 1
    assert shown >= min(at_least, len(posts)), "%s: %d of %d posts shown:\n%s" % (
        what, shown, len(posts), s.text())
    return shown


def shows_in_order(s, needles, at_least, what):
    """Each of needles on its own row, in order, for as many as fit."""
    rows, last, shown = body(s), -1, 0
    for needle in needles:
        hits = [r for r, line in enumerate(rows) if needle in line and r > last]
        if not hits:
            break
        last, shown = hits[0], shown + 1
    assert shown >= min(at_least, len(needles)), "%s: %d of %r shown:\n%s" % (
        what, shown, needles, s.text())
    return shown


def selected(s, text):
    """The selected item (the rows marked in the margin) holds text."""
    s.wait_selected(text)


# ---- the members ----------------------------------------------------------------

member("alice", "Knits, bakes, answers questions.", admin=True)
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    list(pool.map(lambda args: member(*args), [
        ("bob", "Runs movie night."), ("carol", "New in town; say hi."),
        ("dave", None, "Dave! So glad you made it. Bring snacks.")] + [
        (name,) for name in ("erin", "frank", "gina", "hank", "ivan", "judy", "ken",
                             "liz", "mo", "ned", "olga", "pat", "quinn", "rita",
                             "sam", "tess", "uma")]))


# ---- tests ------------------------------------------------------------------------

@test
def views_show_what_the_model_says():
    run("alice", "follow", "bob")
    movie = post("bob", "Movie night is Friday! #movienight", "camp")
    post("carol", "Hello from carol, public to all")
    post("bob", "@alice are you coming?")
    run("bob", "dm", "alice", "a secret just for you")
    s = login("alice")
    s.wait_for("Movie night is Friday!")
    home = s.text()
    shows_posts(s, model("alice", "timeline", "home"), 2, "Home")
    assert "Hello from carol" not in home, "home shows an account alice does not follow"
    assert "a secret just for you" not in home, "a DM in the home timeline"
    unread = [n for n in model("alice", "timeline", "notifications") if n["unread"]]
    eq(len(unread), 2, "a mention and a DM")
    contains(home, "4 Notifs (%d)" % len(unread))  # 80 columns: short tab names
    contains(home, "Friend Camp")
    contains(home, "@alice")
    # Camp: every member's public and camp posts.
    s.keys("2")
    s.wait_for("Hello from carol")
    shows_posts(s, model("alice", "timeline", "camp"), 3, "Camp")
    assert "a secret just for you" not in s.text(), "a DM in the camp timeline"
    # Federated: public posts only.
    s.keys("3")
    s.wait_for("Hello from carol")
    shows_posts(s, model("alice", "timeline", "federated"), 2, "Federated")
    assert "Movie night" not in s.text(), "a camp-only post in the federated timeline"
    # Notifications: who did what, newest first, with the post under it.
    notes = model("alice", "timeline", "notifications")
    s.keys("4")
    s.wait_for("mentioned you")
    shows_in_order(s, [NOTE_VERB[n["type"]] % n["from"] for n in notes], len(notes),
                   "Notifications")
    contains(s.text(), "are you coming?")
    s.wait_for("4 Notifs (", gone=True, timeout=3)  # seen: the count goes
    # DMs: the conversation with bob.
    convs = model("alice", "timeline", "dms")
    eq([c["conversation_with"] for c in convs], [["bob"]])
    s.keys("5")
    s.wait_for("a secret just for you")
    contains(s.text(), "bob \u00b7 %d message" % convs[0]["messages"])
    s.keys("\r")
    s.wait_for("DMs with bob")
    shows_posts(s, [c for c in convs], 1, "the conversation")
    # Directory: everyone with their intro, in the model's order.
    people = model("alice", "directory")
    s.keys("6")
    s.wait_for("Runs movie night.")
    needles = []
    for m in people:
        facts = "".join([" \u00b7 you" if m["acct"] == "alice" else "",
                         " \u00b7 admin" if m["admin"] else "",
                         " \u00b7 follows you" if m["follows_you"] else "",
                         " \u00b7 you follow" if m["you_follow"] else "",
                         " \u00b7 %d post%s" % (m["posts"], "" if m["posts"] == 1 else "s")])
        needles += ["@" + m["acct"] + facts, m["intro"] or "(no intro yet)"]
    shows_in_order(s, needles, 6, "Directory")
    # Profile from the directory: the second member, bob.
    eq(people[1]["acct"], "bob")
    s.keys("j")
    s.keys("\r")
    s.wait_for("Profile")
    prof = model("alice", "profile", "bob")
    contains(s.text(), prof["intro"])
    contains(s.text(), "you follow them" if prof["you_follow"] == "yes" else "do not")
    shows_posts(s, prof["recent"], 2, "bob's profile")
    # Thread and hashtag from the camp timeline.
    s.keys("2")
    s.wait_for("Movie night is Friday!")
    at = [p["id"] for p in model("alice", "timeline", "camp")].index(movie)
    s.keys("j" * at)
    selected(s, "Movie night is Friday!")
    s.keys("\r")
    s.wait_for("Thread")
    shows_posts(s, model("alice", "show", movie), 1, "Thread")
    s.keys("#")
    s.wait_for("Hashtag: #movienight")
    s.keys("\r")
    s.wait_for("\u2500 #movienight \u2500")
    shows_posts(s, model("alice", "timeline", "tag", "movienight"), 1, "#movienight")
    s.leave()


@test
def a_camp_post_with_a_warning_reaches_another_session_within_a_second():
    run("frank", "follow", "erin")
    erin = login("erin")
    frank = login("frank")
    erin.keys("n")
    erin.wait_for("New post")
    erin.keys("Anyone up for a walk on Saturday morning?")
    erin.wait_for("41/500")
    erin.keys("\t")
    erin.keys("outdoors plans")
    erin.keys(CTRL_V)
    erin.wait_for("only the people you mention")
    lists_every_level(erin)
    erin.keys("5")
    erin.wait_for("Who can see it: camp")
    frank.pump(0.05)
    sent = time.time()
    erin.child.send(CTRL_S)
    seen = frank.wait_for("outdoors plans", timeout=3)
    assert seen - sent < 1.0 + 0.3, "took %.2fs to arrive" % (seen - sent)
    erin.wait_for("Sent (camp)")
    got = model("frank", "timeline", "home")[0]
    eq((got["author"], got["cw"], got["visibility"], got["content"]),
       ("erin", "outdoors plans", "camp", "Anyone up for a walk on Saturday morning?"))
    shows_posts(frank, [got], 1, "frank's home")
    text = frank.text()
    contains(text, "camp only")
    assert "walk on Saturday" not in text, "the warning did not hide the text"
    frank.keys("\r")
    frank.wait_for("walk on Saturday")
    frank.leave()
    erin.leave()


@test
def new_posts_do_not_move_the_selection():
    run("gina", "follow", "hank")
    for i in range(3):
        post("hank", "older post %d" % i)
    s = login("gina")
    s.wait_for("older post 2")
    s.keys("j")
    selected(s, "older post 1")
    post("hank", "brand new post")
    s.wait_for("\u2191 1 new")
    selected(s, "older post 1")
    s.keys("k")
    selected(s, "older post 2")
    s.wait_for("\u2191 1 new")
    s.keys("k")
    selected(s, "brand new post")
    assert "1 new" not in s.text(), "the marker stays once the new post is read"
    s.leave()


@test
def resizing_reflows_and_a_tiny_window_says_so():
    long = ("This post is long enough that it has to wrap differently at eighty "
            "and at one hundred and twenty columns, so a reflow shows.")
    post("ivan", long, "unlisted")
    s = login("ivan")
    s.wait_for("This post is long")
    small = s.text()
    first = [l for l in small.splitlines() if "This post is long" in l][0]
    assert len(first) <= 80
    s.resize(40, 120)
    s.wait_width(120)
    s.wait_for("3 Federated")
    big = s.text()
    eq(len(s.screen.display), 40, "rows after resize")
    contains(big, "Friend Camp")
    line = [l for l in big.splitlines() if "This post is long" in l][0]
    assert len(line) > 80, "no reflow at 120 columns: %r" % line
    contains(big.splitlines()[-1], "Enter thread")
    s.resize(24, 80)
    s.wait_width(80)
    s.wait_for("3 Fed ")
    eq(s.text(), small, "the 80x24 screen after resizing back")
    s.resize(8, 30)
    s.wait_for("window too small")
    s.resize(24, 80)
    s.wait_width(80)
    eq(s.text(), small, "the 80x24 screen after a tiny window")
    s.leave()


@test
def help_lists_every_key_of_the_view():
    post("judy", "something to act on", "unlisted")
    s = login("judy")
    s.wait_for("something to act on")
    contains(s.text(), "? help")
    s.keys("?")
    s.wait_for("Keys on this screen")
    text = s.text()
    for key, what in (("j \u2193", "next post"), ("Enter", "thread"),
                      ("r", "reply"), ("b", "boost"), ("f", "favourite"),
                      ("d", "delete your post"), ("e", "edit your post"),
                      ("p", "the author's profile"), ("F", "follow"),
                      ("m", "mute"), ("B", "block"), ("R", "report")):
        assert re.search(r"^\s+%s\s+.*%s" % (re.escape(key), re.escape(what)), text,
                         re.M), "help lacks %s (%s):\n%s" % (key, what, text)
    s.keys("j" * 30)
    s.wait_for("Keys everywhere")
    text = s.text()
    for key, what in (("n", "write a new post"), ("P", "your own profile"),
                      ("6", "Directory"), ("q", "leave the camp")):
        assert re.search(r"^\s+%s\s+.*%s" % (re.escape(key), re.escape(what)), text,
                         re.M), "help lacks %s (%s):\n%s" % (key, what, text)
    s.keys(ESC)
    s.wait_for("something to act on")
    s.leave()


@test
def control_characters_are_shown_not_obeyed():
    evil = ("before \x1b[2J after \x1b]52;c;aGVsbG8=\x07 bell\x07 "
            "rlo\u202eend")
    run("liz", "follow", "ken")
    s = login("liz")
    s.wait_for("Nothing here yet")
    pid = post("ken", evil)
    eq(model("liz", "show", pid)[0]["content"], evil, "the camp keeps the text")
    s.wait_for("before ^[[2J after")
    text = s.text()
    contains(text, "^[]52;c;aGVsbG8=^G bell^G")
    contains(text, "rlo\ufffdend")
    # The screen was not cleared: the frame is all there around the post.
    contains(s.lines()[0], "1 Home")
    assert s.lines()[1].startswith("\u2500" * 80), s.text()
    contains(s.lines()[-1], "n new")
    assert b"\x1b[2J after" not in s.raw, "an erase reached the terminal"
    assert b"\x1b]52" not in s.raw, "an OSC 52 sequence reached the terminal"
    assert b"\x07" not in s.raw, "a BEL reached the terminal"
    assert "\u202e".encode() not in s.raw, "a bidi override reached the terminal"
    s.leave()


@test
def acting_on_a_post_says_what_happened():
    run("mo", "follow", "ned")
    pid = post("ned", "favourite me")
    s = login("mo")
    s.wait_for("favourite me")
    s.keys("f")
    s.wait_for("Favourited.")
    got = model("mo", "show", pid)[0]
    eq((got["favourites"], got["favourited"]), (1, True))
    contains(s.text(), "\u2605 1")
    s.keys("b")
    s.wait_for("Boosted.")
    eq(model("mo", "show", pid)[0]["boosts"], 1)
    s.wait_for("boosted by mo")
    selected(s, "favourite me")
    s.keys("f")
    s.wait_for("Favourite taken back.")
    eq(model("mo", "show", pid)[0]["favourites"], 0)
    s.keys("R")
    s.wait_for("Reporting arrives with moderation")
    s.keys("d")
    s.wait_for("only delete your own")
    s.keys("n")
    s.keys("mine to delete")
    s.keys(CTRL_S)
    s.wait_for("Sent (")
    s.wait_for("mine to delete")
    mine = model("mo", "timeline", "home")[0]
    eq((mine["author"], mine["content"]), ("mo", "mine to delete"))
    s.keys("g")
    s.keys("d")
    s.wait_for("Delete this post for everyone?")
    s.keys("y")
    s.wait_for("Deleted.")
    s.wait_for("mine to delete", gone=True)
    eq(srv.cmd("mo", keys["mo"], "show", mine["id"]).returncode, 1)
    s.leave()


@test
def replies_to_camp_posts_stay_in_the_camp():
    parent = post("pat", "camp-only news", "camp")
    s = login("olga")
    s.keys("2")
    s.wait_for("camp-only news")
    at = [p["id"] for p in model("olga", "timeline", "camp")].index(parent)
    s.keys("j" * at)
    selected(s, "camp-only news")
    s.keys("r")
    s.wait_for("Reply to pat")
    contains(s.text(), "your reply stays camp-only")
    contains(s.text(), "Who can see it: camp")
    contains(s.text(), "@pat")
    s.keys(CTRL_V)
    s.keys("1")
    s.wait_for("Let your reply leave the camp?")
    s.keys("n")
    s.wait_for("Who can see it: camp")
    s.keys(ESC)
    s.wait_for("Throw this draft away?")
    s.keys("n")
    s.keys("count me in")
    s.keys(CTRL_S)
    s.wait_for("Sent (camp)")
    reply = model("olga", "show", parent)[-1]
    eq((reply["author"], reply["content"], reply["visibility"], reply["in_reply_to"]),
       ("olga", "@pat count me in", "camp", parent))
    s.keys("r")
    s.wait_for("Reply to pat")
    s.keys(ESC)
    s.wait_for("Throw this draft away?")
    s.keys("y")
    s.wait_for("Draft thrown away.")
    eq(len(model("olga", "show", parent)), 2, "nothing more was sent")
    s.leave()


@test
def a_terminal_without_colours_still_marks_the_selection():
    post("quinn", "plain terminal post", "camp")
    s = login("quinn", term="vt100")
    s.wait_for("plain terminal post")
    selected(s, "plain terminal post")
    contains(s.text(), "camp only")
    assert not re.search(rb"\x1b\[([0-9;]*;)?[34][0-9]m", s.raw), \
        "colours sent to a terminal without them"
    s.leave()


@test
def first_login_shows_note_conduct_and_tour():
    s = Screen(srv.spawn("dave", keys["dave"]))
    s.wait_for("So glad you made it")
    contains(s.text(), "Welcome to Friend Camp, dave.")
    s.keys("\r")
    s.wait_for("code of conduct")
    contains(s.text(), "Be kind")
    contains(s.text(), "You accepted it when you joined")
    s.keys("\r")
    s.wait_for("A quick tour")
    text = s.text()
    contains(text, "Who is here")
    contains(text, "camp (only people here, never leaves)  neighborhood (here + trusted camps)")
    people = model("dave", "directory")
    shown = shows_in_order(s, ["%s  %s" % (m["acct"], m["intro"] or "(no intro yet)")
                               for m in people], 4, "the tour's members")
    contains(text, "Runs movie night.")
    contains(text, "and %d more: see the Directory" % (len(people) - shown))
    s.keys("\r")
    s.wait_for("1 Home")
    s.leave()
    # Seen once: the next login goes straight to the timelines.
    s = Screen(srv.spawn("dave", keys["dave"]))
    s.wait_for("1 Home")
    assert "So glad you made it" not in s.text()
    assert "Enter next" not in s.text()
    s.leave()


@test
def notifications_page_further_back_as_the_member_scrolls():
    post_many("sam", ["@rita note %02d" % i for i in range(40)], "unlisted")
    notes = [n["post"]["content"] for n in
             model("rita", "timeline", "notifications", "--limit", "200")]
    eq(len(notes), 40)
    s = login("rita")
    contains(s.text(), "4 Notifs (40)")
    s.keys("4")
    s.wait_for("mentioned you")
    shows_in_order(s, notes, 3, "the newest notifications")
    s.keys("G")  # the last of the first page
    selected(s, notes[29])
    s.keys("G")  # and the older ones load
    selected(s, notes[39])
    s.keys("g")
    selected(s, notes[0])
    s.keys("j" * 39)  # one at a time, across the page boundary
    selected(s, notes[39])
    s.keys("k" * 10)
    selected(s, notes[29])
    s.leave()


@test
def paging_back_up_after_older_posts_were_let_go_keeps_the_place():
    # The client holds at most 90 posts and loads 30 at a time.
    post_many("tess", ["tess post %03d" % i for i in range(100)], "unlisted")
    home = [p["content"] for p in model("tess", "timeline", "home", "--limit", "100")]
    eq(len(home), 100)
    s = login("tess")
    s.wait_for(home[0])
    s.keys("GGGG")  # to the oldest: the newest ten are let go
    selected(s, home[99])
    s.keys("k" * 89)
    selected(s, home[10])  # the newest post still held
    s.keys("k")
    selected(s, home[9])  # loaded again right above, not the newest
    contains(s.text(), home[10])
    assert home[0] not in s.text(), "sent back to the newest:\n" + s.text()
    s.keys("k" * 9)
    selected(s, home[0])
    assert "\u2191" not in s.lines()[-1], "nothing is new:\n" + s.text()
    s.keys("GGGG")  # down again: the oldest, let go meanwhile, load again
    selected(s, home[99])
    s.keys("\x1b[5~" * 30)  # PgUp through every stretch let go
    selected(s, home[0])
    s.keys("j")
    selected(s, home[1])
    s.leave()


LEVELS = (("public", "anyone, shown in public timelines"),
          ("unlisted", "anyone, but not in public timelines"),
          ("followers", "your followers and people you mention"),
          ("direct", "only the people you mention"),
          ("camp", "only people on this camp; it never leaves"),
          ("neighborhood", "this camp and the camps it trusts"))


def lists_every_level(s):
    for level, why in LEVELS:
        assert re.search(r"\d %s +%s" % (level, re.escape(why)), s.text()), \
            "the picker lacks %s:\n%s" % (level, s.text())


@test
def the_default_visibility_is_set_from_ones_own_profile():
    s = login("uma")
    s.keys("P")
    s.wait_for("This is you.")
    contains(s.text(), "v who sees new posts")
    contains(s.text(), "Your new posts start as: public (anyone, shown in public")
    s.keys("?")
    s.wait_for("Keys on this screen (Profile)")
    assert re.search(r"^\s+v\s+your profile: who sees your new posts", s.text(), re.M), \
        s.text()
    s.keys(ESC)
    s.wait_for("This is you.")
    s.keys("v")
    s.wait_for("Who should see your new posts?")
    lists_every_level(s)
    contains(s.text(), "> 1 public")
    s.keys("?")
    s.wait_for("Keys on this screen (Who sees your new posts)")
    assert re.search(r"^\s+Enter\s+make it the default", s.text(), re.M), s.text()
    s.keys(ESC)
    s.wait_for("Who should see your new posts?")
    s.keys("jjjj")
    s.wait_for("> 5 camp")
    s.keys("\r")
    s.wait_for("Your new posts start as camp now.")
    contains(s.text(), "Your new posts start as: camp (only people on this camp")
    eq(model("uma", "profile")["default_visibility"], "camp")
    s.keys("n")
    s.wait_for("Who can see it: camp")
    s.keys(ESC)
    s.wait_for("Draft thrown away.")
    # Esc in the picker keeps the default as it is.
    s.keys("v")
    s.wait_for("Who should see your new posts?")
    contains(s.text(), "> 5 camp")
    s.keys("3")  # a digit chooses at once: followers
    s.wait_for("Your new posts start as followers now.")
    s.keys("v")
    s.wait_for("Who should see your new posts?")
    s.keys(ESC)
    s.wait_for("stays as it was")
    eq(model("uma", "profile")["default_visibility"], "followers")
    # Changed over ssh meanwhile, the open client follows.
    run("uma", "profile", "--visibility", "unlisted")
    s.wait_for("Your new posts start as: unlisted")
    s.keys("n")
    s.wait_for("Who can see it: unlisted")
    s.keys("walking the dog" + CTRL_S)
    s.wait_for("Sent (unlisted).")
    mine = model("uma", "timeline", "home")[0]
    eq((mine["content"], mine["visibility"]), ("walking the dog", "unlisted"))
    s.leave()


@test
def the_development_command_runs_the_same_client():
    child = pexpect.spawn(CAMP, ["ui", srv.dir, "bob"], dimensions=(24, 80),
                          env=dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8"))
    child.delaybeforesend = None
    cleanup(lambda: child.terminate(force=True))
    s = Screen(child)
    s.enter_client()
    s.wait_for("Movie night is Friday!")
    shows_posts(s, model("bob", "timeline", "home"), 2, "camp ui's Home")
    contains(s.text(), "@bob")
    s.leave()


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


if __name__ == "__main__":
    main()
