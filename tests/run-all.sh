#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run every test tier, each test under a time limit:
#   1. unit tests          build/tests/test_*
#   2. module tests        tests/module/*.sh
#   3. real programs       tests/real/*.sh (lib.sh is their library)
#   4. field cases         tests/field/*.sh
#   5. fuzz replays        build/tests/fuzz_NAME over tests/fuzz/corpus/NAME/
#   6. the sechard tool, the manual pages and the packages:
#                          tests/cli/*.sh, tests/docs/*.sh, tests/packaging/*.sh
# Prints one PASS, FAIL or SKIP (reason) line per test and ends with
# exactly one "N passed, N failed, N skipped" line, which CI reads.  Exit
# status 77 from a test means skip.  Exits 1 when any test failed.
#
# Time limits in seconds can be changed through the environment:
# UNIT_TIMEOUT, MODULE_TIMEOUT, REAL_TIMEOUT, FIELD_TIMEOUT, FUZZ_TIMEOUT.

cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-120}
MODULE_TIMEOUT=${MODULE_TIMEOUT:-300}
REAL_TIMEOUT=${REAL_TIMEOUT:-900}
FIELD_TIMEOUT=${FIELD_TIMEOUT:-300}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-300}
# Lines of a failing test's output shown under its FAIL line.
FAIL_TAIL_LINES=${FAIL_TAIL_LINES:-60}

passed=0
failed=0
skipped=0
output=$(mktemp /tmp/sechard-run-all.XXXXXX)
trap 'rm -f "$output"' EXIT

# A skipping test prints its reason on a line starting with "SKIP".
skip_reason() {
	local reason

	reason=$(grep -m1 '^SKIP' "$output" | sed 's/^SKIP[: ]*//')
	printf '%s\n' "${reason:-exit status 77}"
}

#
# run_test NAME SECONDS CMD...: run CMD with its output captured, then
# report it.  timeout(1) signals the whole process group, so a test's
# cleanup traps run when it overruns.
#
run_test() {
	local name=$1
	local seconds=$2
	local status

	shift 2
	timeout --kill-after=30 "$seconds" "$@" >"$output" 2>&1 </dev/null
	status=$?

	case $status in
	0)
		passed=$((passed + 1))
		printf 'PASS %s\n' "$name"
		;;
	77)
		skipped=$((skipped + 1))
		printf 'SKIP %s (%s)\n' "$name" "$(skip_reason)"
		;;
	124 | 137)
		failed=$((failed + 1))
		printf 'FAIL %s (timed out after %ss)\n' "$name" "$seconds"
		tail -n "$FAIL_TAIL_LINES" "$output" | sed 's/^/     /'
		;;
	*)
		failed=$((failed + 1))
		printf 'FAIL %s (exit status %d)\n' "$name" "$status"
		tail -n "$FAIL_TAIL_LINES" "$output" | sed 's/^/     /'
		;;
	esac
}

skip_test() {
	skipped=$((skipped + 1))
	printf 'SKIP %s (%s)\n' "$1" "$2"
}

run_unit_tests() {
	local test

	for test in "$BUILD"/tests/test_*; do
		[ -x "$test" ] || continue
		run_test "unit/${test##*/}" "$UNIT_TIMEOUT" "$test"
	done
}

# run_scripts TIER SECONDS: every executable *.sh in tests/TIER.
run_scripts() {
	local tier=$1
	local seconds=$2
	local script

	for script in tests/"$tier"/*.sh; do
		[ -e "$script" ] || continue
		[ "${script##*/}" = lib.sh ] && continue
		run_test "$tier/${script##*/}" "$seconds" bash "$script"
	done
}

# The replay driver takes the corpus folder and feeds it every file there.
run_fuzz_replays() {
	local target name corpus count

	for target in "$BUILD"/tests/fuzz_*; do
		[ -x "$target" ] || continue
		name=${target##*/fuzz_}
		corpus=tests/fuzz/corpus/$name
		count=$(find "$corpus" -type f 2>/dev/null | wc -l)
		if [ "$count" -eq 0 ]; then
			skip_test "fuzz/${target##*/}" "no corpus in $corpus"
			continue
		fi
		run_test "fuzz/${target##*/} ($count inputs)" "$FUZZ_TIMEOUT" \
			"$target" "$corpus"
	done
}

run_unit_tests
run_scripts module "$MODULE_TIMEOUT"
run_scripts real "$REAL_TIMEOUT"
run_scripts field "$FIELD_TIMEOUT"
run_fuzz_replays
run_scripts cli "$MODULE_TIMEOUT"
run_scripts docs "$MODULE_TIMEOUT"
run_scripts packaging "$REAL_TIMEOUT"

printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
