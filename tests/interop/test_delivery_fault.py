#!/usr/bin/python3
"""The delivery queue survives a crash: the federation child is killed
with SIGKILL while it delivers one post to 200 inboxes (a slow mock
server on loopback), then started again; every inbox ends up with the
post, and any inbox that got it twice got the same activity id.

Followers are seeded with `camp federation test-helper` (TEST HELPER
ONLY).  Plain HTTP on loopback: allow_private_addresses = yes.
"""
import base64
import hashlib
import http.server
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402
from peerlib import camplib  # noqa: E402
from camplib import test, eq  # noqa: E402

INBOXES = 200
received = []  # (inbox number, activity id, signed with a right Digest)
lock = threading.Lock()


class Inbox(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        want = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        time.sleep(0.06)  # slow enough to be killed halfway
        try:
            n = int(self.path.rsplit("/", 1)[1])
            doc = json.loads(body)
        except (ValueError, IndexError):
            n, doc = -1, {}
        # Seeding the followers also sends each an Accept; only the
        # Create of the post counts here.
        if doc.get("type") == "Create":
            with lock:
                received.append((n, doc.get("id"), self.headers.get("Digest") == want
                                 and "signature" in self.headers.get("Signature", "")))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def count():
    with lock:
        return len({n for n, _, _ in received})


@test
def killed_mid_delivery_resumes_and_repeats_the_same_id():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    camplib.cleanup(server.shutdown)
    base = "http://127.0.0.1:%d" % server.server_address[1]
    d, _ = camplib.init_camp()
    camp = peerlib.Camp.__new__(peerlib.Camp)
    camp.dir = d
    camp.port = int(camplib.conf_value(d, "http_listen").rsplit(":", 1)[1])
    camp.log = os.path.join(os.path.dirname(d), "federation.log")
    camp.helper("member", "alice")
    camp.helper("seed-followers", "alice", str(INBOXES), base)
    camp.helper("post", "alice", "public", "to two hundred inboxes")
    camp.start()
    end = time.time() + 30
    while count() < 40 and time.time() < end:
        time.sleep(0.02)
    camp.kill()
    at_kill = count()
    assert 0 < at_kill < INBOXES, "killed with %d of %d delivered" % (at_kill, INBOXES)
    queued = int(camp.helper("deliveries"))
    assert queued > 0, "nothing left to deliver after the kill"
    camp.start()
    end = time.time() + 60
    while count() < INBOXES and time.time() < end:
        time.sleep(0.1)
    camp.drain(30)
    with lock:
        got = list(received)
    eq(count(), INBOXES, "inboxes reached (killed at %d)" % at_kill)
    eq(sorted({n for n, _, _ in got}), list(range(INBOXES)), "every inbox")
    ids = {aid for _, aid, _ in got}
    eq(len(ids), 1, "one activity id for every delivery and repeat: %s" % ids)
    eq([ok for _, _, ok in got if not ok], [], "signed, with a matching Digest")
    print("# killed at %d of %d; %d POSTs in all" % (at_kill, INBOXES, len(got)))
    camp.stop_and_check()


if __name__ == "__main__":
    camplib.main()
