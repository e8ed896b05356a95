#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Debian's OpenSSH sshd with pam_sechard in its PAM stacks, reached with
# the real ssh, sftp and scp clients on 127.0.0.1.  Each sshd runs with
# pam_wrapper preloaded (sshd 9.2 passes its environment to the re-executed
# per-connection process), so /etc/pam.d is never touched.
#
# Cases: a pty login shell, a command without a pty, sftp and scp through
# sftp-server and internal-sftp, and a second channel in one connection.
# Local port and agent forwarding are allowed or refused by the profile.
# Root logs in with the unconfined profile.  After a disconnect the close
# is logged, wtmp shows the logout and no process of the user is left.
# Needs root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"
sh_etc_full_check

for need in /usr/sbin/sshd ssh sftp scp ssh-agent ssh-add ssh-keygen \
	python3 curl last; do
	command -v "$need" >/dev/null || sh_die_skip "$need not installed"
done

sh_setup_accounts
sh_user_add USER_CLOSED || sh_die_skip "useradd failed"

# A session left behind by a failed case must not stop userdel.
end_user_processes() {
	local user pid

	for user in "$SH_USER_NAMED" "$SH_USER_GROUPED" "$SH_USER_DEFAULT" \
		"$SH_USER_UNCONFINED" "$USER_CLOSED"; do
		for pid in $(pgrep -u "$user"); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	sleep 0.2
}
sh_defer end_user_processes

# ------------------------------------------------------------------------
# Configuration: the shipped profiles, plus "closed", the tenant profile
# that also denies inet and unix sockets, so forwarding must fail.

tenant_deny=$(awk '/^\[profile tenant\]/ { on = 1 }
	on && /^seccomp_deny/ { sub(/^seccomp_deny *= */, ""); print; exit }' \
	"$SH_SHIPPED_CONFIG")
[ -n "$tenant_deny" ] || sh_die_skip "no tenant seccomp_deny in $SH_SHIPPED_CONFIG"

CONFIG=$SH_TMP/conf/sshd.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root, $SH_USER_UNCONFINED
tenant = $SH_USER_NAMED
closed = $USER_CLOSED

[groups]
tenant = $SH_GROUP_TENANTS

$(sh_shipped_profiles)

[profile closed]
inherit = tenant
seccomp_deny = $tenant_deny, socket(arg0 == AF_INET), socket(arg0 == AF_INET6), socket(arg0 == AF_UNIX)
CONF

profile_of() {
	case $1 in
	"$USER_CLOSED") echo closed ;;
	*) sh_user_profile "$1" ;;
	esac
}

#
# The session command.  "parent" is the sshd process nearest to the shell:
# the per-user network child for ordinary users, the monitor itself for
# root (sshd 9.2 does not fork a per-user child for root).  "monitor" is
# that process's parent.
#
SESSION=$SH_TMP/session.sh
cat >"$SESSION" <<SCRIPT
#!/bin/bash
pid=\$PPID
while [ "\$pid" -gt 1 ] &&
	[ "\$(awk '\$1 == "Name:" { print \$2 }' /proc/\$pid/status)" != sshd ]; do
	pid=\$(awk '\$1 == "PPid:" { print \$2 }' /proc/\$pid/status)
done
monitor=\$(awk '\$1 == "PPid:" { print \$2 }' /proc/\$pid/status)
$SH_PROBE status | sed 's/^/self /'
$SH_PROBE status --pid \$pid | sed 's/^/parent /'
$SH_PROBE status --pid \$monitor | sed 's/^/monitor /'
$SH_PROBE try $(printf '%s ' $SH_PROBE_OPS)| sed 's/^/op /'
exit 7
SCRIPT
chmod 0755 "$SESSION"

# ------------------------------------------------------------------------
# PAM stacks.  pam_setcred() in sshd's per-user child runs through the auth
# stack, hence the "auth optional" line.  Public key logins never call
# pam_authenticate, and pam_permit keeps pam_setcred() successful.

write_stack() {
	local dir=$1
	local with_module=$2

	mkdir -p -m 0755 "$dir"
	{
		[ "$with_module" = yes ] &&
			printf 'auth     optional   %s\n' "$SH_MODULE"
		printf 'auth     required   pam_permit.so\n'
		printf 'account  required   pam_permit.so\n'
		printf 'password required   pam_deny.so\n'
		printf 'session  required   pam_unix.so\n'
		[ "$with_module" = yes ] &&
			printf 'session  required   %s config=%s\n' \
				"$SH_MODULE" "$CONFIG"
	} >"$dir/sshd"
	printf '%s required pam_deny.so\n' auth account password session \
		>"$dir/other"
	chmod 0644 "$dir/sshd" "$dir/other"
}

write_stack "$SH_TMP/pam-ref" no
write_stack "$SH_TMP/pam-child" yes


# ------------------------------------------------------------------------
# Keys and servers

KEY=$SH_TMP/client_key
ssh-keygen -q -t ed25519 -N '' -C sechard-test -f "$KEY"
install -m 0644 "$KEY.pub" "$SH_TMP/authorized_keys"

# sshd refuses to start without its privilege separation folder.
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd
	sh_defer "rmdir /run/sshd 2>/dev/null"
fi

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

#
# start_sshd NAME STACKDIR SUBSYSTEM: start one sshd on a free loopback port
# and store the port in PORT_NAME.  Its stderr (sshd's own log and, through
# pam_wrapper, every pam_syslog line as "SYSLOG(N): ...") goes to
# $SH_TMP/NAME.log.
#
start_sshd() {
	local name=$1
	local stack=$2
	local subsystem=$3
	local dir=$SH_TMP/sshd-$name
	local port i

	port=$(free_port)
	mkdir -m 0700 "$dir"
	ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
	cat >"$dir/sshd_config" <<-CONF
	ListenAddress 127.0.0.1
	Port $port
	HostKey $dir/host_key
	PidFile $dir/sshd.pid
	UsePAM yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PubkeyAuthentication yes
	AuthorizedKeysFile $SH_TMP/authorized_keys
	StrictModes no
	PermitRootLogin prohibit-password
	AllowTcpForwarding yes
	AllowAgentForwarding yes
	X11Forwarding no
	PrintMotd no
	Subsystem sftp $subsystem
	CONF

	: >"$SH_TMP/$name.log"
	LD_PRELOAD=$(sh_pam_wrapper_path) PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$stack" PAM_WRAPPER_DEBUGLEVEL=2 \
		/usr/sbin/sshd -D -e -f "$dir/sshd_config" \
		>"$SH_TMP/$name.log" 2>&1 </dev/null &
	sh_defer "kill $! 2>/dev/null; wait $! 2>/dev/null"

	for ((i = 0; i < 100; i++)); do
		grep -q 'Server listening' "$SH_TMP/$name.log" && break
		sleep 0.05
	done
	grep -q 'Server listening' "$SH_TMP/$name.log" ||
		sh_die_skip "sshd $name did not start: $(tail -3 "$SH_TMP/$name.log")"
	printf -v "PORT_${name}" '%s' "$port"
}

start_sshd ref "$SH_TMP/pam-ref" /usr/lib/openssh/sftp-server
start_sshd child "$SH_TMP/pam-child" /usr/lib/openssh/sftp-server
start_sshd internal "$SH_TMP/pam-child" internal-sftp

SSH_OPTS=(-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i "$KEY")

#
# ssh_to SERVER USER [SSH OPTIONS...] [-- REMOTE COMMAND...]: run ssh
# against one of the servers.
#
ssh_to() {
	local server=$1
	local user=$2
	local port_var=PORT_$server
	local -a options=()

	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		options+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	timeout 60 ssh "${SSH_OPTS[@]}" -p "${!port_var}" "${options[@]}" \
		"$user@127.0.0.1" "$@"
}

# ------------------------------------------------------------------------
# Logs

# log_mark SERVER: the number of lines its log has now.
log_mark() {
	wc -l <"$SH_TMP/$1.log"
}

# log_since SERVER MARK: the pam_syslog lines written after MARK.
log_since() {
	tail -n "+$(($2 + 1))" "$SH_TMP/$1.log" | grep 'SYSLOG('
}

#
# log_wait SERVER MARK PATTERN: wait up to 10 s for a pam_syslog line
# matching PATTERN after MARK (the monitor closes the session after the
# client is gone).
#
log_wait() {
	local i

	for ((i = 0; i < 100; i++)); do
		log_since "$1" "$2" | grep -q -- "$3" && return 0
		sleep 0.1
	done
	return 1
}

#
# check_log CASE SERVER MARK USER PROFILE: one line naming the user and the
# profile and where it was enforced, the close logged, no LOG_ERR line.
# The module enforces in the network child when the profile has
# no_new_privs (or a filter that waits for it).  A profile without either
# (baseline: its filter is loaded at open) is enforced at open, and an
# unconfined one nowhere.  Neither keeps state, so only pam_unix logs their
# close.
#
check_log() {
	local name=$1
	local server=$2
	local mark=$3
	local user=$4
	local profile=$5
	local where='enforced in child pid [0-9]* at pam_setcred'
	local closed="SYSLOG(6): user \"$user\" service \"sshd\": session closed"
	local log count

	case $profile in
	unconfined)
		where='enforced nowhere: nothing to apply'
		closed="SYSLOG(6): session closed for user $user\$" ;;
	baseline)
		where='enforced at open in the calling process'
		closed="SYSLOG(6): session closed for user $user\$" ;;
	esac
	if ! log_wait "$server" "$mark" "$closed"; then
		sh_fail "$name" "the close was not logged" \
			"log:" "$(log_since "$server" "$mark")"
		return 1
	fi
	log=$(log_since "$server" "$mark")
	count=$(grep -c "SYSLOG(6): user \"$user\" service \"sshd\": profile \"$profile\" .*; $where" <<<"$log")
	if [ "$count" -ne 1 ]; then
		sh_fail "$name" "expected one line '$where' for $user/$profile, found $count" \
			"log:" "$log"
		return 1
	fi
	if grep -q 'SYSLOG([0-3])' <<<"$log"; then
		sh_fail "$name" "error lines logged:" "$(grep 'SYSLOG([0-3])' <<<"$log")"
		return 1
	fi
	if ! grep -q "session closed for user $user\$" <<<"$log"; then
		sh_fail "$name" "pam_unix did not log the close" "log:" "$log"
		return 1
	fi
	sh_pass "$name"
}

#
# check_processes CASE REPORT USER PROFILE: the shell carries the profile's
# no_new_privs and seccomp mode, and so does the network child, where
# enforce=child applies them before it drops to the user.  The monitor,
# which closes the session as root, never gets no_new_privs.  It gets no
# filter either, except for a profile without no_new_privs (baseline): the
# child could not load that filter after dropping root, so the module loads
# it at open, in the monitor, and logs "(loaded at open)".
#
check_processes() {
	local name=$1
	local report=$2
	local user=$3
	local profile=$4
	local monitor_seccomp=0
	local key self parent monitor

	[ "$profile" = baseline ] && monitor_seccomp=2
	monitor=$(sh_report_value "$report" monitor NoNewPrivs)
	if [ "$monitor" != 0 ]; then
		sh_fail "$name" "sshd monitor NoNewPrivs '$monitor', expected 0"
		return 1
	fi
	monitor=$(sh_report_value "$report" monitor Seccomp)
	if [ "$monitor" != "$monitor_seccomp" ]; then
		sh_fail "$name" "sshd monitor Seccomp '$monitor', expected $monitor_seccomp"
		return 1
	fi

	for key in NoNewPrivs Seccomp; do
		self=$(sh_report_value "$report" self "$key")
		parent=$(sh_report_value "$report" parent "$key")
		if [ "$profile" = unconfined ] && [ "$self" != 0 ]; then
			sh_fail "$name" "unconfined shell has $key $self"
			return 1
		fi
		if [ "$profile" != unconfined ] && [ "$parent" != "$self" ]; then
			sh_fail "$name" "network child $key '$parent', shell '$self'"
			return 1
		fi
	done
	sh_pass "$name"
}

check_status() {
	local name=$1
	local status=$2
	local report=$3

	if [ "$status" -eq 7 ]; then
		sh_pass "$name"
		return 0
	fi
	sh_fail "$name" "expected exit status 7, got $status" "output:" \
		"$(tail -20 "$report")"
	return 1
}

#
# check_gone CASE USER: no process of USER is left within 5 s of the
# disconnect, and wtmp shows the login as ended.
#
check_gone() {
	local name=$1
	local user=$2
	local i

	for ((i = 0; i < 50; i++)); do
		pgrep -u "$user" >/dev/null || break
		sleep 0.1
	done
	if pgrep -u "$user" >/dev/null; then
		sh_fail "$name: no processes left" "$(pgrep -a -u "$user")"
	else
		sh_pass "$name: no processes left"
	fi
}

# check_wtmp CASE USER: the latest wtmp login of USER has a logout time.
check_wtmp() {
	local name=$1
	local user=$2
	local line i

	for ((i = 0; i < 50; i++)); do
		line=$(last -w -f /var/log/wtmp "$user" | head -1)
		case $line in
		*"still logged in"* | "") sleep 0.1 ;;
		*) break ;;
		esac
	done
	case $line in
	"$user "*" - "*)
		sh_pass "$name: wtmp login and logout" ;;
	*)
		sh_fail "$name: wtmp login and logout" \
			"last shows: '${line:-nothing}'" ;;
	esac
}

# ------------------------------------------------------------------------
# Cases

# A login shell on a pty that executes the session command, as a user
# typing it would.
run_pty() {
	printf 'exec %s\n' "$SESSION" | ssh_to "$1" "$2" -tt
}

run_command() {
	ssh_to "$1" "$2" -T -- "$SESSION" </dev/null
}

#
# session_case LABEL RUNNER USER: a reference run through the sshd without
# the module, then the same through the sshd with it, and every check.
#
session_case() {
	local label=$1
	local runner=$2
	local user=$3
	local profile report reference mark status

	profile=$(profile_of "$user")
	label="$label $user ($profile)"
	reference=$SH_TMP/report.ref
	report=$SH_TMP/report

	"$runner" ref "$user" >"$reference" 2>&1
	mark=$(log_mark child)
	"$runner" child "$user" >"$report" 2>&1
	status=$?

	check_status "$label: exit status" "$status" "$report" || return 1
	if [ "$profile" != closed ]; then
		sh_check_session "$label: shell confinement" "$profile" \
			"$reference" "$report"
	fi
	check_processes "$label: sshd processes" "$report" "$user" "$profile"
	check_log "$label: log" child "$mark" "$user" "$profile"
}

for user in "$SH_USER_NAMED" "$SH_USER_GROUPED" "$SH_USER_DEFAULT" \
	"$SH_USER_UNCONFINED"; do
	session_case "ssh -tt login shell" run_pty "$user"
	session_case "ssh command" run_command "$user"
done
check_gone "ssh disconnect $SH_USER_NAMED" "$SH_USER_NAMED"
check_wtmp "ssh disconnect $SH_USER_NAMED" "$SH_USER_NAMED"
session_case "ssh -tt login shell" run_pty root

# --- sftp and scp, both ways, through sftp-server and internal-sftp ---

# transfer_case SERVER USER: sftp and scp, upload and download, each file
# compared with its source, and one enforcement per connection.
transfer_case() {
	local server=$1
	local user=$2
	local home dir mark

	home=$(getent passwd "$user" | cut -d: -f6)
	dir=$SH_TMP/transfer-$server
	mkdir -p "$dir"
	head -c 65536 /dev/urandom >"$dir/up"
	printf 'from %s %s\n' "$user" "$server" >"$home/down"
	chown "$user:" "$home/down"

	mark=$(log_mark "$server")
	printf 'put %s sftp-up\nget down %s\n' "$dir/up" "$dir/sftp-down" |
		timeout 60 sftp "${SSH_OPTS[@]}" -P "$(eval echo "\$PORT_$server")" \
			-b - "$user@127.0.0.1" >"$dir/sftp.out" 2>&1
	if cmp -s "$dir/up" "$home/sftp-up" && cmp -s "$home/down" "$dir/sftp-down"; then
		sh_pass "sftp both ways ($server)"
	else
		sh_fail "sftp both ways ($server)" "$(cat "$dir/sftp.out")"
	fi
	check_log "sftp ($server): log" "$server" "$mark" "$user" tenant

	mark=$(log_mark "$server")
	timeout 60 scp "${SSH_OPTS[@]}" -P "$(eval echo "\$PORT_$server")" \
		"$dir/up" "$user@127.0.0.1:scp-up" >"$dir/scp.out" 2>&1 &&
		timeout 60 scp "${SSH_OPTS[@]}" -P "$(eval echo "\$PORT_$server")" \
			"$user@127.0.0.1:down" "$dir/scp-down" >>"$dir/scp.out" 2>&1
	if cmp -s "$dir/up" "$home/scp-up" && cmp -s "$home/down" "$dir/scp-down"; then
		sh_pass "scp both ways ($server)"
	else
		sh_fail "scp both ways ($server)" "$(cat "$dir/scp.out")"
	fi
	if log_wait "$server" "$mark" 'session closed' &&
		[ "$(log_since "$server" "$mark" | grep -c 'at pam_setcred')" -eq 2 ] &&
		! log_since "$server" "$mark" | grep -q 'SYSLOG([0-3])'; then
		sh_pass "scp ($server): each connection enforced, no errors"
	else
		sh_fail "scp ($server): each connection enforced, no errors" \
			"log:" "$(log_since "$server" "$mark")"
	fi

	rm -f "$home/sftp-up" "$home/scp-up" "$home/down"
}

transfer_case child "$SH_USER_NAMED"
transfer_case internal "$SH_USER_NAMED"

# --- a second channel in the same connection ---

control=$SH_TMP/control
mark=$(log_mark child)
ssh_to child "$SH_USER_NAMED" -o ControlMaster=yes -o ControlPath="$control" \
	-f -N
ssh_to child "$SH_USER_NAMED" -o ControlPath="$control" -T -- "$SESSION" \
	</dev/null >"$SH_TMP/report.1" 2>&1
status1=$?
ssh_to child "$SH_USER_NAMED" -o ControlPath="$control" -T -- "$SESSION" \
	</dev/null >"$SH_TMP/report.2" 2>&1
status2=$?
if [ "$status1" -eq 7 ] && [ "$status2" -eq 7 ] &&
	[ "$(sh_report_value "$SH_TMP/report.1" self NoNewPrivs)" = 1 ] &&
	[ "$(sh_report_value "$SH_TMP/report.2" self NoNewPrivs)" = 1 ] &&
	[ "$(sh_report_value "$SH_TMP/report.2" self Seccomp)" = 2 ]; then
	sh_pass "second channel: both sessions confined"
else
	sh_fail "second channel: both sessions confined" \
		"exit status $status1 and $status2" "$(cat "$SH_TMP/report.2")"
fi
ssh_to child "$SH_USER_NAMED" -o ControlPath="$control" -O exit 2>/dev/null
check_log "second channel: one PAM session, one enforcement" child "$mark" \
	"$SH_USER_NAMED" tenant

# --- local port forwarding ---

web=$SH_TMP/web
mkdir -p "$web"
token=forward-$RANDOM$RANDOM
printf '%s\n' "$token" >"$web/token"
web_port=$(free_port)
(cd "$web" && exec python3 -m http.server --bind 127.0.0.1 "$web_port") \
	>/dev/null 2>&1 &
web_pid=$!
sh_defer "kill $web_pid 2>/dev/null"

#
# forward_case USER EXPECT: forward a local port through sshd to the web
# server; EXPECT is "allowed" (the token comes back) or "refused".
#
forward_case() {
	local user=$1
	local expect=$2
	local profile local_port ssh_pid got i

	profile=$(profile_of "$user")
	local_port=$(free_port)
	# ssh itself in the background, so that killing $! ends the client.
	# shellcheck disable=SC2154 # start_sshd sets PORT_child
	ssh "${SSH_OPTS[@]}" -p "$PORT_child" -N \
		-L "$local_port:127.0.0.1:$web_port" "$user@127.0.0.1" &
	ssh_pid=$!
	for ((i = 0; i < 100; i++)); do
		curl -s -o /dev/null "http://127.0.0.1:$local_port/" 2>/dev/null
		[ $? -ne 7 ] && break
		sleep 0.1
	done
	got=$(curl -s -m 5 "http://127.0.0.1:$local_port/token" 2>&1)
	kill "$ssh_pid" 2>/dev/null
	wait "$ssh_pid" 2>/dev/null

	if [ "$expect" = allowed ] && [ "$got" = "$token" ]; then
		sh_pass "port forwarding allowed ($profile)"
	elif [ "$expect" = refused ] && [ "$got" != "$token" ]; then
		sh_pass "port forwarding refused ($profile)"
	else
		sh_fail "port forwarding $expect ($profile)" "curl returned '$got'"
	fi
}

for ((i = 0; i < 50; i++)); do
	curl -s -o /dev/null "http://127.0.0.1:$web_port/" && break
	sleep 0.1
done
forward_case "$SH_USER_NAMED" allowed
forward_case "$USER_CLOSED" refused

# --- agent forwarding ---

agent_socket=$SH_TMP/agent.sock
eval "$(ssh-agent -a "$agent_socket" -s)" >/dev/null
sh_defer "SSH_AGENT_PID=$SSH_AGENT_PID ssh-agent -k >/dev/null 2>&1"
ssh-add -q "$KEY" 2>/dev/null

agent_case() {
	local user=$1
	local expect=$2
	local profile output

	profile=$(profile_of "$user")
	output=$(SSH_AUTH_SOCK=$agent_socket ssh_to child "$user" -A -T -- \
		'ssh-add -l; echo "status $?"' </dev/null 2>&1)
	if [ "$expect" = allowed ] && grep -q 'sechard-test' <<<"$output" &&
		grep -q 'status 0' <<<"$output"; then
		sh_pass "agent forwarding allowed ($profile)"
	elif [ "$expect" = refused ] && grep -q 'status 2' <<<"$output"; then
		sh_pass "agent forwarding refused ($profile)"
	else
		sh_fail "agent forwarding $expect ($profile)" "$output"
	fi
}

agent_case "$SH_USER_NAMED" allowed
agent_case "$USER_CLOSED" refused

# The closed profile's session itself still works and is confined.
session_case "ssh command" run_command "$USER_CLOSED"

check_gone "all connections closed $USER_CLOSED" "$USER_CLOSED"

sh_finish
