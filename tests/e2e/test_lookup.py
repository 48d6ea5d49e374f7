#!/usr/bin/python3
"""Remote accounts named by handle are looked up by the federation child,
never by a member's session: `follow name@host` and `profile name@host`
work against a mock server over HTTPS (WebFinger, then the actor), the
connections to it coming from the federation child's process; with the
federation child not running, the same commands fail with a plain
message and exit 1, and nothing is fetched."""
import os
import re
import socket
import time

import camplib
import fedmock
from camplib import contains, eq, keygen, main, test

certs = camplib.make_certs(camplib.tmpdir())
srv, admin_code, tmp = camplib.start_camp(tls_ca_file=certs["ca.pem"])
alice = keygen(tmp, "alice")
srv.join(alice, "alice", admin_code)
mock = fedmock.Mock(certs=certs)
key = fedmock.Key()


def wait_lookups(server, timeout=20):
    """Waits until the federation child serves lookups (its socket is
    there): until then a camp that has just started rightly says that
    its federation process is not running."""
    sock = os.path.join(server.dir, "lookup.sock")
    deadline = time.time() + timeout
    while not os.path.exists(sock):
        if time.time() > deadline:
            raise AssertionError("no lookup socket:\n" + server.logs()[-2000:])
        time.sleep(0.05)


wait_lookups(srv)


def federation_pid(server):
    """The pid of the federation child now, from the listener's log."""
    server.wait_log("started federation")
    return int(re.findall(r"started federation \(pid (\d+)\)", server.logs())[-1])


def socket_owners(local_port):
    """Pids holding the TCP socket whose local port is local_port (the
    client side of a connection to the mock)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            f = line.split()
            if int(f[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add("socket:[%s]" % f[9])
    owners = set()
    for pid in srv.pids():
        try:
            fds = os.listdir("/proc/%d/fd" % pid)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)) in inodes:
                    owners.add(pid)
            except OSError:
                pass
    return owners


@test
def follow_and_profile_by_handle_go_through_the_federation_child():
    finger = mock.account("bob", key)
    seen = []
    route = mock.routes[finger]

    def watched(handler):
        seen.append(socket_owners(handler.client_address[1]))
        return route
    mock.serve(finger, watched)
    acct = "bob@" + mock.host
    p = srv.cmd("alice", alice, "follow", acct, check=0)
    contains(p.out, acct, "follow's answer")
    eq(seen, [{federation_pid(srv)}], "who fetched the WebFinger answer")
    eq(mock.gets("/users/bob"), 1, "actor fetches")
    prof = srv.json("alice", alice, "profile", "@" + acct)
    eq((prof["acct"], prof["member"]), (acct, False), "bob's profile")
    eq(prof["you_follow"], "pending", "until bob's server accepts")
    # Known now: unfollowing him and showing him again asks nobody.
    srv.cmd("alice", alice, "unfollow", acct, check=0)
    srv.cmd("alice", alice, "profile", acct, check=0)
    eq(mock.gets(finger), 1, "WebFinger lookups of a known account")


@test
def an_account_that_does_not_exist_is_named_in_one_line():
    p = srv.cmd("alice", alice, "follow", "nobody@" + mock.host, check=1)
    contains(p.err, "cannot find nobody@" + mock.host)
    contains(p.err, "does not exist")
    eq(len(p.err.strip().splitlines()), 1, "one line on stderr")


@test
def a_handle_that_is_no_handle_is_refused_before_any_fetch():
    before = len(mock.requests)
    for bad in ("bob@exa mple", "bob@[::1]", "b\u00f6b@" + mock.host, "bob@host:99999"):
        p = srv.cmd("alice", alice, "profile", bad)
        eq(p.returncode, 1, "profile " + bad)
        contains(p.err, "cannot find", bad)
    eq(len(mock.requests), before, "requests to the mock")


@test
def without_the_federation_child_lookups_fail_plainly():
    # A camp whose HTTP port is taken: its federation child cannot start,
    # while the listener and sessions work as ever.
    d, code = camplib.init_camp()
    camplib.set_conf(d, "tls_ca_file", certs["ca.pem"])
    port = int(camplib.conf_value(d, "http_listen").rsplit(":", 1)[1])
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    squatter.bind(("127.0.0.1", port))
    squatter.listen(1)
    camplib.cleanup(squatter.close)
    other = camplib.Server(d)
    carol = keygen(os.path.dirname(d), "carol")
    other.join(carol, "carol", code)
    other.wait_log("exited 1; restarting")  # it tried, and failed
    eq(os.path.exists(os.path.join(d, "lookup.sock")), False, "lookup socket")
    before = len(mock.requests)
    mock.account("dora", key)
    for argv in (("follow", "dora@" + mock.host), ("profile", "dora@" + mock.host)):
        p = other.cmd("carol", carol, *argv)
        eq(p.returncode, 1, " ".join(argv))
        contains(p.err, "the camp's federation process is not running")
        eq(len(p.err.strip().splitlines()), 1, "one line on stderr")
    eq(len(mock.requests), before, "requests to the mock")
    other.ssh("carol", carol, "whoami", check=0)


main()
