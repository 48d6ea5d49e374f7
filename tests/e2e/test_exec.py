#!/usr/bin/python3
"""The camp's model through the commands members run over ssh: posts at
every visibility level seen (or not) by each member exactly as DESIGN §3
says, DMs, blocks, replies, boosts, edits, deletes, profiles, paging, and
text that must arrive byte for byte."""
from camplib import contains, eq, keygen, main, start_camp, test

srv, admin_code, tmp = start_camp(max_post_chars="500")
keys = {name: keygen(tmp, name) for name in ("alice", "bob", "carol", "dave")}
srv.join(keys["alice"], "alice", admin_code)
for name in ("bob", "carol", "dave"):
    srv.join(keys[name], name)


def run(who, *argv, check=0, input=b""):
    return srv.cmd(who, keys[who], *argv, check=check, input=input)


def post(who, text, *flags):
    return int(run(who, "post", *flags, text).out.strip())


def ids(who, *argv):
    return [p["id"] for p in srv.json(who, keys[who], "timeline", *argv)]


def sees(who, post_id):
    p = run(who, "show", post_id, check=None)
    if p.returncode == 0:
        return True
    eq((p.returncode, p.err), (1, "no such post\n"), "show by %s" % who)
    return False


run("bob", "follow", "alice")


@test
def each_visibility_level_reaches_exactly_its_audience():
    levels = {}
    for vis in ("public", "unlisted", "followers", "camp", "neighborhood"):
        levels[vis] = post("alice", "a %s post" % vis, "--visibility", vis)
    levels["direct"] = post("alice", "@carol a direct post", "--visibility", "direct")
    want = {  # who sees it: bob follows alice, carol is mentioned by the DM
        "public": {"bob", "carol", "dave"},
        "unlisted": {"bob", "carol", "dave"},
        "followers": {"bob"},
        "camp": {"bob", "carol", "dave"},
        "neighborhood": {"bob", "carol", "dave"},
        "direct": {"carol"},
    }
    for vis, pid in levels.items():
        for who in ("bob", "carol", "dave"):
            eq(sees(who, pid), who in want[vis], "%s sees the %s post" % (who, vis))
        assert sees("alice", pid)
    home = ids("bob", "home")
    camp = ids("dave", "camp")
    fed = ids("dave", "federated")
    for vis, pid in levels.items():
        eq(pid in home, vis not in ("direct",), "bob's home has the %s post" % vis)
        eq(pid in camp, vis in ("public", "camp", "neighborhood"), "camp: " + vis)
        eq(pid in fed, vis == "public", "federated: " + vis)
    eq(levels["followers"] in ids("carol", "home"), False)
    got = srv.json("bob", keys["bob"], "show", levels["camp"])[0]
    for field in ("id", "author", "content", "cw", "visibility", "created_at",
                  "in_reply_to", "url"):
        assert field in got, field
    eq((got["author"], got["content"], got["visibility"]),
       ("alice", "a camp post", "camp"))


@test
def a_dm_reaches_only_its_recipient():
    p = run("dave", "dm", "carol", "meet at the lake?")
    pid = int(p.out.strip())
    convs = srv.json("carol", keys["carol"], "timeline", "dms")
    eq(convs[0]["id"], pid)
    eq(convs[0]["conversation_with"], ["dave"])
    eq(convs[0]["content"], "@carol meet at the lake?")
    assert pid not in [c["id"] for c in srv.json("bob", keys["bob"], "timeline", "dms")]
    assert not sees("bob", pid)
    notes = srv.json("carol", keys["carol"], "timeline", "notifications")
    assert any(n["type"] == "mention" and n["post"]["id"] == pid for n in notes)
    reply = int(run("carol", "post", "--reply-to", pid, "yes!").out)
    got = srv.json("dave", keys["dave"], "show", reply)
    eq(got[-1]["visibility"], "direct", "a reply to a DM stays direct")
    assert not sees("bob", reply)


@test
def a_block_hides_both_ways():
    from_alice = post("alice", "alice speaks", "--visibility", "camp")
    from_carol = post("carol", "carol speaks", "--visibility", "camp")
    run("carol", "block", "alice")
    assert not sees("carol", from_alice)
    assert not sees("alice", from_carol)
    assert from_alice not in ids("carol", "camp")
    assert from_carol not in ids("alice", "camp")
    p = run("alice", "follow", "carol", check=1)
    contains(p.err, "cannot follow")
    run("carol", "unblock", "alice")
    assert sees("carol", from_alice)


@test
def mutes_hide_from_timelines_only():
    pid = post("dave", "dave's thoughts", "--visibility", "camp")
    run("bob", "mute", "dave")
    assert pid not in ids("bob", "camp")
    assert sees("bob", pid)
    run("bob", "unmute", "dave")
    assert pid in ids("bob", "camp")


@test
def replies_to_camp_posts_stay_in_the_camp():
    parent = post("alice", "camp-only plans", "--visibility", "camp")
    reply = post("bob", "count me in", "--reply-to", parent)
    eq(srv.json("bob", keys["bob"], "show", reply)[-1]["visibility"], "camp")
    p = run("bob", "post", "--reply-to", parent, "--visibility", "public", "loud")
    contains(p.err, "warning")
    thread = srv.json("carol", keys["carol"], "show", parent)
    eq([t["id"] for t in thread][:2], [parent, reply])
    eq(thread[0].get("focus"), True)


@test
def boosts_favourites_edits_and_deletes():
    pub = post("alice", "boost me")
    fol = post("alice", "followers only", "--visibility", "followers")
    run("bob", "boost", pub)
    p = run("bob", "boost", fol, check=1)
    contains(p.err, "only public and unlisted posts can be boosted")
    run("bob", "fav", pub)
    run("carol", "follow", "bob")
    home = srv.json("carol", keys["carol"], "timeline", "home")
    boost = [x for x in home if x["boost_of"] and x["boost_of"]["id"] == pub]
    eq(len(boost), 1, "carol sees bob's boost")
    eq(boost[0]["author"], "bob")
    got = srv.json("alice", keys["alice"], "show", pub)[0]
    eq((got["boosts"], got["favourites"]), (1, 1))
    run("alice", "edit", pub, "boost me, please")
    got = srv.json("carol", keys["carol"], "show", pub)[0]
    eq(got["content"], "boost me, please")
    assert got["edited_at"]
    p = run("bob", "edit", pub, "mine now", check=1)
    contains(p.err, "your own")
    run("alice", "delete", pub)
    assert not sees("bob", pub)
    assert pub not in [x["boost_of"]["id"] for x in
                       srv.json("carol", keys["carol"], "timeline", "home") if x["boost_of"]]
    run("carol", "unfollow", "bob")


@test
def text_arrives_byte_for_byte_and_bad_text_is_refused():
    text = "Caf\u00e9 \u65e5\u672c\u8a9e e\u0301 \U0001F3D5\uFE0F \U0001F469\u200D\U0001F467 tab\there"
    pid = int(run("alice", "post", input=(text + "\n").encode()).out)
    got = srv.json("alice", keys["alice"], "show", pid)[0]
    eq(got["content"], text)
    eq(got["content"].encode("utf-8"), text.encode("utf-8"))
    p = run("alice", "post", input=b"broken \xc3\x28 bytes", check=1)
    contains(p.err, "not valid UTF-8")
    p = run("alice", "post", "x" * 501, check=1)
    contains(p.err, "the limit is 500")
    p = run("alice", "post", "--visibility", "everyone", "hi", check=2)
    contains(p.err, "usage")


@test
def control_characters_are_shown_not_obeyed():
    pid = post("alice", "look \x1b[2J\x1b]52;c;aGk=\x07 here")
    out = run("bob", "show", pid).out
    contains(out, "look ^[[2J^[]52;c;aGk=^G here")
    assert "\x1b" not in out and "\x07" not in out
    eq(srv.json("bob", keys["bob"], "show", pid)[0]["content"],
       "look \x1b[2J\x1b]52;c;aGk=\x07 here")


@test
def timelines_page_with_max_id():
    posted = [post("dave", "page %d" % i, "--visibility", "camp") for i in range(7)]
    first = ids("dave", "camp", "--limit", "3")
    eq(first, posted[::-1][:3])
    second = ids("dave", "camp", "--limit", "3", "--max-id", first[-1])
    eq(second, posted[::-1][3:6])


@test
def profiles_and_the_directory():
    run("carol", "profile", "--name", "Carol C.", "--intro", "New in town; say hi.")
    prof = srv.json("bob", keys["bob"], "profile", "carol")
    eq((prof["display_name"], prof["intro"]), ("Carol C.", "New in town; say hi."))
    eq(prof["member"], True)
    d = srv.json("alice", keys["alice"], "directory")
    eq([m["acct"] for m in d], ["alice", "bob", "carol", "dave"])
    bob = [m for m in d if m["acct"] == "bob"][0]
    eq(bob["follows_you"], True)
    contains(run("bob", "directory").out, "New in town; say hi.")


@test
def locked_members_approve_followers():
    run("dave", "profile", "--locked", "yes")
    secret = post("dave", "for my followers", "--visibility", "followers")
    p = run("alice", "follow", "dave")
    contains(p.out, "pending")
    assert not sees("alice", secret)
    contains(run("dave", "requests").out, "alice")
    run("dave", "requests", "accept", "alice")
    assert sees("alice", secret)
    assert secret in ids("alice", "home")


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
