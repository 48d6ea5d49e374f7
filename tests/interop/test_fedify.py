#!/usr/bin/python3
"""Interop with a real ActivityPub implementation nobody here wrote: a
Fedify 1.5 peer (peer.mjs) over HTTPS on loopback, with a CA made for the
test (given to Node through NODE_EXTRA_CA_CERTS, to camp as tls_ca_file).

The peer looks alice up by WebFinger, follows her and gets an Accept,
receives her public, unlisted and followers-only posts (Fedify verifies
each signature: anything it refused would show as inbox-rejected) but
never her camp-only posts nor her direct message to someone else; it
replies and mentions her and she is notified of both; after an unfollow
it receives nothing more.

Member actions go through `camp federation test-helper` (TEST HELPER
ONLY) until the ssh exec commands are on main.
"""
import json
import os
import sys
import time

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
    camp.helper("member", "alice")
    camp.helper("member", "carol")
    camp.start()
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
    no_rejections(s["peer"])


@test
def posts_reach_the_follower_by_visibility():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    ids = {}
    for vis in ("public", "unlisted", "followers", "camp"):
        ids[vis] = camp.helper("post", "alice", vis, "a %s post" % vis)
    ids["direct"] = camp.helper("post", "alice", "direct", "@carol a secret for carol")
    S["posts"] = ids
    peer.wait("Create", count=3)
    camp.drain()
    time.sleep(0.5)
    got = creates(peer)
    eq(sorted(got), sorted(["<p>a public post</p>", "<p>a unlisted post</p>",
                            "<p>a followers post</p>"]), "delivered notes")
    raws = [e["raw"] for e in peer.events("Create")]
    by_content = {r["object"]["content"]: r for r in raws}
    public = by_content["<p>a public post</p>"]["object"]
    contains(json.dumps(public["to"]), "#Public")
    unlisted = by_content["<p>a unlisted post</p>"]["object"]
    contains(json.dumps(unlisted["cc"]), "#Public")
    followers = by_content["<p>a followers post</p>"]["object"]
    eq("Public" in json.dumps(followers), False, "followers-only is not public")
    no_rejections(peer)


@test
def private_posts_are_not_fetchable_anonymously():
    s = setup()
    import ssl
    import urllib.request
    ctx = ssl.create_default_context(cafile=os.path.join(s["work"], "ca.pem"))

    def status(post_id):
        req = urllib.request.Request("%s/posts/%s" % (s["camp"].base, post_id),
                                     headers={"Accept": "application/activity+json"})
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
    ids = S["posts"]
    eq(status(ids["public"]), 200, "public")
    eq(status(ids["unlisted"]), 200, "unlisted")
    eq(status(ids["followers"]), 404, "followers-only without a signature")
    eq(status(ids["camp"]), 404, "camp-only")
    eq(status(ids["direct"]), 404, "direct")
    # The follower may fetch the followers-only post with a signed GET.
    r = s["peer"].call("lookup", {"target": "%s/posts/%s" % (s["camp"].base,
                                                              ids["followers"]),
                                  "signed": True})
    eq(r["type"], "Note", "signed fetch by a follower")


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
    end = time.time() + 15
    while time.time() < end:
        notes = [json.loads(l) for l in camp.helper("notifications", "alice").splitlines()]
        found = {n["kind"]: n for n in notes if n["from"] == peer.acct}
        if all(k in found and v in found[k]["content"] for k, v in want.items()):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("alice's notifications: %s\nlog:\n%s" % (
            notes, camp.log_text()[-3000:]))
    eq(found["reply"]["in_reply_to"], int(S["posts"]["public"]), "reply's parent")


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
    wait_notifications(camp, peer, {"favourite", "boost"})
    # The peer deletes its reply: the reply (and its notification) goes.
    peer.call("send", {"activity": {"type": "Delete",
                                    "object": S["peer_notes"]["nice post"]},
                       "to": [alice]})
    end = time.time() + 10
    while time.time() < end:
        kinds = {n["kind"] for n in notifications(camp) if n["from"] == peer.acct}
        if "reply" not in kinds:
            break
        time.sleep(0.2)
    eq("reply" in kinds, False, "the deleted reply's notification")


@test
def alice_follows_bob_and_sees_his_posts():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    eq(camp.helper("follow", "alice", peer.acct), "pending", "state after Follow")
    peer.wait("Follow")
    end = time.time() + 10
    while camp.helper("following", "alice", peer.acct) != "accepted":
        if time.time() > end:
            raise AssertionError("no Accept taken in:\n" + camp.log_text()[-3000:])
        time.sleep(0.2)
    peer.call("note", {"content": "hello followers of bob"})
    end = time.time() + 10
    while "hello followers of bob" not in camp.helper("home", "alice"):
        if time.time() > end:
            raise AssertionError("not in alice's home:\n" + camp.log_text()[-3000:])
        time.sleep(0.2)
    camp.helper("unfollow", "alice", peer.acct)
    ev = peer.wait("Undo")
    contains(json.dumps(ev[0]["raw"]), "Follow")
    no_rejections(peer)


def notifications(camp):
    return [json.loads(l) for l in camp.helper("notifications", "alice").splitlines()]


def wait_notifications(camp, peer, kinds, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        got = {n["kind"] for n in notifications(camp) if n["from"] == peer.acct}
        if kinds <= got:
            return
        time.sleep(0.2)
    raise AssertionError("wanted %s, alice has %s\n%s" % (kinds, got,
                                                         camp.log_text()[-3000:]))


@test
def nothing_after_unfollow():
    s = setup()
    camp, peer = s["camp"], s["peer"]
    peer.call("unfollow", {"target": "@alice@" + camp.domain})
    before = len(creates(peer))
    end = time.time() + 10
    # Wait until the camp has taken the Undo in (the follower count drops).
    while time.time() < end:
        if '"totalItems":0' in camp_get(s, "/users/alice/followers"):
            break
        time.sleep(0.2)
    camp.helper("post", "alice", "public", "after the unfollow")
    camp.drain()
    time.sleep(1)
    eq(len(creates(peer)), before, "Creates after the unfollow")
    no_rejections(peer)


@test
def federation_child_stops_cleanly():
    setup()["camp"].stop_and_check()


def camp_get(s, path):
    import ssl
    import urllib.request
    ctx = ssl.create_default_context(cafile=os.path.join(s["work"], "ca.pem"))
    req = urllib.request.Request(s["camp"].base + path,
                                 headers={"Accept": "application/activity+json"})
    with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
        return r.read().decode()


if __name__ == "__main__":
    camplib.main()
