#!/usr/bin/python3
"""The delivery queue survives a crash: the federation child of `camp
serve` is killed with SIGKILL while it delivers one post to 200 inboxes
(a slow mock server on loopback); the listener starts it again and every
inbox ends up with the post, and any inbox that got it twice got the same
activity id.

The 200 followers are real ones: each of 200 mock actors (served here,
one RSA key between them, an inbox each) sends alice a signed Follow,
which the camp checks against the actor it fetches and accepts; alice
joins and posts over ssh.  So no way into the camp but the ones other
servers and members use.  Plain HTTP on loopback: allow_private_addresses
= yes.
"""
import base64
import concurrent.futures
import email.utils
import hashlib
import http.client
import http.server
import json
import os
import signal
import sys
import threading
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402
from peerlib import camplib  # noqa: E402
from camplib import test, eq  # noqa: E402

INBOXES = 200
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
received = []  # (inbox number, activity id, signed with a right Digest)
lock = threading.Lock()
BASE = {}


def actor(n):
    url = "%s/users/f%d" % (BASE["mock"], n)
    return {"@context": ["https://www.w3.org/ns/activitystreams",
                         "https://w3id.org/security/v1"],
            "id": url, "type": "Person", "preferredUsername": "f%d" % n,
            "inbox": "%s/inbox/%d" % (BASE["mock"], n),
            "publicKey": {"id": url + "#main-key", "owner": url,
                          "publicKeyPem": PUBLIC_PEM}}


class Mock(http.server.BaseHTTPRequestHandler):
    """Actors f0..f199 (GET /users/fN) and their inboxes (POST /inbox/N),
    slow for the post, so the camp can be killed halfway."""
    protocol_version = "HTTP/1.1"

    def answer(self, status, body=b"", ctype="application/activity+json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        try:
            n = int(self.path.split("#")[0].rsplit("/f", 1)[1])
        except (ValueError, IndexError):
            return self.answer(404)
        self.answer(200, json.dumps(actor(n)).encode())

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        want = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        try:
            n = int(self.path.rsplit("/", 1)[1])
            doc = json.loads(body)
        except (ValueError, IndexError):
            n, doc = -1, {}
        # Each follower also gets an Accept; only the post's Create counts.
        if doc.get("type") == "Create":
            time.sleep(0.06)  # slow enough to be killed halfway
            with lock:
                received.append((n, doc.get("id"), self.headers.get("Digest") == want
                                 and "signature" in self.headers.get("Signature", "")))
        self.answer(202)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """Connections the killed camp dropped are expected; stay quiet."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def follow(n, camp):
    """Follower n sends alice a Follow signed with its key (draft-cavage,
    as Mastodon signs); returns the camp's status."""
    path = "/users/alice/inbox"
    body = json.dumps({"@context": "https://www.w3.org/ns/activitystreams",
                       "id": "%s/follows/%d" % (BASE["mock"], n), "type": "Follow",
                       "actor": actor(n)["id"],
                       "object": camp.base + "/users/alice"}).encode()
    headers = {"host": camp.domain, "date": email.utils.formatdate(usegmt=True),
               "digest": "SHA-256=" + base64.b64encode(
                   hashlib.sha256(body).digest()).decode(),
               "content-type": "application/activity+json"}
    signed = "(request-target): post %s\n" % path + "\n".join(
        "%s: %s" % (k, v) for k, v in headers.items())
    sig = KEY.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["signature"] = (
        'keyId="%s#main-key",algorithm="rsa-sha256",headers="(request-target) %s",'
        'signature="%s"' % (actor(n)["id"], " ".join(headers),
                            base64.b64encode(sig).decode()))
    conn = http.client.HTTPConnection("127.0.0.1", camp.port, timeout=30)
    conn.request("POST", path, body, headers)
    status = conn.getresponse().status
    conn.close()
    return status


def count():
    with lock:
        return len({n for n, _, _ in received})


@test
def killed_mid_delivery_resumes_and_repeats_the_same_id():
    server = Server(("127.0.0.1", 0), Mock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    camplib.cleanup(server.shutdown)
    BASE["mock"] = "http://127.0.0.1:%d" % server.server_address[1]
    camp = peerlib.Camp()
    camp.start()
    camp.join("alice")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: follow(n, camp), range(INBOXES)))
    eq(set(statuses), {202}, "the camp's answers to the Follows")
    eq(camp.json("alice", "profile")["followers"], INBOXES, "alice's followers")
    camp.drain()  # the Accepts
    camp.post("alice", "to two hundred inboxes")
    end = time.time() + 30
    while count() < 40 and time.time() < end:
        time.sleep(0.02)
    pid = camp.federation_pid()
    os.kill(pid, signal.SIGKILL)
    at_kill = count()
    assert 0 < at_kill < INBOXES, "killed with %d of %d delivered" % (at_kill, INBOXES)
    assert camp.deliveries() > 0, "nothing left to deliver after the kill"
    # The listener starts the federation child again, which resumes.
    end = time.time() + 60
    while count() < INBOXES and time.time() < end:
        time.sleep(0.1)
    camp.drain(30)
    assert camp.federation_pid() != pid, "the federation child was not restarted"
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
