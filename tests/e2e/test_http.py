#!/usr/bin/python3
"""The HTTP side as `camp serve` runs it: WebFinger answers members and
survives hostile queries without the federation process dying; hostile
servers (mocks on loopback, fedmock.py) cannot make the camp believe a
document that did not come from the origin it speaks for."""
import concurrent.futures
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import camplib
import fedmock
from camplib import conf_value, contains, eq, keygen, main, start_camp, test

CAMP_NAME = "<script>alert('camp')</script> & friends"
srv, admin_code, tmp = start_camp(camp_name=CAMP_NAME)
alice = keygen(tmp, "alice")
srv.join(alice, "alice", admin_code)
http = "http://" + conf_value(srv.dir, "http_listen")
domain = conf_value(srv.dir, "domain")


def get(path, **query):
    url = http + path + ("?" + urllib.parse.urlencode(query) if query else "")
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_http():
    deadline = time.time() + 20
    while True:
        try:
            return get("/.well-known/nodeinfo")
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


@test
def webfinger_finds_members_and_shrugs_off_odd_resources():
    wait_http()
    status, body = get("/.well-known/webfinger", resource="acct:alice@" + domain)
    eq(status, 200)
    eq(json.loads(body)["subject"], "acct:alice@" + domain)
    for odd in ("acct:@" + domain, "acct:@", "acct:", "acct:@@" + domain,
                "acct:alice@elsewhere.example", "acct:nobody@" + domain,
                "x" * 5000):
        status, _ = get("/.well-known/webfinger", resource=odd)
        assert status in (400, 404), "%r gave %d" % (odd, status)
    status, _ = get("/.well-known/webfinger", resource="acct:alice@" + domain)
    eq(status, 200, "still answering")
    assert "federation exited" not in srv.logs(), srv.logs()[-2000:]


@test
def the_home_page_escapes_the_camps_name():
    wait_http()
    req = urllib.request.Request(http + "/", headers={"Accept": "text/html"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read().decode()
        csp = r.headers.get("Content-Security-Policy", "")
    assert "<script>" not in body, body
    contains(body, "&lt;script&gt;alert(&#39;camp&#39;)&lt;/script&gt; &amp; friends")
    contains(csp, "default-src 'none'", "the page's Content-Security-Policy")


def followers(name):
    status, body = get("/users/%s/followers" % name)
    eq(status, 200, "followers of " + name)
    return json.loads(body)["totalItems"]


@test
def an_actor_is_never_taken_from_a_redirect_to_another_origin():
    """A server with an open redirect sends the camp's fetch of its admin
    to a stranger, whose document claims to be that admin (same origin as
    the URL asked for, so only the redirect betrays it)."""
    wait_http()
    victim, stranger, key = fedmock.Mock(), fedmock.Mock(), fedmock.Key()
    admin = victim.origin + "/users/admin"
    victim.redirect("/users/admin", stranger.origin + "/fake-admin")
    stranger.serve("/fake-admin", fedmock.actor_doc(admin, key, name="admin"))
    before = followers("alice")
    eq(fedmock.follow(http, "alice", admin, key), 401, "a Follow as the victim's admin")
    eq(stranger.gets("/fake-admin"), 0, "the camp followed the redirect away")
    eq(followers("alice"), before, "alice's followers")
    # A redirect within one server is still followed.
    honest = fedmock.Mock()
    carol = honest.origin + "/users/carol"
    honest.redirect("/users/carol", "/actors/carol")
    honest.serve("/actors/carol", fedmock.actor_doc(carol, key, name="carol"))
    eq(fedmock.follow(http, "alice", carol, key), 202, "a Follow from carol")
    eq(followers("alice"), before + 1, "alice's followers")


@test
def nobody_can_squat_another_actors_key_id():
    """eve's actor document declares val's key id as its own.  Once the
    camp has fetched eve, val's own signed Follow must still get in."""
    wait_http()
    victim, evil = fedmock.Mock(), fedmock.Mock()
    vkey, ekey = fedmock.Key(), fedmock.Key()
    val, eve = victim.origin + "/users/val", evil.origin + "/users/eve"
    victim.serve("/users/val", fedmock.actor_doc(val, vkey, name="val"))
    evil.serve("/users/eve", fedmock.actor_doc(eve, ekey, key_id=val + "#main-key",
                                               name="eve"))
    before = followers("alice")
    eq(fedmock.follow(http, "alice", eve, ekey, key_id=eve + "#main-key"), 401,
       "eve's Follow, naming a key eve's actor does not list")
    eq(evil.gets("/users/eve"), 1, "the camp fetched eve")
    eq(fedmock.follow(http, "alice", val, vkey), 202, "val's Follow with her own key")
    eq(followers("alice"), before + 1, "alice's followers")


@test
def the_key_that_signed_is_the_one_taken_from_the_actor():
    """An actor with two keys signs with the second: the camp takes the
    key the signature names, not merely the first it sees."""
    wait_http()
    server, old, new = fedmock.Mock(), fedmock.Key(), fedmock.Key()
    dan = server.origin + "/users/dan"
    doc = fedmock.actor_doc(dan, new, name="dan")
    doc["publicKey"] = [{"id": dan + "#old-key", "owner": dan, "publicKeyPem": old.pem},
                        doc["publicKey"]]
    server.serve("/users/dan", doc)
    before = followers("alice")
    eq(fedmock.follow(http, "alice", dan, new), 202, "dan's Follow with his second key")
    eq(followers("alice"), before + 1, "alice's followers")


@test
def a_key_of_the_camp_itself_is_never_fetched():
    """A POST whose keyId is alice's own key URL: the camp must not fetch
    from itself (a thread waiting on another), nor take its own member
    for a remote actor."""
    wait_http()
    key = fedmock.Key()
    alice = http + "/users/alice"
    status, _ = fedmock.signed_request(
        http, "POST", "/inbox", key, alice + "#main-key",
        {"@context": fedmock.AS, "id": alice + "#follows/x", "type": "Follow",
         "actor": alice, "object": alice})
    eq(status, 401, "a POST signed with the camp's own key id")
    db = sqlite3.connect("file:%s/camp.db?mode=ro" % srv.dir, uri=True)
    try:
        rows = db.execute("SELECT count(*) FROM accounts WHERE uri = ?",
                          (alice,)).fetchone()[0]
    finally:
        db.close()
    eq(rows, 0, "remote accounts made of the camp's own alice")
    contains(srv.logs(), "is this camp's own")


@test
def a_flood_of_unknown_keys_on_one_server_holds_few_threads():
    """Many signed POSTs at once, each naming another key on one slow
    server: the camp fetches at most FETCH_PER_ORIGIN (8) of them at a
    time and answers the rest 503 at once; its own pages stay quick."""
    wait_http()
    slow, release = fedmock.Mock(), threading.Event()
    camplib.cleanup(release.set)
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def stall(handler):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        release.wait(8)
        with lock:
            state["now"] -= 1
        return (404, {}, b"")
    for n in range(20):
        slow.serve("/users/s%d" % n, stall)
    key = fedmock.Key()

    def post(n):
        start = time.time()
        actor = "%s/users/s%d" % (slow.origin, n)
        status = fedmock.follow(http, "alice", actor, key, timeout=30)
        return status, time.time() - start
    pool = concurrent.futures.ThreadPoolExecutor(20)
    futures = [pool.submit(post, n) for n in range(20)]
    deadline = time.time() + 10
    while sum(f.done() for f in futures) < 12 and time.time() < deadline:
        time.sleep(0.05)
    early = [f.result() for f in futures if f.done()]
    while state["most"] < 8 and time.time() < deadline + 5:
        time.sleep(0.05)  # the last fetches may still be connecting
    t0 = time.time()
    status, _ = get("/users/alice")
    took = time.time() - t0
    with lock:
        most = state["most"]
    release.set()
    late = [f.result() for f in futures]
    pool.shutdown()
    assert most <= 8, "%d fetches of one server at once" % most
    eq(most, 8, "fetches at once (all the room there is)")
    busy = [s for s, _ in late if s == 503]
    eq(len(busy), 12, "POSTs answered 503: %s" % sorted(s for s, _ in late))
    assert len(early) >= 12 and all(s == 503 and t < 5 for s, t in early), early
    eq(status, 200, "alice's actor during the flood")
    assert took < 3, "alice's actor took %.1fs during the flood" % took
    eq(sorted(s for s, _ in late if s != 503), [401] * 8, "the POSTs that waited")


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
