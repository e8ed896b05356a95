#!/bin/bash
# Module tests through the real libpam, with pam_wrapper pointing it at a
# test PAM stack.  No root needed; cases that need root (dropping
# capabilities, accounts whose names useradd rejects) skip without it.
#
# pam_wrapper prints the module's pam_syslog() lines on stderr as
# "SYSLOG(PRIORITY): message", which is how the log lines are checked.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
module=$top/build/pam_sechard.so
pam_open=$top/build/tests/pam_open
wrapper=$(ls /usr/lib/*/libpam_wrapper.so 2>/dev/null | head -n 1)

passed=0
failed=0
skipped=0

if [ ! -x "$pam_open" ] || [ ! -e "$module" ]; then
	echo "SKIP: build first (make tests)"
	exit 77
fi
if [ -z "$wrapper" ]; then
	echo "SKIP: libpam_wrapper.so not installed (Debian package libpam-wrapper)"
	exit 77
fi

work=$(mktemp -d /tmp/sechard-module.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

if [ "$(id -u)" = 0 ]; then
	user=nobody
else
	user=$(id -un)
fi

pass() {
	passed=$((passed + 1))
	echo "PASS $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
	shift
	printf '     %s\n' "$@"
	printf '     output: %s\n' "$(tr '\n' '|' <"$work/out")"
	printf '     log: %s\n' "$(tr '\n' '|' <"$work/log")"
}

skip() {
	skipped=$((skipped + 1))
	echo "SKIP $1: $2"
}

# A configuration file with the given text, safe to load: a 0644 file in a
# 0755 folder owned by the caller.
config() {
	local name=$1

	mkdir -p "$work/conf"
	chmod 0755 "$work/conf"
	cat >"$work/conf/$name"
	chmod 0644 "$work/conf/$name"
	printf '%s\n' "$work/conf/$name"
}

good_config() {
	config good.conf <<EOF
[global]
default = plain

[users]
unconfined = root

[profile plain]
caps = all
no_new_privs = yes
seccomp = denylist
seccomp_deny = ptrace, @mount
EOF
}

# session ARGS [pam_open options...] USER: runs one session through a stack
# whose session line carries ARGS.  Sets rc; stdout goes to $work/out and
# the module's log lines to $work/log.
session() {
	local args=$1
	shift

	mkdir -p "$work/pam"
	cat >"$work/pam/sechard-test" <<EOF
auth optional $module
account required pam_permit.so
session required $module $args
EOF
	LD_PRELOAD=$wrapper PAM_WRAPPER=1 PAM_WRAPPER_DEBUGLEVEL=3 \
		PAM_WRAPPER_SERVICE_DIR=$work/pam \
		"$pam_open" "${@:1:$#-1}" sechard-test "${@: -1}" \
		>"$work/out" 2>"$work/stderr"
	rc=$?
	grep -o 'SYSLOG([0-9]*): .*' "$work/stderr" |
		grep -v '_pam_init_handlers' >"$work/log" || true
}

value() {
	awk -v who="$1" -v key="$2:" '$1 == who && $2 == key { print $3 }' \
		"$work/out"
}

logged() {
	grep -qF -- "$1" "$work/log"
}

# refused CASE REASON: the session was refused with one LOG_ERR line that
# contains REASON, and the caller was left unconfined.
refused() {
	local name=$1
	local reason=$2

	if [ "$rc" != 1 ]; then
		fail "$name" "expected the session to be refused, pam_open exit $rc"
	elif ! grep -F -- "$reason" "$work/log" | grep -q '^SYSLOG(3)'; then
		fail "$name" "no LOG_ERR line with: $reason"
	elif [ "$(grep -c '^SYSLOG(3)' "$work/log")" != 1 ]; then
		fail "$name" "expected exactly one LOG_ERR line"
	elif [ "$(value parent NoNewPrivs)" != 0 ] ||
		[ "$(value parent Seccomp)" != 0 ]; then
		fail "$name" "a refused session changed the caller"
	else
		pass "$name"
	fi
}

# bad CASE REASON LINE: a configuration read from stdin is refused with
# REASON on line LINE of that file.
bad() {
	local name=$1
	local reason=$2
	local line=$3
	local file location

	file=$(config "bad-$RANDOM.conf")
	session "config=$file enforce=open" "$user"
	if [ "$line" = 0 ]; then
		location="$file: "
	else
		location="$file:$line: "
	fi
	refused "bad config: $name" "$location" &&
		{ logged "$reason" || fail "bad config: $name (reason)" "missing: $reason"; }
}

if [ -n "${SECHARD_MODULE_NS:-}" ]; then
	# Re-run inside the namespace: only the root cases, counts go back.

	cp /etc/passwd "$work/passwd"
	cp /etc/group "$work/group"
	echo "Shcase:x:64001:64001::/nonexistent:/usr/sbin/nologin" >>"$work/passwd"
	echo "shcase:x:64002:64002::/nonexistent:/usr/sbin/nologin" >>"$work/passwd"
	echo "Shcase:x:64001:" >>"$work/group"
	echo "shcase:x:64002:" >>"$work/group"
	echo "Domain Users:x:64003:shcase" >>"$work/group"
	mount --bind "$work/passwd" /etc/passwd
	mount --bind "$work/group" /etc/group

	names=$(config names.conf <<'EOF'
[global]
default = plain
[users]
strict = Shcase
[groups]
spaced = Domain Users
[profile plain]
caps = all
[profile strict]
caps =
no_new_privs = yes
[profile spaced]
caps = cap_chown, cap_kill
EOF
)
	session "config=$names" --child pam_end Shcase
	if [ "$rc" = 0 ] && [ "$(value child CapBnd)" = 0000000000000000 ] &&
		[ "$(value child NoNewPrivs)" = 1 ] && logged 'profile "strict"'; then
		pass "empty caps keeps none"
	else
		fail "empty caps keeps none"
	fi

	session "config=$names" --child pam_end shcase
	if [ "$rc" = 0 ] && logged 'profile "spaced"' &&
		[ "$(value child CapBnd)" = 0000000000000021 ]; then
		pass "exact user names: shcase does not get Shcase's profile"
		pass "group name with a space matches"
	else
		fail "exact user names and spaced group" \
			"expected profile spaced, CapBnd 0000000000000021"
	fi

	echo "$passed $failed $skipped" >"$SECHARD_MODULE_COUNTS"
	exit 0
fi


#
# Arguments, enforcement points and log lines
#
file=$(good_config)

session "config=$file enforce=open" "$user"
if [ "$rc" = 0 ] && [ "$(value parent NoNewPrivs)" = 1 ] &&
	[ "$(value parent Seccomp)" = 2 ] &&
	logged "profile \"plain\" (default)" && logged "enforced at open"; then
	pass "enforce=open confines the caller"
else
	fail "enforce=open confines the caller"
fi

session "config=$file" --child pam_end "$user"
if [ "$rc" = 0 ] && [ "$(value parent NoNewPrivs)" = 0 ] &&
	[ "$(value parent Seccomp)" = 0 ] &&
	[ "$(value child NoNewPrivs)" = 1 ] &&
	[ "$(value child Seccomp)" = 2 ] &&
	logged "at pam_end" && ! grep -q '^SYSLOG(3)' "$work/log"; then
	pass "enforce=child at pam_end, parent unconfined"
else
	fail "enforce=child at pam_end, parent unconfined"
fi

session "config=$file enforce=child" --child setcred "$user"
if [ "$rc" = 0 ] && [ "$(value parent Seccomp)" = 0 ] &&
	[ "$(value child NoNewPrivs)" = 1 ] &&
	[ "$(value child Seccomp)" = 2 ] && logged "at pam_setcred"; then
	pass "enforce=child at pam_setcred"
else
	fail "enforce=child at pam_setcred"
fi

session "config=$file" --child none "$user"
if [ "$rc" = 0 ] && [ "$(value child Seccomp)" = 0 ] &&
	grep '^SYSLOG(3)' "$work/log" | grep -qF "was never enforced"; then
	pass "missing child hook logged at LOG_ERR"
else
	fail "missing child hook logged at LOG_ERR"
fi

isolated=$(config isolated.conf <<'EOF'
[global]
default = isolated

[users]
unconfined = root

[profile isolated]
no_new_privs = yes
isolate_ptrace = yes
seccomp = denylist
seccomp_deny = acct
EOF
)
session "config=$isolated" --child none "$user"
if [ "$rc" = 0 ] &&
	grep '^SYSLOG(3)' "$work/log" | grep -qF "was never enforced" &&
	grep '^SYSLOG(3)' "$work/log" |
	grep -qF "without no_new_privs, the ptrace isolation and the seccomp filter"; then
	pass "missing child hook names every control it missed"
else
	fail "missing child hook names every control it missed"
fi

session "config=$file debug" --child pam_end "$user"
if [ "$rc" = 0 ] && grep '^SYSLOG(7)' "$work/log" | grep -qF "armed"; then
	pass "debug argument logs at LOG_DEBUG"
else
	fail "debug argument logs at LOG_DEBUG"
fi

session "config=$file" --child pam_end "$user"
if logged "session closed"; then
	pass "close_session logs the close"
else
	fail "close_session logs the close"
fi

session "config=$file enforce=sometimes" "$user"
refused "invalid enforce= value" 'invalid module argument "enforce=sometimes"'

session "config=$file bogus" "$user"
refused "unknown argument" 'invalid module argument "bogus"'

session "config=$file enforce=open enforce=child" "$user"
refused "repeated enforce= argument" 'repeats an earlier config= or enforce='

session "config=$file config=$file" "$user"
refused "repeated config= argument" 'repeats an earlier config= or enforce='

# A typo in a PAM stack must not lock the host out: root still gets in.
session "config=$file enforce=opn" root
if [ "$rc" = 0 ] && [ "$(value parent Seccomp)" = 0 ] &&
	grep '^SYSLOG(3)' "$work/log" |
	grep -F 'invalid module argument "enforce=opn"' |
	grep -qF "letting root in unconfined"; then
	pass "mistyped argument: root still logs in, logged at LOG_ERR"
else
	fail "mistyped argument: root still logs in, logged at LOG_ERR"
fi

session "norescue config=$file enforce=opn" root
refused "mistyped argument with norescue first: root refused" \
	'invalid module argument "enforce=opn"'

session "config=$file" root
if [ "$rc" = 0 ] && [ "$(value parent Seccomp)" = 0 ] &&
	logged 'profile "unconfined"'; then
	pass "user mapped to unconfined gets nothing"
else
	fail "user mapped to unconfined gets nothing"
fi

#
# Unsafe or missing files
#
session "config=$work/conf/missing.conf enforce=open" "$user"
refused "missing file" "cannot open: No such file or directory"

ln -s "$file" "$work/conf/link.conf"
session "config=$work/conf/link.conf enforce=open" "$user"
refused "symlink" "is a symlink"

cp "$file" "$work/conf/group-writable.conf"
chmod 0664 "$work/conf/group-writable.conf"
session "config=$work/conf/group-writable.conf enforce=open" "$user"
refused "group-writable file" "writable by group or others (mode 0664)"

cp "$file" "$work/conf/world-writable.conf"
chmod 0646 "$work/conf/world-writable.conf"
session "config=$work/conf/world-writable.conf enforce=open" "$user"
refused "world-writable file" "writable by group or others (mode 0646)"

mkdir "$work/open-folder"
cp "$file" "$work/open-folder/sechard.conf"
chmod 0775 "$work/open-folder"
session "config=$work/open-folder/sechard.conf enforce=open" "$user"
refused "group-writable folder" "unsafe folder $work/open-folder: writable by group or others (mode 0775)"

session "config=relative.conf enforce=open" "$user"
refused "relative path" "path must be absolute"

if [ "$(id -u)" = 0 ]; then
	cp "$file" "$work/conf/foreign.conf"
	chown 65534 "$work/conf/foreign.conf"
	session "config=$work/conf/foreign.conf enforce=open" "$user"
	refused "file not owned by root" "owned by uid 65534, not root"
else
	skip "file not owned by root" "needs root to give the file away"
fi

# Unreadable: root reads everything, so the session runs as nobody with a
# file nobody owns but may not read.
cp "$file" "$work/conf/unreadable.conf"
chmod 0000 "$work/conf/unreadable.conf"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$work/conf/unreadable.conf"
	mkdir -p "$work/pam"
	cat >"$work/pam/sechard-test" <<EOF
account required pam_permit.so
session required $module config=$work/conf/unreadable.conf enforce=open
EOF
	setpriv --reuid=65534 --regid=65534 --clear-groups env \
		LD_PRELOAD="$wrapper" PAM_WRAPPER=1 PAM_WRAPPER_DEBUGLEVEL=3 \
		PAM_WRAPPER_SERVICE_DIR="$work/pam" \
		"$pam_open" sechard-test nobody >"$work/out" 2>"$work/stderr"
	rc=$?
	grep -o 'SYSLOG([0-9]*): .*' "$work/stderr" |
		grep -v '_pam_init_handlers' >"$work/log" || true
else
	session "config=$work/conf/unreadable.conf enforce=open" "$user"
fi
refused "unreadable file" "cannot open: Permission denied"

#
# Invalid content: each is refused with its file, line and reason
#
bad "syntax error" "syntax error" 3 <<'EOF'
[global]
default = unconfined
this line has no equals sign
EOF

long=$(printf 'x%.0s' $(seq 1 1100))
bad "over-long line" "line longer than 1023 characters" 3 <<EOF
[global]
default = unconfined
; $long
EOF

bad "unknown key" 'unknown key in profile "p"' 5 <<'EOF'
[global]
default = p
[profile p]
caps = all
colour = blue
EOF

bad "duplicated key" "duplicated key: first set on line 4" 5 <<'EOF'
[global]
default = p
[profile p]
caps = all
caps = cap_chown
EOF

bad "unknown section" "unknown section" 3 <<'EOF'
[global]
default = unconfined
[profiles x]
caps = all
EOF

bad "upper-case section" "section names must be lower case" 3 <<'EOF'
[global]
default = unconfined
[profile Tenant]
caps = all
EOF

bad "unknown default profile" 'unknown profile "nosuch"' 2 <<'EOF'
[global]
default = nosuch
EOF

bad "mapping to unknown profile" 'unknown profile "nosuch"' 4 <<'EOF'
[global]
default = unconfined
[users]
nosuch = root
EOF

bad "profile building on itself" 'profile "a" builds on itself' 4 <<'EOF'
[global]
default = a
[profile a]
inherit = a
EOF

bad "inherit loop" "builds on itself" 4 <<'EOF'
[global]
default = a
[profile a]
inherit = b
[profile b]
inherit = a
EOF

bad "unknown capability" 'unknown capability "cap_bogus"' 4 <<'EOF'
[global]
default = p
[profile p]
caps = cap_chown, cap_bogus
EOF

bad "unknown syscall" 'unknown syscall "nosuchcall"' 5 <<'EOF'
[global]
default = p
[profile p]
seccomp = denylist
seccomp_deny = ptrace, nosuchcall
EOF

bad "unknown syscall group" 'unknown' 5 <<'EOF'
[global]
default = p
[profile p]
seccomp = denylist
seccomp_deny = @nosuchgroup
EOF

bad "unknown group in mapping" 'unknown group "sechard-no-such-group"' 4 <<'EOF'
[global]
default = unconfined
[groups]
unconfined = sechard-no-such-group
EOF

bad "user mapped twice" 'is already mapped' 5 <<'EOF'
[global]
default = unconfined
[users]
unconfined = root
p = root
[profile p]
caps = all
EOF

bad "invalid boolean" 'invalid value "maybe": use yes or no' 4 <<'EOF'
[global]
default = p
[profile p]
no_new_privs = maybe
EOF

bad "rules without a filter" '"seccomp" is off' 4 <<'EOF'
[global]
default = p
[profile p]
seccomp_deny = ptrace
EOF

bad "seccomp keys beside seccomp_oci" "not allowed beside seccomp_oci" 5 <<'EOF'
[global]
default = p
[profile p]
seccomp_oci = /nonexistent/profile.json
seccomp_errno = EACCES
EOF

bad "missing default" "missing key: [global] default" 0 <<'EOF'
[users]
unconfined = root
EOF

if [ ! -e /sys/fs/selinux/enforce ]; then
	bad "SELinux context without SELinux" "SELinux is not enabled" 4 <<'EOF'
[global]
default = p
[profile p]
selinux_exec_context = user_u:user_r:user_t:s0
EOF
else
	skip "SELinux context without SELinux" "SELinux is enabled here"
fi

if [ ! -e /sys/kernel/security/apparmor ]; then
	bad "AppArmor profile without AppArmor" "AppArmor is not enabled" 4 <<'EOF'
[global]
default = p
[profile p]
apparmor_exec_profile = tenant-shell
EOF
else
	skip "AppArmor profile without AppArmor" "AppArmor is enabled here"
fi

#
# Root stays able to log in when the configuration is broken
#
broken=$(config broken.conf <<'EOF'
[global]
default = nosuch
EOF
)
session "config=$broken enforce=open" root
if [ "$rc" = 0 ] && [ "$(value parent Seccomp)" = 0 ] &&
	grep '^SYSLOG(3)' "$work/log" | grep -qF "letting root in unconfined"; then
	pass "broken config: root still logs in, logged at LOG_ERR"
else
	fail "broken config: root still logs in, logged at LOG_ERR"
fi

session "config=$broken enforce=open norescue" root
refused "broken config with norescue: root refused too" 'unknown profile "nosuch"'

session "config=$broken enforce=open" "$user"
[ "$user" = root ] || refused "broken config: other users refused" 'unknown profile "nosuch"'

#
# Cases that need root: dropping capabilities, and account names that
# useradd and groupadd reject, served from private copies of /etc/passwd
# and /etc/group bind-mounted in a mount namespace so /etc is not touched.
#
if [ "$(id -u)" != 0 ]; then
	skip "empty caps keeps none" "needs root to drop capabilities"
	skip "exact user names" "needs root for a private passwd file"
	skip "group name with a space" "needs root for a private group file"
elif [ -z "${SECHARD_MODULE_NS:-}" ]; then
	SECHARD_MODULE_NS=1 SECHARD_MODULE_COUNTS=$work/counts \
		unshare --mount --propagation private "$0"
	ns_rc=$?
	if [ -r "$work/counts" ]; then
		read -r ns_passed ns_failed ns_skipped <"$work/counts"
		passed=$((passed + ns_passed))
		failed=$((failed + ns_failed))
		skipped=$((skipped + ns_skipped))
	else
		fail "root cases" "namespace run exited $ns_rc without results"
	fi
fi

echo "module.sh: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
