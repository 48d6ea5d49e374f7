"""Hostile (and honest) fediverse servers for camp's end-to-end tests:
mock HTTP servers on loopback that serve actor documents, redirects or
slow answers, and requests signed with draft-cavage as Mastodon signs
them (rsa-sha256 over (request-target) host date [digest content-type]).

Needs python3-cryptography (a Debian package).  Every server started
here is shut down by camplib's cleanups.  Nothing reaches beyond
127.0.0.1; the camp must have allow_private_addresses = yes.
"""
import base64
import email.utils
import hashlib
import http.client
import http.server
import json
import ssl
import threading
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import camplib

AS = "https://www.w3.org/ns/activitystreams"
CONTEXT = [AS, "https://w3id.org/security/v1"]


class Key:
    """An RSA key pair; pem is the public half as SPKI PEM."""

    def __init__(self):
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.pem = self.private.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def sign(self, text):
        return base64.b64encode(self.private.sign(
            text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def actor_doc(actor_id, key, key_id=None, name="someone", inbox=None):
    """A Person document with one publicKey (key_id defaults to
    actor_id#main-key)."""
    return {"@context": CONTEXT, "id": actor_id, "type": "Person",
            "preferredUsername": name, "inbox": inbox or actor_id + "/inbox",
            "publicKey": {"id": key_id or actor_id + "#main-key",
                          "owner": actor_id, "publicKeyPem": key.pem}}


class Mock:
    """An HTTP server on 127.0.0.1 answering from a table of routes:
    path -> dict (served as activity+json), (status, headers, body), or a
    callable(handler) -> one of those.  Every request is recorded in
    .requests as (method, path, headers).  With certs (camplib.make_certs)
    it speaks HTTPS, for what camp fetches over HTTPS only (WebFinger):
    the camp must then trust certs["ca.pem"] (tls_ca_file)."""

    def __init__(self, certs=None):
        self.routes = {}
        self.requests = []
        self.lock = threading.Lock()
        mock = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                with mock.lock:
                    mock.requests.append(("GET", self.path, dict(self.headers)))
                route = mock.routes.get(self.path.split("#")[0])
                if callable(route):
                    route = route(self)
                if route is None:
                    route = (404, {}, b"")
                if isinstance(route, dict):
                    route = (200, {"Content-Type": "application/activity+json"},
                             json.dumps(route).encode())
                status, headers, body = route
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a camp that hung up on a slow answer is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.host = "127.0.0.1:%d" % self.port
        self.origin = "%s://%s" % ("https" if certs else "http", self.host)
        if certs:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(certs["server.pem"], certs["server.key"])
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        camplib.cleanup(self.close)

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def serve(self, path, route):
        self.routes[path] = route

    def account(self, name, key):
        """Serves name@HOST as Mastodon does: WebFinger (which must be
        HTTPS) pointing at an actor document with key.  Returns the
        WebFinger path, to count its GETs."""
        actor = "%s/users/%s" % (self.origin, name)
        finger = "/.well-known/webfinger?resource=acct:%s@%s" % (name, self.host)
        jrd = {"subject": "acct:%s@%s" % (name, self.host),
               "links": [{"rel": "self", "type": "application/activity+json",
                          "href": actor}]}
        self.serve(finger, (200, {"Content-Type": "application/jrd+json"},
                            json.dumps(jrd).encode()))
        self.serve("/users/" + name, actor_doc(actor, key, name=name))
        return finger

    def redirect(self, path, to, status=302):
        self.routes[path] = (status, {"Location": to}, b"")

    def gets(self, path):
        """How many GETs of path (without fragment) came in."""
        with self.lock:
            return sum(1 for m, p, _ in self.requests if m == "GET" and p == path)


def signed_request(camp_base, method, path, key, key_id, body=None, host=None,
                   signed=None, timeout=30):
    """Sends a signed request to the camp at camp_base (http://HOST:PORT);
    returns (status, body text).  host overrides the Host header (and what
    is signed as it); signed lists the headers to sign."""
    u = urllib.parse.urlsplit(camp_base)
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = {"host": host or u.netloc, "date": email.utils.formatdate(usegmt=True)}
    if data is not None:
        headers["digest"] = "SHA-256=" + base64.b64encode(
            hashlib.sha256(data).digest()).decode()
        headers["content-type"] = "application/activity+json"
    names = signed or ["(request-target)"] + list(headers)
    lines = []
    for n in names:
        if n == "(request-target)":
            lines.append("(request-target): %s %s" % (method.lower(), path))
        else:
            lines.append("%s: %s" % (n, headers[n]))
    headers["signature"] = ('keyId="%s",algorithm="rsa-sha256",headers="%s",'
                            'signature="%s"' % (key_id, " ".join(names),
                                                key.sign("\n".join(lines))))
    headers["accept"] = "application/activity+json"
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        if data is not None:
            conn.putheader("content-length", str(len(data)))
        conn.endheaders(data)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def follow(camp_base, member, actor_id, key, key_id=None, follow_id=None, **kw):
    """actor_id sends member a Follow, signed with key; returns the status."""
    body = {"@context": AS, "type": "Follow", "actor": actor_id,
            "id": follow_id or actor_id + "#follows/" + member,
            "object": "%s/users/%s" % (camp_base, member)}
    return signed_request(camp_base, "POST", "/users/%s/inbox" % member, key,
                          key_id or actor_id + "#main-key", body, **kw)[0]
