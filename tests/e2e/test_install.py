#!/usr/bin/python3
"""Installing camp as a service: `make install` and `make uninstall` in a
throwaway root, the systemd unit (systemd-analyze verify and its offline
security review), the Debian package's scripts and version, and the
certbot deploy hook handing renewed certificates to a serving camp."""
import os
import pwd
import grp
import subprocess
import time

from camplib import (CAMP, ROOT, Server, camp, contains, eq, free_port, init_camp,
                     set_conf, test, tmpdir, main)
from tlslib import make_ca, make_cert, served_serial

# Every file make install lays down, relative to PREFIX, with its mode.
INSTALLED = {
    "bin/camp": 0o755,
    "share/man/man8/camp.8": 0o644,
    "share/man/man7/camp.7": 0o644,
    "lib/systemd/system/camp.service": 0o644,
    "lib/camp/certbot-deploy": 0o755,
    "share/doc/camp/README.md": 0o644,
    "share/doc/camp/examples/nginx.conf": 0o644,
    "share/doc/camp/examples/Caddyfile": 0o644,
}


def make(*args):
    p = subprocess.run(["make", "-s", "-C", ROOT, "INSTALL_BIN=" + CAMP] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        raise AssertionError("make %s failed:\n%s" % (" ".join(args), out))
    return out


def files_under(d):
    """Every file under d: {relative path: mode}."""
    found = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            found[os.path.relpath(p, d)] = os.stat(p).st_mode & 0o7777
    return found


def unit_settings(path):
    """The unit's Key=Value lines: {key: [values in order]}."""
    settings = {}
    for line in open(path):
        line = line.strip()
        if line and not line.startswith(("#", "[")):
            k, v = line.split("=", 1)
            settings.setdefault(k, []).append(v)
    return settings


@test
def install_lays_out_the_files_under_destdir_and_uninstall_removes_them():
    dest = tmpdir()
    make("install", "DESTDIR=" + dest, "PREFIX=/usr")
    want = {"usr/" + p: mode for p, mode in INSTALLED.items()}
    eq(files_under(dest), want, "installed files and modes")
    eq(open(os.path.join(dest, "usr/bin/camp"), "rb").read(), open(CAMP, "rb").read(),
       "installed binary")
    unit = unit_settings(os.path.join(dest, "usr/lib/systemd/system/camp.service"))
    eq(unit["ExecStart"], ["/usr/bin/camp serve /var/lib/camp"], "ExecStart")
    eq(open(os.path.join(dest, "usr/share/doc/camp/README.md")).read(),
       open(os.path.join(ROOT, "README.md")).read(), "installed README")
    # Uninstall takes exactly what install put, and leaves anything else.
    os.makedirs(os.path.join(dest, "usr/lib/other"))
    open(os.path.join(dest, "usr/bin/other"), "w").write("not camp's")
    make("uninstall", "DESTDIR=" + dest, "PREFIX=/usr")
    eq(files_under(dest), {"usr/bin/other": files_under(dest)["usr/bin/other"]},
       "files left after uninstall")
    assert not os.path.exists(os.path.join(dest, "usr/lib/camp")), "usr/lib/camp left"
    assert not os.path.exists(os.path.join(dest, "usr/share/doc/camp")), "doc left"


@test
def the_default_prefix_is_usr_local():
    dest = tmpdir()
    make("install", "DESTDIR=" + dest)
    assert os.path.exists(os.path.join(dest, "usr/local/bin/camp"))
    unit = unit_settings(os.path.join(dest, "usr/local/lib/systemd/system/camp.service"))
    eq(unit["ExecStart"], ["/usr/local/bin/camp serve /var/lib/camp"], "ExecStart")


@test
def systemd_analyze_accepts_the_unit_and_its_sandbox():
    # Installed for real under a temporary prefix, so that the binary the
    # unit names exists and `man camp(8)` finds the installed pages.
    prefix = os.path.join(tmpdir(), "usr")
    make("install", "PREFIX=" + prefix)
    unit = os.path.join(prefix, "lib/systemd/system/camp.service")
    env = dict(os.environ, MANPATH=os.path.join(prefix, "share/man"))
    p = subprocess.run(["systemd-analyze", "verify", unit], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    eq((p.returncode, out), (0, ""), "systemd-analyze verify")
    # The offline security review scores exposure 0 (locked down) to 10;
    # the sandbox keeps it under 2.5.
    p = subprocess.run(["systemd-analyze", "security", "--offline=yes",
                        "--threshold=25", unit],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    eq(p.returncode, 0, "exposure over 2.5:\n" + out[-3000:])
    # What the service must be: the camp user in /var/lib/camp, reloaded
    # with SIGHUP, restarted on failure, allowed port 22 and nothing else.
    s = unit_settings(unit)
    for key, value in (("User", "camp"), ("StateDirectory", "camp"),
                       ("ExecReload", "/bin/kill -HUP $MAINPID"),
                       ("Restart", "on-failure"), ("ProtectSystem", "strict"),
                       ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                       ("NoNewPrivileges", "yes"),
                       ("AmbientCapabilities", "CAP_NET_BIND_SERVICE"),
                       ("CapabilityBoundingSet", "CAP_NET_BIND_SERVICE"),
                       ("SystemCallFilter", "@system-service")):
        eq(s.get(key), [value], key)
    contains(s["RestrictAddressFamilies"][0], "AF_INET6")


@test
def the_package_scripts_parse_and_every_version_agrees():
    for script in ("debian/postinst", "debian/postrm", "debian/rules",
                   "dist/certbot-deploy"):
        path = os.path.join(ROOT, script)
        assert os.access(path, os.X_OK), script + " is not executable"
    for script in ("debian/postinst", "debian/postrm", "dist/certbot-deploy"):
        subprocess.run(["sh", "-n", os.path.join(ROOT, script)], check=True)
    # debhelper puts its lines at every #DEBHELPER#, comments included.
    for script in ("debian/postinst", "debian/postrm"):
        text = open(os.path.join(ROOT, script)).read()
        eq(text.count("#DEBHELPER#"), 1, script + "'s #DEBHELPER# markers")
        eq([l for l in text.splitlines() if "#DEBHELPER#" in l], ["#DEBHELPER#"],
           script + "'s marker line")
    version = camp("version", check=0).out.split()[1]
    first = open(os.path.join(ROOT, "debian/changelog")).readline()
    eq(first.split()[1], "(%s)" % version, "debian/changelog's version")
    for page in ("man/camp.8", "man/camp.7"):
        th = [l for l in open(os.path.join(ROOT, page)) if l.startswith(".TH")][0]
        contains(th, '"camp %s"' % version, page)


def run_hook(d, user, lineage, domains):
    env = dict(os.environ, CAMP_DIR=d, CAMP_USER=user, RENEWED_LINEAGE=lineage,
               RENEWED_DOMAINS=domains)
    p = subprocess.run([os.path.join(ROOT, "dist/certbot-deploy")], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    eq(p.returncode, 0, "certbot-deploy:\n" + out)
    return out


def lineage(ca_dir, name, serial):
    """A folder laid out as certbot's live/DOMAIN, for camp.test."""
    cert, key = make_cert(ca_dir, name, "camp.test", serial)
    d = os.path.join(ca_dir, name + "-live")
    os.mkdir(d)
    os.symlink(cert, os.path.join(d, "fullchain.pem"))
    os.symlink(key, os.path.join(d, "privkey.pem"))
    return d


def wait_serial(port, ca, serial):
    deadline = time.time() + 20
    while True:
        try:
            got = served_serial(port, "camp.test", ca)
        except OSError as e:
            got = e
        if got == serial:
            return
        if time.time() > deadline:
            raise AssertionError("HTTPS serves %r, not serial %d" % (got, serial))
        time.sleep(0.1)


@test
def the_certbot_hook_hands_renewed_certificates_to_a_serving_camp():
    # As root the files go to another user, as they would to `camp`.
    user = "nobody" if os.getuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
    uid = pwd.getpwnam(user).pw_uid
    gid = grp.getgrnam(subprocess.run(["id", "-gn", user], stdout=subprocess.PIPE,
                                      check=True).stdout.decode().strip()).gr_gid
    http = free_port()
    d, _ = init_camp(http_port=http)
    set_conf(d, "domain", "camp.test:%d" % http)
    ca_dir = tmpdir()
    ca = make_ca(ca_dir)
    first = lineage(ca_dir, "first", 1001)

    out = run_hook(d, user, first, "camp.test")
    contains(out, "installed the certificate for camp.test")
    tls = os.path.join(d, "tls")
    eq(sorted(os.listdir(tls)), ["cert.pem", "key.pem"], "tls/")
    for path, mode, src in ((tls, 0o700, None),
                            (tls + "/cert.pem", 0o600, first + "/fullchain.pem"),
                            (tls + "/key.pem", 0o600, first + "/privkey.pem")):
        st = os.stat(path)
        eq((st.st_mode & 0o7777, st.st_uid, st.st_gid), (mode, uid, gid), path)
        if src:
            eq(open(path).read(), open(src).read(), path)

    set_conf(d, "tls_cert", tls + "/cert.pem")
    set_conf(d, "tls_key", tls + "/key.pem")
    srv = Server(d)
    wait_serial(http, ca, 1001)

    # A certificate for another site on the same machine is left alone.
    other = lineage(ca_dir, "other", 1003)
    contains(run_hook(d, user, other, "www.example other.test"), "left alone")
    eq(open(tls + "/cert.pem").read(), open(first + "/fullchain.pem").read(),
       "cert.pem after another site's renewal")

    # A renewal, then the reload the hook asks systemd for: the camp
    # serves the new certificate.
    renewed = lineage(ca_dir, "renewed", 1002)
    out = run_hook(d, user, renewed, "camp.test www.camp.test")
    eq(open(tls + "/key.pem").read(), open(renewed + "/privkey.pem").read(),
       "key.pem after the renewal")
    srv.reload()
    wait_serial(http, ca, 1002)
    srv.assert_clean_log()


if __name__ == "__main__":
    main()
