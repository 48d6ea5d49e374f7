#!/bin/sh
# check-deb.sh: installs the package `make deb` built in a Debian 12
# container with systemd as PID 1, and checks it as an operator would:
# dpkg -i starts the service and prints an admin invite; a member joins
# with it and logs in with the real ssh client; the service runs as the
# camp user with only CAP_NET_BIND_SERVICE, takes port 22, reloads on
# systemctl reload and comes back after a crash; a purge keeps the camp,
# a reinstall finds it again, and CAMP_PURGE_DATA=yes removes it.
#
# Run by hand as root (`make deb-check`), never by make test: the first
# run debootstraps Debian 12 into CAMP_CHECK_ROOT (default
# /var/tmp/camp-check-root, about 300 MB, kept for the next run), which
# needs Debian's mirror.  The container has no network but its own
# loopback.  Prints TAP and "N passed, N failed" last; exits 1 on a failure.
set -eu

root=${CAMP_CHECK_ROOT:-/var/tmp/camp-check-root}
deb=$(ls build/deb/camp_*.deb 2>/dev/null | tail -n 1)
if [ -z "$deb" ]; then
	echo "check-deb: no build/deb/camp_*.deb; run make deb first" >&2
	exit 1
fi
for tool in debootstrap systemd-nspawn nsenter; do
	if ! command -v $tool >/dev/null; then
		echo "check-deb: $tool is missing (make deb-check installs it)" >&2
		exit 1
	fi
done

# The package's Depends, and the tools the checks use inside.
if [ ! -x "$root/usr/bin/ssh" ]; then
	debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,adduser,ca-certificates,openssh-client,procps,libssh-4,libncursesw6,libsqlite3-0,libcurl4,libmicrohttpd12,libjansson4,libxml2,libssl3 \
		bookworm "$root" http://deb.debian.org/debian
fi
cp "$deb" "$root/root/camp.deb"

nspawn=""
stop() {
	if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
		inside systemctl poweroff >/dev/null 2>&1 || kill "$nspawn"
		wait "$nspawn" 2>/dev/null || true
	fi
}
trap stop EXIT

systemd-nspawn -q -D "$root" -M camp-check --private-network --register=no \
	--keep-unit --console=pipe -b </dev/null >/tmp/camp-check-boot.log 2>&1 &
nspawn=$!

# The container's PID 1 is nspawn's child; wait until its systemd is up.
leader=""
inside() {
	nsenter -t "$leader" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 /bin/sh -c "$*"
}
for _ in $(seq 100); do
	leader=$(ps -o pid= --ppid "$nspawn" | tr -d ' ' | head -n 1)
	if [ -n "$leader" ]; then
		state=$(inside systemctl is-system-running 2>/dev/null || true)
		case "$state" in running | degraded) break ;; esac
	fi
	sleep 0.2
done
if [ -z "$leader" ]; then
	echo "check-deb: the container did not boot:" >&2
	cat /tmp/camp-check-boot.log >&2
	exit 1
fi

n=0
failed=0
check() {
	name=$1
	shift
	n=$((n + 1))
	if out=$(inside "$@" 2>&1); then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}

ssh_opts="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -i /root/member"

check "dpkg -i installs, starts the service and prints an admin invite" '
	dpkg -i /root/camp.deb >/root/install.log 2>&1 || { cat /root/install.log; exit 1; }
	grep -q "^An admin invite" /root/install.log && systemctl is-active camp'
check "the service runs as camp with only CAP_NET_BIND_SERVICE, sandboxed" '
	st=/proc/$(systemctl show -p MainPID --value camp)/status
	[ "$(awk "/^Uid:/ {print \$2}" $st)" = "$(id -u camp)" ] &&
	[ "$(awk "/^CapEff:/ {print \$2}" $st)" = 0000000000000400 ] &&
	[ "$(awk "/^NoNewPrivs:/ {print \$2}" $st)" = 1 ] &&
	[ "$(awk "/^Seccomp:/ {print \$2}" $st)" = 2 ] &&
	[ "$(stat -c %U:%a /var/lib/camp)" = camp:700 ]'
check "a member joins with the invite and logs in with ssh" "
	rm -f /root/member* && ssh-keygen -q -t ed25519 -N '' -f /root/member
	code=\$(grep -A1 '^Invite code:' /root/install.log | tail -n 1)
	for _ in \$(seq 50); do ssh $ssh_opts -p 2222 join@127.0.0.1 true 2>/dev/null; [ \$? != 255 ] && break; sleep 0.2; done
	ssh $ssh_opts -p 2222 join@127.0.0.1 join \$code sam &&
	ssh $ssh_opts -p 2222 sam@127.0.0.1 whoami | grep -q '^acct: sam$' &&
	echo 'hello from the package' | ssh $ssh_opts -p 2222 sam@127.0.0.1 post --visibility camp"
check "systemctl reload sends SIGHUP and the camp reloads" '
	systemctl reload camp && sleep 1 &&
	journalctl -u camp --no-pager | grep -q "SIGHUP: reloaded" && systemctl is-active camp'
check "the camp user takes port 22" "
	sed -i 's/^ssh_listen = .*/ssh_listen = 0.0.0.0:22/' /var/lib/camp/camp.conf &&
	systemctl restart camp && sleep 1 &&
	ssh $ssh_opts -p 22 sam@127.0.0.1 whoami | grep -q '^acct: sam$'"
check "the service is restarted after a crash" '
	pid=$(systemctl show -p MainPID --value camp) && kill -9 $pid && sleep 4 &&
	systemctl is-active camp && [ "$(systemctl show -p NRestarts --value camp)" -ge 1 ]'
check "a purge keeps the camp, and a reinstall serves it again" "
	dpkg --purge camp >/dev/null && [ -f /var/lib/camp/camp.db ] &&
	! systemctl is-active camp &&
	dpkg -i /root/camp.deb >/root/reinstall.log 2>&1 && ! grep -q 'invite' /root/reinstall.log &&
	sleep 1 && ssh $ssh_opts -p 22 sam@127.0.0.1 timeline camp | grep -q 'hello from the package'"
check "CAMP_PURGE_DATA=yes purges the camp too" '
	CAMP_PURGE_DATA=yes dpkg --purge camp >/dev/null && [ ! -e /var/lib/camp ]'

echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
