#!/usr/bin/python3
"""The level a reply starts at is the same in the client and over ssh.

One camp: ann writes one post at each of the six levels, each naming rex
and sam, so both see every one of them.  For each of the six defaults a
member may have (set with `ssh ... profile --visibility LEVEL`; rex takes
three, sam the other three, side by side), the member replies to every
post with `ssh ... post --reply-to ID` without choosing a level, and
reads the level back with `show ID --json`; and, logged in once with the
real `ssh -tt` client, presses r on each of ann's posts in her profile,
reads the level the compose box preselects ("Who can see it: LEVEL") and
throws the draft away.  All 36 pairs must agree, and must follow the
rule as it is written out here (DESIGN §3, as issue 9 settled it).
"""
import concurrent.futures
import re

from camplib import eq, keygen, main, start_camp, test

ESC = "\x1b"
LEVELS = ("public", "unlisted", "followers", "direct", "camp", "neighborhood")
SHARE = {"rex": LEVELS[:3], "sam": LEVELS[3:]}

srv, _, tmp = start_camp()
keys = {name: keygen(tmp, name) for name in ("ann", "rex", "sam")}
for name in ("ann", "rex", "sam"):
    srv.join(keys[name], name)


def run(who, *argv):
    return srv.cmd(who, keys[who], *argv, check=0).out


def expected(default, parent):
    """The rule, written independently of the camp's code."""
    if parent in ("direct", "camp"):
        return parent
    if parent == "neighborhood":
        return "camp" if default == "camp" else "neighborhood"
    if parent == "followers":
        return "direct" if default == "direct" else "followers"
    if parent == "unlisted" and default == "public":
        return "unlisted"
    return default


def exec_reply(who, parent_id, default):
    """who replies over ssh without choosing a level."""
    run(who, "post", "--reply-to", parent_id, "from ssh, default %s" % default)


def exec_levels(parent_id):
    """{(member, default): level} of the replies to a parent over ssh."""
    thread = srv.json("ann", keys["ann"], "show", parent_id)
    return {(p["author"], p["content"].rsplit(" ", 1)[1]): p["visibility"]
            for p in thread if p["in_reply_to"] == parent_id}


def client_reply_level(s, text):
    """In ann's profile: r on the post holding text; the level the compose
    box starts at.  The draft is thrown away."""
    s.wait_selected(text)
    s.keys("r")
    s.wait_for("Reply to ann")
    m = re.search(r"Who can see it: (\w+) \u00b7", s.text())
    assert m, "no level in the compose box:\n" + s.text()
    s.keys(ESC)  # the draft holds the mentions: the client asks first
    s.wait_for("Throw this draft away?")
    s.keys("y")
    s.wait_for("Draft thrown away.")
    return m.group(1)


def client_levels(who, parents):
    """{(who, default): {parent: level}} as who's client preselects them,
    for who's share of the defaults; the replies over ssh go out
    meanwhile."""
    newest_first = sorted(LEVELS, key=lambda lv: -parents[lv][0])
    found = {}
    s = srv.login(who, keys[who])
    s.keys("6")  # the directory: ann first
    s.wait_selected("@ann")
    s.keys("\r")
    s.wait_for("ann's public post")
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        for default in SHARE[who]:
            run(who, "profile", "--visibility", default)
            sent = [pool.submit(exec_reply, who, parents[lv][0], default)
                    for lv in LEVELS]
            # The open client follows the new default (own profile says it).
            s.keys("P")
            s.wait_for("Your new posts start as: %s (" % default)
            s.keys(ESC)
            s.wait_for("ann's public post")
            s.keys("g")
            for i, parent in enumerate(newest_first):
                if i:
                    s.keys("j")
                found[who, default, parent] = client_reply_level(s, parents[parent][1])
            for f in sent:
                f.result()
    s.leave()
    return found


@test
def the_client_and_the_commands_start_a_reply_at_the_same_level():
    parents = {}
    for level in LEVELS:
        text = "ann's %s post for @rex and @sam" % level
        parents[level] = (int(run("ann", "post", "--visibility", level, text).strip()),
                          text)
    in_client = {}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for found in pool.map(lambda who: client_levels(who, parents), SHARE):
            in_client.update(found)
    over_ssh = {}
    for level in LEVELS:
        for (who, default), got in exec_levels(parents[level][0]).items():
            over_ssh[who, default, level] = got
    table = [(d, p, over_ssh.get((who, d, p)), in_client[who, d, p], expected(d, p))
             for who in SHARE for d in SHARE[who] for p in LEVELS]
    eq(len(table), 36)
    wrong = [row for row in table if not row[2] == row[3] == row[4]]
    assert not wrong, "default, parent: over ssh, in the client, expected\n" + \
        "\n".join("%s, %s: %s, %s, %s" % row for row in wrong)


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


if __name__ == "__main__":
    main()
