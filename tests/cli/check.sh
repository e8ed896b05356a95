#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sechard check: the shipped configuration passes, and every broken
# configuration fails with "FILE:LINE: error:" followed by the reason the
# PAM module logs for the same file (obtained through pamtester and
# pam_wrapper).  Runs as any user: the library accepts files owned by the
# effective user.

. "$(dirname "$0")/lib.sh"

cli_init

# The user the module comparison opens sessions for; not root, because the
# module lets root in unconfined when the configuration is broken.
SESSION_USER=nobody

# A small valid profile, the base of each broken case.
good_profile() {
	cat <<-'CONF'
	[global]
	default = p

	[profile p]
	caps =
	no_new_privs = yes
	seccomp = denylist
	seccomp_deny = ptrace
	CONF
}

# --- the shipped configuration -------------------------------------------

shipped=$CLI_TMP/shipped/sechard.conf
mkdir -m 0755 "$CLI_TMP/shipped"
cli_config_write "$shipped" <"$CLI_SHIPPED_CONFIG"
output=$("$SECHARD" check --config "$shipped" 2>&1)
status=$?
if [ "$status" -eq 0 ] && ! grep -q ': error:' <<<"$output"; then
	cli_pass "check shipped configuration"
else
	cli_fail "check shipped configuration" "exit status $status" "$output"
fi

json=$("$SECHARD" check --json --config "$shipped")
if python3 -m json.tool <<<"$json" >/dev/null &&
	python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["valid"] is True and d["errors"] == [] else 1)' <<<"$json"; then
	cli_pass "check --json shipped configuration"
else
	cli_fail "check --json shipped configuration" "$json"
fi

# Empty caps keep nothing and are valid.
empty_caps=$CLI_TMP/empty-caps.conf
good_profile | cli_config_write "$empty_caps"
if output=$("$SECHARD" check --config "$empty_caps" 2>&1); then
	cli_pass "check empty caps accepted"
else
	cli_fail "check empty caps accepted" "$output"
fi

# --- broken configurations -----------------------------------------------

mkdir -m 0755 "$CLI_TMP/bad"

# make_case NAME: write the case's configuration and print its path.
make_case() {
	local path=$CLI_TMP/bad/$1.conf

	case $1 in
	missing-file)
		path=$CLI_TMP/bad/no-such-file.conf
		;;
	symlink)
		good_profile | cli_config_write "$CLI_TMP/bad/target.conf"
		ln -s "$CLI_TMP/bad/target.conf" "$path"
		;;
	group-writable-file)
		good_profile | cli_config_write "$path"
		chmod 0664 "$path"
		;;
	group-writable-folder)
		mkdir -m 0775 "$CLI_TMP/bad/open-folder"
		chmod 0775 "$CLI_TMP/bad/open-folder"
		path=$CLI_TMP/bad/open-folder/sechard.conf
		good_profile | cli_config_write "$path"
		;;
	syntax-error)
		{ good_profile; echo 'this line is not ini'; } |
			cli_config_write "$path"
		;;
	long-line)
		{ good_profile; printf '; %01100d\n' 0; } |
			cli_config_write "$path"
		;;
	unknown-key)
		{ good_profile; echo 'no_such_key = 1'; } |
			cli_config_write "$path"
		;;
	duplicated-key)
		{ good_profile; echo 'caps = cap_chown'; } |
			cli_config_write "$path"
		;;
	unknown-profile)
		good_profile | sed 's/^default = p$/default = nosuchprofile/' |
			cli_config_write "$path"
		;;
	inherit-loop)
		{
			good_profile
			printf 'inherit = q\n\n[profile q]\ninherit = p\n'
		} | cli_config_write "$path"
		;;
	unknown-capability)
		good_profile | sed 's/^caps =$/caps = cap_no_such_thing/' |
			cli_config_write "$path"
		;;
	unknown-syscall)
		good_profile |
			sed 's/^seccomp_deny = ptrace$/seccomp_deny = no_such_syscall/' |
			cli_config_write "$path"
		;;
	unknown-group)
		good_profile |
			sed 's/^seccomp_deny = ptrace$/seccomp_deny = @no-such-group/' |
			cli_config_write "$path"
		;;
	isolate-without-nnp)
		good_profile |
			sed 's/^no_new_privs = yes$/no_new_privs = no\nisolate_ptrace = yes/' |
			cli_config_write "$path"
		;;
	esac
	printf '%s\n' "$path"
}

cases="missing-file symlink group-writable-file group-writable-folder
syntax-error long-line unknown-key duplicated-key unknown-profile
inherit-loop unknown-capability unknown-syscall unknown-group
isolate-without-nnp"

if cli_have_pamtester; then
	compare_module=1
else
	compare_module=0
	cli_skip "module log comparison" "pamtester or pam_wrapper not installed"
fi

for name in $cases; do
	config=$(make_case "$name")
	output=$("$SECHARD" check --config "$config" 2>&1)
	status=$?
	error=$(grep -m1 ': error: ' <<<"$output")

	if [ "$status" -ne 1 ]; then
		cli_fail "check $name: exit status" \
			"expected 1, got $status" "$output"
		continue
	fi
	if ! grep -q "^$config\(:[0-9][0-9]*\)\?: error: " <<<"$error"; then
		cli_fail "check $name: FILE:LINE: error:" "$output"
		continue
	fi
	cli_pass "check $name: FILE:LINE: error:"

	# The module logs "FILE:LINE: KEY: reason"; the tool inserts
	# "error: " after the location.
	if [ "$compare_module" -eq 1 ]; then
		expected=$(cli_module_log "$config" "$SESSION_USER")
		actual=$(sed 's/: error: /: /' <<<"$error")
		if [ -n "$expected" ] && [ "$actual" = "$expected" ]; then
			cli_pass "check $name: same reason as the module"
		else
			cli_fail "check $name: same reason as the module" \
				"module: $expected" "sechard: $actual"
		fi
	fi

	json=$("$SECHARD" check --json --config "$config")
	if python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["valid"] is False and len(d["errors"]) >= 1 else 1)' <<<"$json"; then
		cli_pass "check --json $name"
	else
		cli_fail "check --json $name" "$json"
	fi
done

# --- warnings ---------------------------------------------------------------

# A valid configuration with one weakness of each kind.
weak=$CLI_TMP/weak.conf
cli_config_write "$weak" <<'CONF'
[global]
default = weak

[users]
weak = shcli-no-such-user

[profile weak]
caps = cap_sys_admin, cap_net_bind_service
no_new_privs = no
seccomp = off

[profile loose]
caps =
no_new_privs = yes
seccomp = denylist
seccomp_deny = ptrace, setresuid
CONF
output=$("$SECHARD" check --config "$weak" 2>&1)
status=$?
if [ "$status" -eq 0 ]; then
	cli_pass "check warnings only: exit status 0"
else
	cli_fail "check warnings only: exit status 0" "got $status" "$output"
fi

# expect_warning CASE LINE TEXT
expect_warning() {
	if grep -qF -- "$weak:$2: warning: " <<<"$output" &&
		grep "$weak:$2: warning: " <<<"$output" | grep -qF -- "$3"; then
		cli_pass "check warns: $1"
	else
		cli_fail "check warns: $1" "expected at line $2: $3" "$output"
	fi
}

expect_warning "root capability" 8 "keeps CAP_SYS_ADMIN, which amounts to root"
expect_warning "no_new_privs off" 9 "no_new_privs is off"
expect_warning "no seccomp filter" 10 "no seccomp filter"
expect_warning "user namespaces" 15 "user namespaces are allowed"
expect_warning "terminal ioctls" 15 "TIOCSTI and TIOCLINUX are allowed"
expect_warning "unused profile" 12 "profile \"loose\" is never used"
expect_warning "missing user" 5 "user \"shcli-no-such-user\" does not exist"
expect_warning "deny overridden by the allowance" 16 \
	"the deny of setresuid has no effect"
# Only where Yama leaves ptrace to the kernel's same-user rule.
yama_scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
if [ "$yama_scope" = 0 ]; then
	expect_warning "ptrace not isolated" 14 "set isolate_ptrace = yes"
else
	cli_skip "check warns: ptrace not isolated" "Yama ptrace_scope is $yama_scope"
fi
if grep -q 'CAP_NET_BIND_SERVICE, which' <<<"$output"; then
	cli_fail "check warns: only root capabilities" "$output"
else
	cli_pass "check warns: only root capabilities"
fi
if grep -q '^note: .*auth optional pam_sechard.so' <<<"$output"; then
	cli_pass "check notes the sshd auth line"
else
	cli_fail "check notes the sshd auth line" "$output"
fi

# --- usage errors ------------------------------------------------------

"$SECHARD" check --config "$shipped" extra >/dev/null 2>&1
status=$?
if [ "$status" -eq 2 ]; then
	cli_pass "check extra argument: exit status 2"
else
	cli_fail "check extra argument: exit status 2" "got $status"
fi

cli_finish
