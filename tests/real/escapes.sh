#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Escape attempts from inside a confined session: a tenant user (no
# capabilities, no_new_privs, the allow-list) logged in through OpenSSH
# sshd and through util-linux su tries to gain privileges or leave the
# filter.  Every attempt must fail.  Each line also shows what the same
# attempt did for an unconfined user through the same program.  One PASS or FAIL line per
# program and attempt.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"
sh_etc_full_check

for need in /usr/sbin/sshd ssh ssh-keygen su script unshare strace setcap \
	python3; do
	command -v "$need" >/dev/null || sh_die_skip "$need not installed"
done

sh_setup_accounts
CONFINED=$SH_USER_NAMED
REFERENCE=$SH_USER_UNCONFINED

# A session left behind by a failed case must not stop userdel.
end_user_processes() {
	local user pid

	for user in "$CONFINED" "$REFERENCE"; do
		for pid in $(pgrep -u "$user"); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	sleep 0.2
}
sh_defer end_user_processes


# ------------------------------------------------------------------------
# Privileged binaries, reachable only by the two test users: a setuid-root
# copy of cat and of the probe, and a copy of cat with file capabilities.
# Each cat prints its own /proc/self/status.

sh_group_add ESCAPE_GROUP || sh_die_skip "groupadd failed"
usermod -a -G "$ESCAPE_GROUP" "$CONFINED" &&
	usermod -a -G "$ESCAPE_GROUP" "$REFERENCE" ||
	sh_die_skip "usermod failed"

BIN=$SH_TMP/escape-bin
mkdir -m 0750 "$BIN"
chgrp "$ESCAPE_GROUP" "$BIN"
sh_defer "rm -rf '$BIN'"
install -o root -g root -m 4755 /bin/cat "$BIN/setuid-cat"
install -o root -g root -m 4755 "$SH_PROBE" "$BIN/setuid-probe"
install -o root -g root -m 0755 /bin/cat "$BIN/filecap-cat"
setcap cap_net_raw,cap_dac_read_search+ep "$BIN/filecap-cat" ||
	sh_die_skip "setcap failed"

#
# The attempts.  Each prints "escape NAME gained|refused DETAIL".  The
# probe's TIOCSTI and io_uring calls pass invalid arguments, so EFAULT
# means every permission check passed and the real call would work.
#
ATTEMPTS=$SH_TMP/attempts.sh
cat >"$ATTEMPTS" <<SCRIPT
#!/bin/bash
probe=$SH_PROBE
bin=$BIN
SCRIPT
cat >>"$ATTEMPTS" <<'SCRIPT'
result() {
	printf 'escape %s %s %s\n' "$1" "$2" "$(tr '\n' ' ' <<<"$3")"
}

out=$("$bin/setuid-cat" /proc/self/status 2>&1)
euid=$(awk '$1 == "Uid:" { print $3 }' <<<"$out")
capeff=$(awk '$1 == "CapEff:" { print $2 }' <<<"$out")
if [ "$euid" = 0 ] || { [ -n "$capeff" ] && [ "$capeff" != 0000000000000000 ]; }; then
	result setuid-root gained "euid $euid CapEff $capeff"
else
	result setuid-root refused "euid ${euid:-?} CapEff ${capeff:-?}"
fi

verdict=$("$bin/setuid-probe" try setuid-root | awk '{ print $2 }')
if [ "$verdict" = ok ]; then
	result setuid-root-setuid gained "setuid(0) ok"
else
	result setuid-root-setuid refused "setuid(0) $verdict"
fi

out=$("$bin/filecap-cat" /proc/self/status 2>&1)
capeff=$(awk '$1 == "CapEff:" { print $2 }' <<<"$out")
if [ -n "$capeff" ] && [ "$capeff" != 0000000000000000 ]; then
	result file-capability gained "CapEff $capeff"
elif [ -n "$capeff" ]; then
	result file-capability refused "CapEff $capeff"
else
	result file-capability refused "$out"
fi

if out=$(unshare -U true 2>&1); then
	result unshare-U gained "unshare -U succeeded"
else
	result unshare-U refused "$out"
fi

out=$(unshare -r id -u 2>&1)
if [ "$out" = 0 ]; then
	result unshare-r gained "uid 0 in a new user namespace"
else
	result unshare-r refused "$out"
fi

verdict=$("$probe" try tiocsti | awk '{ print $2 }')
case $verdict in
ok | EFAULT) result tiocsti gained "TIOCSTI reached the tty: $verdict" ;;
*) result tiocsti refused "TIOCSTI $verdict" ;;
esac

verdict=$("$probe" try io-uring-setup | awk '{ print $2 }')
case $verdict in
ok | EFAULT | EINVAL) result io-uring gained "io_uring_setup $verdict" ;;
*) result io-uring refused "io_uring_setup $verdict" ;;
esac

# The login processes above this shell: sshd's network child, monitor and
# listener, or su.
pid=$PPID
targets=
while [ "$pid" -gt 1 ]; do
	name=$(awk '$1 == "Name:" { print $2 }' /proc/$pid/status)
	case $name in
	sshd | su) targets="$targets $pid" ;;
	*) break ;;
	esac
	pid=$(awk '$1 == "PPid:" { print $2 }' /proc/$pid/status)
done
attached=
for pid in $targets; do
	timeout 2 strace -qq -e trace=none -p "$pid" >/dev/null 2>&1
	[ $? -eq 124 ] && attached="$attached $pid"
done
if [ -n "$attached" ]; then
	result ptrace-login gained "attached to$attached of$targets"
else
	result ptrace-login refused "no attach to any of$targets"
fi

sleep 30 &
sibling=$!
timeout 2 strace -qq -e trace=none -p "$sibling" >/dev/null 2>"$HOME/strace.err"
if [ $? -eq 124 ]; then
	result ptrace-sibling gained "attached to own process $sibling"
else
	result ptrace-sibling refused "$(tail -1 "$HOME/strace.err")"
fi
kill "$sibling"
rm -f "$HOME/strace.err"

for entry in int80 x32; do
	verdict=$("$probe" try "$entry" | awk '{ print $2 }')
	if [ "$verdict" = ok ]; then
		result "$entry" gained "getpid through $entry ok"
	else
		result "$entry" refused "getpid through $entry $verdict"
	fi
done
exit 7
SCRIPT
chmod 0755 "$ATTEMPTS"

ESCAPES="setuid-root setuid-root-setuid file-capability unshare-U unshare-r
tiocsti io-uring ptrace-login ptrace-sibling int80 x32"

#
# check_escapes PROGRAM REPORT REFERENCE_REPORT: one line per attempt.
#
check_escapes() {
	local program=$1
	local report=$2
	local reference=$3
	local name line verdict detail ref_detail

	for name in $ESCAPES; do
		line=$(tr -d '\r' <"$report" | grep -m1 "^escape $name ")
		verdict=$(awk '{ print $3 }' <<<"$line")
		detail=$(cut -d' ' -f4- <<<"$line")
		ref_detail=$(tr -d '\r' <"$reference" | grep -m1 "^escape $name " |
			cut -d' ' -f3-)
		if [ "$verdict" = refused ]; then
			sh_pass "$program: $name refused ($detail; unconfined: ${ref_detail:-none})"
		else
			sh_fail "$program: $name refused" \
				"confined: ${line:-no result}" \
				"unconfined: ${ref_detail:-none}"
		fi
	done
}

# check_confined PROGRAM REPORT: the attempts really ran in a tenant session.
check_confined() {
	local nnp

	nnp=$(tr -d '\r' <"$2" | awk '$1 == "NoNewPrivs:" { print $2 }')
	if [ "$nnp" = 1 ] && grep -q '^escape x32 ' <(tr -d '\r' <"$2"); then
		sh_pass "$1: attempts ran in a no_new_privs session"
		return 0
	fi
	sh_fail "$1: attempts ran in a no_new_privs session" "$(cat "$2")"
	return 1
}

SESSION=$SH_TMP/escape-session.sh
printf '#!/bin/bash\n%s status\nexec %s\n' "$SH_PROBE" "$ATTEMPTS" >"$SESSION"
chmod 0755 "$SESSION"

# ------------------------------------------------------------------------
# su: util-linux su through pam_wrapper, on a terminal from script(1).

sh_pam_service "$SH_TMP/pam-child" su "$SH_CONFIG"

run_su() {
	sh_pam_run "$SH_TMP/pam-child" script -q -e -c "su $1 -c $SESSION" \
		/dev/null </dev/null
}

run_su "$REFERENCE" >"$SH_TMP/su.ref" 2>&1
run_su "$CONFINED" >"$SH_TMP/su.report" 2>&1
check_confined su "$SH_TMP/su.report" &&
	check_escapes su "$SH_TMP/su.report" "$SH_TMP/su.ref"

# ------------------------------------------------------------------------
# sshd: one server through pam_wrapper, a pty session with ssh -tt.

mkdir -m 0755 "$SH_TMP/pam-sshd"
{
	printf 'auth     optional   %s\n' "$SH_MODULE"
	printf 'auth     required   pam_permit.so\n'
	printf 'account  required   pam_permit.so\n'
	printf 'password required   pam_deny.so\n'
	printf 'session  required   pam_unix.so\n'
	printf 'session  required   %s config=%s\n' "$SH_MODULE" "$SH_CONFIG"
} >"$SH_TMP/pam-sshd/sshd"
printf '%s required pam_deny.so\n' auth account password session \
	>"$SH_TMP/pam-sshd/other"

if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd
	sh_defer "rmdir /run/sshd 2>/dev/null"
fi

KEY=$SH_TMP/client_key
ssh-keygen -q -t ed25519 -N '' -f "$KEY"
install -m 0644 "$KEY.pub" "$SH_TMP/authorized_keys"
ssh-keygen -q -t ed25519 -N '' -f "$SH_TMP/host_key"
PORT=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
cat >"$SH_TMP/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $SH_TMP/host_key
PidFile $SH_TMP/sshd.pid
UsePAM yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $SH_TMP/authorized_keys
StrictModes no
PrintMotd no
CONF
: >"$SH_TMP/sshd.log"
LD_PRELOAD=$(sh_pam_wrapper_path) PAM_WRAPPER=1 \
	PAM_WRAPPER_SERVICE_DIR="$SH_TMP/pam-sshd" \
	/usr/sbin/sshd -D -e -f "$SH_TMP/sshd_config" \
	>"$SH_TMP/sshd.log" 2>&1 </dev/null &
sh_defer "kill $! 2>/dev/null; wait $! 2>/dev/null"
for ((i = 0; i < 100; i++)); do
	grep -q 'Server listening' "$SH_TMP/sshd.log" && break
	sleep 0.05
done

run_ssh() {
	printf 'exec %s\n' "$SESSION" |
		timeout 60 ssh -F /dev/null -o BatchMode=yes \
			-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
			-o LogLevel=ERROR -i "$KEY" -p "$PORT" -tt "$1@127.0.0.1"
}

if grep -q 'Server listening' "$SH_TMP/sshd.log"; then
	run_ssh "$REFERENCE" >"$SH_TMP/ssh.ref" 2>&1
	run_ssh "$CONFINED" >"$SH_TMP/ssh.report" 2>&1
	check_confined sshd "$SH_TMP/ssh.report" &&
		check_escapes sshd "$SH_TMP/ssh.report" "$SH_TMP/ssh.ref"
else
	sh_skip "sshd escapes" "sshd did not start: $(tail -3 "$SH_TMP/sshd.log")"
fi

sh_finish
