#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: joining a user namespace that already exists.
#
# The shipped baseline and builder profiles refuse the creation of a user
# namespace (unshare, clone with CLONE_NEWUSER, clone3), because a new user
# namespace hands back a full capability set.  setns(2) into a user
# namespace that the same user created elsewhere does the same: the kernel
# gives the joining process every capability in it and a full bounding
# set, whatever the session's bounding set and no_new_privs say.  Such a
# namespace can come from anything the user runs outside the session: a
# process started before the module was deployed, a rootless container's
# pause process, a systemd --user unit, a cron job.
#
# The test starts such a holder process as the user, outside any session,
# then logs the user in through util-linux runuser with pam_sechard
# (pam_wrapper) and runs "nsenter --user --target HOLDER" in the session.
# PASS when the session cannot gain capabilities that way.  A reference
# run through the same program without the module shows that the attempt
# works when nothing blocks it.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

for need in runuser nsenter unshare setpriv; do
	command -v "$need" >/dev/null || sh_die_skip "$need not installed"
done

sh_user_add USER_BASELINE || sh_die_skip "useradd failed"
sh_user_add USER_BUILDER || sh_die_skip "useradd failed"
sh_user_add USER_TENANT || sh_die_skip "useradd failed"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root
builder = $USER_BUILDER
tenant = $USER_TENANT

$(sh_shipped_profiles)
CONF

sh_pam_service "$SH_TMP/pam" runuser "$CONFIG"
sh_pam_service "$SH_TMP/pam-ref" runuser none

HOLDERS=()
end_holders() {
	local pid

	for pid in "${HOLDERS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}
sh_defer end_holders

# start_holder USER: a process of USER in a user namespace of its own,
# started outside any session.  Sets HOLDER to its pid; fails when the
# kernel does not let an unprivileged user create a user namespace.
# Not for a command substitution: the cleanup must see the pid.
start_holder() {
	local user=$1
	local pid i

	setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \
		-- unshare --user --map-root-user sleep 300 </dev/null \
		>/dev/null 2>&1 &
	pid=$!
	HOLDERS+=("$pid")
	for ((i = 0; i < 100; i++)); do
		if [ "$(readlink "/proc/$pid/ns/user" 2>/dev/null)" != \
			"$(readlink /proc/self/ns/user)" ] &&
			[ -e "/proc/$pid/ns/user" ]; then
			HOLDER=$pid
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# join STACKS USER PID: print CapEff after joining PID's user namespace
# from a session of USER, or "refused" if nsenter failed.
join() {
	local output

	if ! output=$(sh_pam_run "$1" runuser -u "$2" -- nsenter --user \
		--preserve-credentials --target "$3" -- \
		sh -c 'grep ^CapEff: /proc/self/status' 2>&1 </dev/null) ||
		! grep -q '^CapEff:' <<<"$output"; then
		printf 'refused (%s)\n' "$(tr '\n' ' ' <<<"$output")"
		return 0
	fi
	awk '{ print $2 }' <<<"$output"
}

check_profile() {
	local profile=$1
	local user=$2
	local name="setns into the user's own user namespace ($profile)"
	local holder reference result

	if ! start_holder "$user"; then
		sh_skip "$name" "this kernel refuses unprivileged user namespaces"
		return
	fi
	holder=$HOLDER

	reference=$(join "$SH_TMP/pam-ref" "$user" "$holder")
	case $reference in
	refused* | 0000000000000000)
		sh_skip "$name" "the reference run without the module gained nothing: $reference"
		return ;;
	esac

	result=$(join "$SH_TMP/pam" "$user" "$holder")
	case $result in
	refused* | 0000000000000000)
		sh_pass "$name" ;;
	*)
		sh_fail "$name" \
			"the confined session joined the namespace with CapEff $result" \
			"(reference without the module: CapEff $reference)" ;;
	esac
}

check_profile baseline "$USER_BASELINE"
check_profile builder "$USER_BUILDER"
check_profile tenant "$USER_TENANT"

sh_finish
