#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# make demo: log three users in with the real util-linux runuser and
# pam_sechard, and show side by side what each shell gets:
#   root      mapped to the built-in "unconfined" profile
#   baseline  a new user that no mapping names (the default profile)
#   tenant    a new user mapped to the "tenant" profile by name
# The profiles come from conf/sechard.conf.  /etc is left as it was:
# runuser reads a temporary PAM stack through pam_wrapper, and the demo
# users are removed at the end, with the account files' backups put back.

if [ "$(id -u)" -ne 0 ]; then
	cat >&2 <<-MSG
	make demo must run as root: it creates two temporary users and runs
	runuser, which only root may use to open sessions.  The users are
	removed afterwards and /etc is left as it was.  Run: sudo make demo
	MSG
	exit 1
fi

. "$(dirname "$0")/real/lib.sh"

DEMO_OPS="ptrace unshare-user tiocsti mount socket-inet socket-netlink
clone3 io-uring-setup getpid exec-true"

sh_init "$@"

sh_user_add demo_baseline || exit 1
sh_user_add demo_tenant || exit 1

config=$SH_TMP/conf/sechard.conf
sh_config_write "$config" <<CONF
[global]
default = baseline

[users]
unconfined = root
tenant = $demo_tenant

$(sh_shipped_profiles)
CONF
sh_pam_service "$SH_TMP/pam" runuser "$config"

session=$SH_TMP/demo-session.sh
{
	printf '#!/bin/bash\n'
	printf '%s status\n' "$SH_PROBE"
	# shellcheck disable=SC2086
	printf '%s try %s\n' "$SH_PROBE" "$(printf '%s ' $DEMO_OPS)"
} >"$session"
chmod 0755 "$session"

# Run the session for USER and print "KEY VALUE" lines.
report_for() {
	sh_pam_run "$SH_TMP/pam" runuser -u "$1" -- "$session" </dev/null \
		2>>"$SH_TMP/demo-errors" |
		awk '{ key = $1; sub(/:$/, "", key); print key, $2 }'
}

root_report=$(report_for root)
baseline_report=$(report_for "$demo_baseline")
tenant_report=$(report_for "$demo_tenant")

# A refused session prints nothing, so its column shows "(refused)".
value_of() {
	if [ -z "$1" ]; then
		echo "(refused)"
		return
	fi
	awk -v key="$2" '$1 == key { print $2 }' <<<"$1"
}

echo
echo "Sessions opened with runuser -u USER through pam_sechard"
echo "(config: conf/sechard.conf profiles; baseline = $demo_baseline," \
	"tenant = $demo_tenant)"
echo
row_format='%-16s %-20s %-20s %-20s\n'
# shellcheck disable=SC2059
printf "$row_format" "" "root (unconfined)" "baseline" "tenant"
# shellcheck disable=SC2059
printf "$row_format" "" "-----------------" "--------" "------"
for key in CapBnd CapAmb NoNewPrivs Seccomp $DEMO_OPS; do
	# shellcheck disable=SC2059
	printf "$row_format" "$key" \
		"$(value_of "$root_report" "$key")" \
		"$(value_of "$baseline_report" "$key")" \
		"$(value_of "$tenant_report" "$key")"
done
echo
echo "Verdicts are the raw result of each call: ok, or the errno it got."
echo "EPERM from a user's row may come from missing capabilities too;"
echo "Seccomp 2 shows that a filter is loaded.  tiocsti is ENOTTY where"
echo "the call reached the kernel without a terminal on stdin."
if [ -s "$SH_TMP/demo-errors" ]; then
	echo
	echo "runuser reported:"
	sed 's/^/  /' "$SH_TMP/demo-errors"
	grep -h '^authpriv\.err' "$SH_LOG_FILE" | sed 's/^/  /'
fi
