#!/usr/bin/python3
"""Interop with a real ActivityPub implementation nobody here wrote: a
Fedify 1.5 peer (peer.mjs) over HTTPS on loopback, with a CA made for the
test (given to Node through NODE_EXTRA_CA_CERTS, to camp as tls_ca_file).

The camp runs as `camp serve`, and its members, alice and carol, join and
act through the real OpenSSH client, as members do.  The peer (bob) looks
alice up by WebFinger, follows her and gets an Accept, receives her
public, unlisted and followers-only posts and a DM to him (Fedify verifies
each signature: anything it refused would show as inbox-rejected) but
never her camp-only posts nor her DM to carol, and hears of her new name;
it replies and mentions her, likes and boosts her post, and she sees all
of it in her notifications and threads.  alice follows bob (resolving him
over HTTPS from her ssh session), sees his posts at home, likes, unlikes
and likes again (two Likes Fedify does not take for one), and unfollows;
after bob unfollows, he receives nothing more.
"""
import json
import os
import ssl
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402
from peerlib import camplib  # noqa: E402
from camplib import test, eq, contains  # noqa: E402

S = {}


def setup():
    if S:
        return S
    peerlib.node_ready()
    work = camplib.tmpdir()
    certs = peerlib.make_certs(work)
    camp = peerlib.Camp(certs)
    camp.start()
    camp.join("alice")
    camp.join("carol")
    peer = peerlib.Peer("bob", certs, work)
    S.update(camp=camp, peer=peer, work=work)
    return S


def creates(peer):
    """Contents of the Create activities the peer received, in order."""
    return [e.get("content") or "" for e in peer.events("Create")
            if e.get("kind") == "inbox"]


def no_rejections(peer):
    bad = [e for e in peer.events() if e.get("kind") in ("inbox-rejected",
                                                         "inbox-listener-error")]
    eq(bad, [], "the peer refused something camp sent")


def last_seq(peer):
    ev = peer.events()
    return ev[-1]["seq"] if ev else 0


def request(s, path, accept="application/activity+json"):
    """(status, body) of an unsigned GET from the camp, with the test CA."""
    ctx = ssl.create_default_context(cafile=os.path.join(s["work"], "ca.pem"))
    req = urllib.request.Request(s["camp"].base + path, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def total_items(s, path):
    status, body = request(s, path)
    eq(status, 200, path)
    return json.loads(body).get("totalItems")


def wait_until(what, fn, timeout=15, log=None):
    """Polls fn() until it returns something true; returns that."""
    end = time.time() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.time() > end:
            raise AssertionError("%s never happened%s" % (
                what, "\n" + log()[-3000:] if log else ""))
        time.sleep(0.2)


def notifications(camp):
    return camp.json("alice", "timeline", "notifications")


def from_peer(camp, peer):
    """alice's notifications from the peer, by type."""
    return {n["type"]: n for n in notifications(camp) if n["from"] == peer.acct}


@test
def webfinger_lookup_finds_alice():
    s = setup()
    r = s["peer"].call("lookup", {"target": "@alice@" + s["camp"].domain})
    eq(r["type"], "Person", "type")
    eq(r["id"], s["camp"].base + "/users/alice", "actor id")
    eq(r["sharedInbox"], s["camp"].base + "/inbox", "shared inbox")
    eq(len(r["publicKeyIds"]), 1, "one key")


@test
def follow_is_accepted():
    s = setup()
    s["peer"].call("follow", {"target": "@alice@" + s["camp"].domain})
    ev = s["peer"].wait("Accept")
    contains(json.dumps(ev[0]["raw"]), s["camp"].base + "/users/alice")
    following = s["peer"].call("following")
    eq([f["state"] for f in following], ["accepted"], "peer's follow state")
    eq(total_items(s, "/users/alice/followers"), 1, "alice's followers")
    eq(s["camp"].json("alice", "profile")["followers"], 1, "alice's own count")
    no_rejections(s["peer"])


@test
def posts_reach_the_follower_by_visibility():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    ids = {vis: camp.post("alice", "a %s post" % vis, vis)
           for vis in ("public", "unlisted", "followers", "camp")}
    camp.cmd("alice", "dm", "carol", "a secret for carol")
    camp.cmd("alice", "dm", peer.acct, "a word for bob")
    dms = {tuple(c["conversation_with"]): c["id"]
           for c in camp.json("alice", "timeline", "dms")}
    ids["direct"], ids["direct to carol"] = dms[(peer.acct,)], dms[("carol",)]
    S["posts"] = ids
    peer.wait("Create", count=4)
    camp.drain()
    time.sleep(0.5)
    got = creates(peer)
    dm = [c for c in got if "a word for bob" in c]
    eq(len(dm), 1, "the DM to bob")
    eq(sorted(c for c in got if c not in dm),
       sorted(["<p>a public post</p>", "<p>a unlisted post</p>",
               "<p>a followers post</p>"]), "delivered notes")
    raws = [e["raw"] for e in peer.events("Create")]
    by_content = {r["object"]["content"]: r for r in raws}
    public = by_content["<p>a public post</p>"]["object"]
    contains(json.dumps(public["to"]), "#Public")
    unlisted = by_content["<p>a unlisted post</p>"]["object"]
    contains(json.dumps(unlisted["cc"]), "#Public")
    followers = by_content["<p>a followers post</p>"]["object"]
    eq("Public" in json.dumps(followers), False, "followers-only is not public")
    eq(by_content[dm[0]]["object"]["to"], [peer.actor], "the DM is to bob alone")
    no_rejections(peer)


@test
def counts_leave_out_what_is_not_public():
    s = setup()
    eq(total_items(s, "/users/alice/outbox"), 2, "public and unlisted posts")
    status, body = request(s, "/nodeinfo/2.1", accept="application/json")
    eq(status, 200, "nodeinfo")
    usage = json.loads(body)["usage"]
    eq((usage["users"]["total"], usage["localPosts"]), (2, 2), "nodeinfo usage")


@test
def private_posts_are_fetched_only_by_their_audience():
    s = setup()
    ids = S["posts"]

    def status(post_id):
        return request(s, "/posts/%s" % post_id)[0]
    eq(status(ids["public"]), 200, "public")
    eq(status(ids["unlisted"]), 200, "unlisted")
    eq(status(ids["followers"]), 404, "followers-only without a signature")
    eq(status(ids["camp"]), 404, "camp-only")
    eq(status(ids["direct"]), 404, "direct")
    eq(status(ids["direct to carol"]), 404, "direct to carol")

    def signed(post_id):
        r = s["peer"].call("lookup", {"target": "%s/posts/%s" % (s["camp"].base, post_id),
                                      "signed": True}, ok=(200, 500))
        return r.get("type") or r.get("error")
    # bob follows alice and the DM names him: a signed GET from him works.
    eq(signed(ids["followers"]), "Note", "followers-only, signed by a follower")
    eq(signed(ids["direct"]), "Note", "a DM to bob, signed by bob")
    # Not a DM to someone else, and never a camp-only post.
    eq(signed(ids["direct to carol"]) == "Note", False, "a DM to carol, signed by bob")
    eq(signed(ids["camp"]) == "Note", False, "camp-only, signed by a follower")


def post_big(s, path, size, chunked):
    """Status of a POST of size bytes: with Content-Length and Expect:
    100-continue (as curl sends a big body: the camp may refuse it before
    it is sent), or chunked, with no length known in advance."""
    import http.client
    ctx = ssl.create_default_context(cafile=os.path.join(s["work"], "ca.pem"))
    conn = http.client.HTTPSConnection("127.0.0.1", s["camp"].port, context=ctx,
                                       timeout=20)
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", "application/activity+json")
    if chunked:
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        piece = b"x" * 65536
        for _ in range(size // len(piece) + 1):
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
    else:
        conn.putheader("Content-Length", str(size))
        conn.putheader("Expect", "100-continue")
        conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


@test
def bodies_over_one_megabyte_get_413():
    s = setup()
    for path in ("/inbox", "/users/alice/inbox"):
        eq(post_big(s, path, 1024 * 1024 + 1, False), 413, path + ", with a length")
        eq(post_big(s, path, 1024 * 1024 + 1, True), 413, path + ", chunked")


@test
def reply_and_mention_reach_alice():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    alice = "@alice@" + camp.domain
    r = peer.call("note", {"content": "nice post", "mention": [alice],
                           "inReplyTo": "%s/posts/%s" % (camp.base,
                                                          S["posts"]["public"])})
    S.setdefault("peer_notes", {})["nice post"] = r["note"]
    peer.call("note", {"content": "just saying hi", "mention": [alice],
                       "toFollowers": False, "visibility": "direct"})
    want = {"reply": "nice post", "mention": "just saying hi"}

    def arrived():
        found = from_peer(camp, peer)
        return found if all(k in found and v in found[k]["post"]["content"]
                            for k, v in want.items()) else None
    found = wait_until("the reply and the mention in alice's notifications",
                       arrived, log=camp.log_text)
    eq(found["reply"]["post"]["in_reply_to"], S["posts"]["public"], "reply's parent")
    # The reply is in the thread of alice's post, under it.
    thread = camp.json("alice", "show", S["posts"]["public"])
    eq([(p["author"], p.get("depth")) for p in thread if "nice post" in p["content"]],
       [(peer.acct, 1)], "the reply in alice's thread")


@test
def likes_boosts_and_deletes_reach_alice():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    alice = "@alice@" + camp.domain
    post = "%s/posts/%s" % (camp.base, S["posts"]["public"])
    peer.call("send", {"activity": {"type": "Like", "object": post}, "to": [alice]})
    peer.call("send", {"activity": {"type": "Announce", "object": post,
                                    "to": "https://www.w3.org/ns/activitystreams#Public"},
                       "to": [alice]})
    wait_until("a favourite and a boost from the peer",
               lambda: {"favourite", "boost"} <= set(from_peer(camp, peer)),
               log=camp.log_text)
    shown = camp.json("alice", "show", S["posts"]["public"])
    focus = [p for p in shown if p.get("focus")][0]
    eq((focus["favourites"], focus["boosts"]), (1, 1), "counts on alice's post")
    # The peer deletes its reply: the reply (and its notification) goes.
    peer.call("send", {"activity": {"type": "Delete",
                                    "object": S["peer_notes"]["nice post"]},
                       "to": [alice]})
    wait_until("the deleted reply's notification gone",
               lambda: "reply" not in from_peer(camp, peer), log=camp.log_text)


@test
def a_new_name_reaches_the_follower():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    since = last_seq(peer)
    camp.cmd("alice", "profile", "--name", "Alice of the Camp")
    ev = peer.wait("Update", since=since)
    person = ev[0]["raw"]["object"]
    eq((person["type"], person["name"]), ("Person", "Alice of the Camp"), "Update")
    eq(json.loads(request(s, "/users/alice")[1])["name"], "Alice of the Camp",
       "alice's actor")
    no_rejections(peer)


@test
def alice_follows_bob_and_sees_his_posts():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    # From her ssh session: WebFinger and the actor over HTTPS, trusting
    # the test CA through tls_ca_file.
    out = camp.cmd("alice", "follow", peer.acct).out
    contains(out, "asked to follow", "follow's answer")
    peer.wait("Follow")
    wait_until("the peer's Accept taken in",
               lambda: camp.json("alice", "profile", peer.acct)["you_follow"] == "yes",
               log=camp.log_text)
    eq(total_items(s, "/users/alice/following"), 1, "alice's following")
    peer.call("note", {"content": "hello followers of bob"})

    def in_home():
        return [p for p in camp.json("alice", "timeline", "home")
                if "hello followers of bob" in p["content"]]
    mine = wait_until("bob's note in alice's home", in_home, log=camp.log_text)
    eq(mine[0]["author"], peer.acct, "author")
    S["bobs_note"] = mine[0]["id"]


@test
def like_unlike_like_reaches_the_peer_as_two_likes():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    since = last_seq(peer)
    note = S["bobs_note"]
    camp.cmd("alice", "fav", note)
    peer.wait("Like", since=since)
    camp.cmd("alice", "unfav", note)
    peer.wait("Undo", since=since)
    camp.cmd("alice", "fav", note)
    likes = peer.wait("Like", count=2, since=since)
    undo = peer.wait("Undo", since=since)[0]
    ids = [e["id"] for e in likes]
    eq(len(set(ids)), 2, "two Likes with ids of their own: %s" % ids)
    eq(undo["raw"]["object"]["id"], ids[0], "the Undo names the first Like")
    eq(undo["innerType"], "Like", "what the peer undid")
    no_rejections(peer)


@test
def alice_unfollows_bob():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    since = last_seq(peer)
    contains(camp.cmd("alice", "unfollow", peer.acct).out, "no longer following")
    ev = peer.wait("Undo", since=since)
    eq(ev[0]["innerType"], "Follow", "what the peer undid")
    eq(peer.call("followers"), [], "the peer's followers")
    no_rejections(peer)


@test
def nothing_after_unfollow():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    peer.call("unfollow", {"target": "@alice@" + camp.domain})
    before = len(creates(peer))
    # Wait until the camp has taken the Undo in (the follower count drops).
    wait_until("the camp took the Undo in",
               lambda: total_items(s, "/users/alice/followers") == 0,
               log=camp.log_text)
    camp.post("alice", "after the unfollow")
    camp.drain()
    time.sleep(1)
    eq(len(creates(peer)), before, "Creates after the unfollow")
    no_rejections(peer)


@test
def the_camp_stops_cleanly():
    setup()["camp"].stop_and_check()


if __name__ == "__main__":
    camplib.main()
