#!/usr/bin/python3
"""An inbound POST that waits on another server holds up nobody else.

A mock server sends the camp a signed Follow whose key the camp does not
know, and answers the camp's fetch of that key slowly.  While the camp
waits, the mock fetches alice's actor from the camp (as a peer checking
our key while we check theirs would) and so does the test: both must be
answered at once, not after the POST is done.  With one HTTP loop for
everything, the two servers would wait on each other until a timeout.

Plain HTTP on loopback: allow_private_addresses = yes.  alice joins
through the real ssh client.
"""
import http.server
import json
import os
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402
from peerlib import camplib  # noqa: E402
from camplib import test, eq  # noqa: E402

STALL = 5.0  # seconds the mock takes to answer the key fetch
state = {"key_fetch_started": threading.Event(), "mock_fetched": threading.Event(),
         "release": threading.Event()}


def get(url, timeout):
    """(status, seconds) of a GET for ActivityStreams JSON."""
    start = time.time()
    req = urllib.request.Request(url, headers={"Accept": "application/activity+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = "no answer: %s" % e
    return status, time.time() - start


class Slow(http.server.BaseHTTPRequestHandler):
    """The key server: answers a fetch of its actor (and key) slowly,
    after fetching alice from the camp itself."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        state["key_fetch_started"].set()
        state["mock_saw"] = get(state["alice"], timeout=STALL - 1)
        state["mock_fetched"].set()
        state["release"].wait(STALL)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def post_follow(camp_base, mock_base):
    """POSTs a Follow signed (in form) by a key only the mock knows; the
    camp must fetch the key before it can answer."""
    body = json.dumps({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": mock_base + "/follows/1", "type": "Follow",
        "actor": mock_base + "/users/slow", "object": camp_base + "/users/alice",
    }).encode()
    sig = ('keyId="%s/users/slow#main-key",algorithm="rsa-sha256",'
           'headers="(request-target) host date digest",signature="c2lnbmF0dXJl"'
           % mock_base)
    req = urllib.request.Request(camp_base + "/inbox", data=body, method="POST", headers={
        "Content-Type": "application/activity+json", "Signature": sig,
        "Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()),
        "Digest": "SHA-256=irrelevant"})
    start = time.time()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = "no answer: %s" % e
    state["post"] = (status, time.time() - start)


@test
def actor_get_is_answered_while_an_inbox_post_waits_for_a_key():
    mock = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=mock.serve_forever, daemon=True).start()
    camplib.cleanup(mock.shutdown)
    camplib.cleanup(state["release"].set)
    mock_base = "http://127.0.0.1:%d" % mock.server_address[1]
    srv, code, tmp = camplib.start_camp()
    srv.join(camplib.keygen(tmp, "alice"), "alice", code)
    camp_base = "http://" + camplib.conf_value(srv.dir, "domain")
    state["alice"] = camp_base + "/users/alice"
    peerlib.wait_port(int(camp_base.rsplit(":", 1)[1]))
    eq(get(state["alice"], 10)[0], 200, "alice's actor, before (makes her key)")

    poster = threading.Thread(target=post_follow, args=(camp_base, mock_base))
    poster.start()
    assert state["key_fetch_started"].wait(10), "the camp never fetched the key"
    status, took = get(state["alice"], timeout=STALL - 1)
    eq(status, 200, "alice's actor while the POST waits")
    assert took < 3, "the actor took %.1fs while the POST waited" % took
    assert state["mock_fetched"].wait(STALL), "the key server's fetch never ended"
    status, took = state["mock_saw"]
    eq(status, 200, "the key server's own fetch of alice while the camp waits on it")
    assert took < 3, "the key server waited %.1fs for alice" % took
    assert "post" not in state, "the POST did not wait for the key: %s" % (state,)
    state["release"].set()
    poster.join(20)
    eq(state["post"][0], 401, "the POST, once its key turned out not to exist")
    srv.assert_clean_log()


if __name__ == "__main__":
    camplib.main()
