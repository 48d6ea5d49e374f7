#!/usr/bin/python3
"""The HTTP side as `camp serve` runs it: WebFinger answers members and
survives hostile queries without the federation process dying; hostile
servers (mocks on loopback, fedmock.py) cannot make the camp believe a
document that did not come from the origin it speaks for."""
import json
import time
import urllib.error
import urllib.parse
import urllib.request

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
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
