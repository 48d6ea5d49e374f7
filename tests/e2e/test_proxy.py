#!/usr/bin/python3
"""The README's reverse proxies, as shipped in dist/: nginx and Caddy in
front of a camp, each on loopback with a certificate from a test CA.  A
member joins and logs in over ssh; WebFinger and her actor are answered
by the camp through the proxy; and a signed Follow from another server
is accepted through it, which it is only if the proxy passes the Host
header on as it came (it is signed, and must name the camp).

The examples are used as they are, with only the domain, the ports, the
certificate paths and the webroot put in, so a change to them is tested
here; what only a test needs (ports of its own, no ACME, temporary
folders) goes around them."""
import base64
import email.utils
import hashlib
import http.client
import json
import os
import socket
import ssl
import subprocess
import time

from camplib import (ROOT, Server, cleanup, contains, eq, free_port, init_camp,
                     keygen, set_conf, test, tmpdir, main)
from tlslib import make_ca, make_cert
import fedmock

HOST = "camp.test"


def example(name, replacements):
    """dist/NAME with each (old, new) replaced; every old must be there."""
    text = open(os.path.join(ROOT, "dist", name)).read()
    for old, new in replacements:
        assert old in text, "%r is no longer in dist/%s" % (old, name)
        text = text.replace(old, new)
    return text


def start(argv, d, env=None):
    """Starts a proxy with its output in d/proxy.log; stopped at exit."""
    log = open(os.path.join(d, "proxy.log"), "ab")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            env=env)

    def stop():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    cleanup(stop)
    return proc


def wait_port(port, proc, d, log="proxy.log"):
    """Waits until something listens on port, while proc lives."""
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise AssertionError("nothing on port %d:\n%s" % (
                    port, open(os.path.join(d, log)).read()[-3000:]))
            time.sleep(0.05)


def request(port, ca, method, path, body=None, headers=None, tls=True):
    """One request to 127.0.0.1:port as https://camp.test:port (or http);
    returns (status, headers, body)."""
    if tls:
        ctx = ssl.create_default_context(cafile=ca)
        conn = http.client.HTTPSConnection(HOST, port, timeout=15, context=ctx)
        raw = socket.create_connection(("127.0.0.1", port), 15)
        conn.sock = ctx.wrap_socket(raw, server_hostname=HOST)
    else:
        conn = http.client.HTTPConnection(HOST, port, timeout=15)
        conn.sock = socket.create_connection(("127.0.0.1", port), 15)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), data


def signed(key, key_id, path, body, host):
    """Headers for a POST of body to path, signed as Mastodon signs."""
    headers = {"Host": host, "Date": email.utils.formatdate(usegmt=True),
               "Digest": "SHA-256=" + base64.b64encode(
                   hashlib.sha256(body).digest()).decode(),
               "Content-Type": "application/activity+json"}
    names = ["(request-target)", "host", "date", "digest", "content-type"]
    text = "\n".join(["(request-target): post " + path] +
                     ["%s: %s" % (n, headers[n.title()]) for n in names[1:]])
    headers["Signature"] = ('keyId="%s",algorithm="rsa-sha256",headers="%s",'
                            'signature="%s"' % (key_id, " ".join(names), key.sign(text)))
    return headers


class Camp:
    """A serving camp named camp.test:PORT, where PORT is the proxy's
    HTTPS port, with one member, alice, who has joined and logged in;
    and a CA with a certificate for camp.test."""

    def __init__(self):
        self.https = free_port()
        self.http = free_port()
        self.dir, code = init_camp(http_port=self.http)
        self.domain = "%s:%d" % (HOST, self.https)
        set_conf(self.dir, "domain", self.domain)
        set_conf(self.dir, "public_url", "https://" + self.domain)
        self.srv = Server(self.dir)
        wait_port(self.http, self.srv.proc, os.path.dirname(self.dir), "serve.log")
        key = keygen(tmpdir(), "alice")
        self.srv.join(key, "alice", code)
        contains(self.srv.ssh("alice", key, "whoami", check=0).out, "alice")
        self.certs = tmpdir()
        self.ca = make_ca(self.certs)
        self.cert, self.key = make_cert(self.certs, "camp", HOST, 7)

    def check_through(self, port):
        """WebFinger and the actor, through the proxy on port."""
        acct = "acct:alice@" + self.domain
        status, hdrs, body = request(port, self.ca, "GET",
                                     "/.well-known/webfinger?resource=" + acct)
        eq(status, 200, "WebFinger status: %r" % body[:300])
        jrd = json.loads(body)
        eq(jrd["subject"], acct, "WebFinger subject")
        actor = "https://%s/users/alice" % self.domain
        self_links = [l["href"] for l in jrd["links"] if l.get("rel") == "self"]
        eq(self_links, [actor], "WebFinger self link")

        status, hdrs, body = request(port, self.ca, "GET", "/users/alice",
                                     headers={"Accept": "application/activity+json"})
        eq(status, 200, "actor status")
        eq(json.loads(body)["id"], actor, "actor id")

        # A Follow signed as another server signs it, for Host camp.test:PORT.
        key = fedmock.Key()
        mock = fedmock.Mock()
        bob = mock.origin + "/users/bob"
        mock.serve("/users/bob", fedmock.actor_doc(bob, key, name="bob"))
        follow = json.dumps({"@context": fedmock.AS, "type": "Follow", "actor": bob,
                             "id": bob + "#follow", "object": actor}).encode()
        status, hdrs, body = request(port, self.ca, "POST", "/users/alice/inbox",
                                     body=follow,
                                     headers=signed(key, bob + "#main-key",
                                                    "/users/alice/inbox", follow,
                                                    self.domain))
        eq(status, 202, "signed Follow through the proxy: %r" % body[:300])

        self.srv.assert_clean_log()


@test
def nginx_example_serves_the_camp_over_https():
    c = Camp()
    d = tmpdir()
    plain = free_port()
    webroot = os.path.join(d, "www")
    os.makedirs(os.path.join(webroot, ".well-known", "acme-challenge"))
    open(os.path.join(webroot, ".well-known", "acme-challenge", "t"), "w").write("ok")
    site = example("nginx.conf", [
        ("camp.example", HOST),
        ("listen 80;", "listen 127.0.0.1:%d;" % plain),
        ("listen [::]:80;", ""),
        ("listen 443 ssl;", "listen 127.0.0.1:%d ssl;" % c.https),
        ("listen [::]:443 ssl;", ""),
        ("/etc/letsencrypt/live/%s/fullchain.pem" % HOST, c.cert),
        ("/etc/letsencrypt/live/%s/privkey.pem" % HOST, c.key),
        ("/var/www/html", webroot),
        ("127.0.0.1:8080", "127.0.0.1:%d" % c.http),
    ])
    open(os.path.join(d, "site.conf"), "w").write(site)
    # Around the site: a foreground nginx whose files are all in d.  Bodies
    # stay in memory, so workers (running as nobody under root) need no
    # temporary files in d.
    open(os.path.join(d, "nginx.conf"), "w").write("""
daemon off;
worker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 64; }
http {
    access_log %(d)s/access.log;
    client_body_buffer_size 4m;
    client_body_temp_path %(d)s/body;
    proxy_temp_path %(d)s/proxy;
    fastcgi_temp_path %(d)s/fastcgi;
    uwsgi_temp_path %(d)s/uwsgi;
    scgi_temp_path %(d)s/scgi;
    include %(d)s/site.conf;
}
""" % {"d": d})
    os.chmod(d, 0o755)
    os.chmod(webroot, 0o755)
    proc = start(["nginx", "-p", d, "-e", os.path.join(d, "error.log"),
                  "-c", os.path.join(d, "nginx.conf")], d)
    wait_port(c.https, proc, d)
    c.check_through(c.https)
    # Port 80 answers certbot's webroot renewals and redirects the rest.
    status, hdrs, body = request(plain, None, "GET", "/.well-known/acme-challenge/t",
                                 tls=False)
    eq((status, body), (200, b"ok"), "ACME challenge on port 80")
    status, hdrs, body = request(plain, None, "GET", "/users/alice", tls=False)
    eq((status, hdrs.get("Location")), (301, "https://%s/users/alice" % HOST),
       "redirect to HTTPS")


@test
def caddy_example_serves_the_camp_over_https():
    c = Camp()
    d = tmpdir()
    site = example("Caddyfile", [
        ("camp.example {", "%s:%d {\n\ttls %s %s" % (HOST, c.https, c.cert, c.key)),
        ("127.0.0.1:8080", "127.0.0.1:%d" % c.http),
    ])
    # Around the site: no admin API, no ACME, no redirect server, state in d.
    caddyfile = """{
	admin off
	auto_https disable_redirects
	skip_install_trust
	http_port %d
	https_port %d
	storage file_system %s
}
""" % (free_port(), c.https, os.path.join(d, "storage")) + site
    open(os.path.join(d, "Caddyfile"), "w").write(caddyfile)
    env = dict(os.environ, HOME=d, XDG_DATA_HOME=os.path.join(d, "data"),
               XDG_CONFIG_HOME=os.path.join(d, "config"))
    proc = start(["caddy", "run", "--adapter", "caddyfile", "--config",
                  os.path.join(d, "Caddyfile")], d, env)
    wait_port(c.https, proc, d)
    c.check_through(c.https)


if __name__ == "__main__":
    main()
