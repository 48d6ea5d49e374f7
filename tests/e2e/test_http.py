#!/usr/bin/python3
"""The HTTP side as `camp serve` runs it: WebFinger answers members and
survives hostile queries without the federation process dying."""
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from camplib import conf_value, eq, keygen, main, start_camp, test

srv, admin_code, tmp = start_camp()
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
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
