#!/usr/bin/python3
"""The SSH front door under load and abuse: many sessions at once, a
client that never speaks, per-address limits on unauthenticated
connections, failed logins and invite code guesses, and a clean stop."""
import signal
import socket
import subprocess
import threading
import time

from camplib import (Screen, camp, contains, eq, keygen, main, start_camp, test)

srv, admin_code, tmp = start_camp(login_grace="5s", max_unauth_per_addr="40")
alice = keygen(tmp, "alice")
srv.join(alice, "alice", admin_code)


@test
def thirty_concurrent_sessions_all_succeed():
    results = [None] * 30

    def one(i):
        results[i] = srv.ssh("alice", alice, "whoami", timeout=60)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in results:
        eq(p.returncode, 0, p.err)
        contains(p.out, "acct: alice")


@test
def a_silent_client_is_dropped_after_the_grace_time_without_delaying_others():
    s = socket.create_connection(("127.0.0.1", srv.port))
    start = time.time()
    s.settimeout(15)
    p = srv.ssh("alice", alice, "whoami", check=0)  # others are not delayed
    assert time.time() - start < 3, "a silent client delayed a login"
    data = b"x"
    while data:
        data = s.recv(4096)  # the server's banner, then EOF
    took = time.time() - start
    assert 4 <= took < 9, "dropped after %.1fs" % took
    s.close()
    contains(p.out, "alice")
    srv.wait_log("login grace time is over")


@test
def unauthenticated_connections_per_address_are_capped():
    srv.reload(max_unauth_per_addr="4")
    socks = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(4)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", srv.port))
    extra.settimeout(5)
    eq(extra.recv(100), b"", "the fifth is closed at once")
    srv.wait_log("too many unauthenticated connections")
    for s in socks:
        s.close()
    time.sleep(0.3)
    srv.ssh("alice", alice, "whoami", check=0)
    srv.reload(max_unauth_per_addr="40")


@test
def join_screens_count_against_their_address():
    """join@ accepts any key, so it is not a login: open join screens keep
    counting against their address (found in review)."""
    srv.reload(max_unauth_per_addr="3")
    stranger = keygen(tmp, "stranger")
    screens = [srv.spawn("join", stranger) for _ in range(3)]
    for child in screens:
        Screen(child).wait_for("Invite code")
    p = srv.ssh("join", stranger, "help")
    assert p.returncode == 255, "a fourth join@ connection got in: %r" % p.err
    for child in screens:
        child.terminate(force=True)
    time.sleep(0.5)
    srv.ssh("alice", alice, "whoami", check=0)
    srv.reload(max_unauth_per_addr="40")


@test
def max_sessions_caps_the_whole_camp():
    srv.reload(max_sessions="2")
    socks = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(2)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", srv.port))
    extra.settimeout(5)
    eq(extra.recv(100), b"", "the third is closed at once")
    srv.wait_log("max_sessions reached")
    for s in socks:
        s.close()
    srv.reload(max_sessions="500")
    srv.ssh("alice", alice, "whoami", check=0)


@test
def invite_code_guesses_are_limited_per_address():
    guesser = keygen(tmp, "guesser")
    seen = []
    for i in range(11):
        p = srv.ssh("join", guesser, "join", "aaaaa-bbbbb-ccccc-dddd%d" % (i % 10),
                    "guess", check=1)
        seen.append(p.err.strip())
    for msg in seen[:10]:
        contains(msg, "not valid")
    contains(seen[10], "too many invite codes")
    # Even a good code waits now: the address is out of tries.
    code = camp("invite", srv.dir, check=0).out.strip().splitlines()[-1]
    p = srv.ssh("join", guesser, "join", code, "guess", check=1)
    contains(p.err, "too many invite codes")


@test
def many_failed_logins_close_the_door_to_that_address():
    own, code, _ = start_camp()  # a camp of its own: this one locks 127.0.0.1 out
    bob = keygen(tmp, "bob")
    own.join(bob, "bob", code)
    wrong = [keygen(tmp, "wrong%d" % i) for i in range(6)]
    args = []
    for k in wrong:
        args += ["-i", k]
    for _ in range(6):
        p = subprocess.run(["ssh", "-p", str(own.port)] + args +
                           own.ssh_args("bob", bob)[5:] + ["whoami"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        eq(p.returncode, 255)
    p = own.ssh("bob", bob, "whoami")
    eq(p.returncode, 255, "the address waits, even with the right key")
    own.wait_log("too many failed logins from it")


@test
def sigterm_stops_within_5s_and_leaves_no_process():
    s = socket.create_connection(("127.0.0.1", srv.port))  # pre-auth
    cat = subprocess.Popen(srv.ssh_args("alice", alice, "keys", "add"),
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)  # waits for stdin
    time.sleep(1)
    start = time.time()
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(10)
    assert time.time() - start < 5, "took %.1fs" % (time.time() - start)
    eq(srv.pids(), [], "processes left behind")
    out, err = cat.communicate(timeout=10)
    contains(err.decode(), "restarting")
    s.close()



@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
