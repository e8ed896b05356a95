/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pam_sechard core library: configuration, profile resolution, and the
 * controls that confine a login session.
 *
 * Every function that can fail returns 0 or a negative errno value and, when
 * given an error record, fills it with the file, line, key and reason.  The
 * library never logs, never writes to a terminal and never exits: the PAM
 * module and the sechard tool decide how a failure is reported.
 *
 * Life of a session:
 *   sh_config_load()   read and validate every file, build all profiles
 *   sh_resolve_user()  pick the profile for PAM_USER
 *   sh_plan_build()    compile everything (seccomp to BPF included)
 *   sh_plan_arm()      controls that wait for the next execve
 *   sh_plan_enforce()  no_new_privs, then the seccomp filter, last
 * Nothing changes the calling process before sh_plan_arm().
 */
#ifndef SECHARD_H
#define SECHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

#define SH_API __attribute__((visibility("default")))

#define SH_DEFAULT_CONFIG "/etc/security/sechard.conf"

/* Longest configuration line, newline excluded; iniparser 4.1 stops at 1024. */
#define SH_LINE_MAX 1023
/* Longest profile name, terminating NUL excluded. */
#define SH_PROFILE_NAME_MAX 63
/* Longest user or group name we accept; glibc has no fixed limit. */
#define SH_ACCOUNT_NAME_MAX 255
/* Most files one configuration may span: the main file plus its drop-ins. */
#define SH_FILES_MAX 64
/* Depth limit for "inherit =" chains, which also bounds cycle detection. */
#define SH_INHERIT_DEPTH_MAX 16
/* Most argument conditions on one seccomp rule (the syscall ABI has six). */
#define SH_RULE_CONDS_MAX 6
/*
 * Highest errno a filter may return.  The kernel's limit is 4095, but
 * libseccomp 2.5.4 rejects an ERRNO action of 4095 (tried by hand).
 */
#define SH_ERRNO_MAX 4094
/* Most rules one profile may hold after group expansion. */
#define SH_RULES_MAX 4096

/* The built-in profile that applies nothing.  It cannot be redefined. */
#define SH_PROFILE_UNCONFINED "unconfined"

/* ------------------------------------------------------------------------ */
/* Errors */

struct sh_error {
	char file[4096];	/* "" when the error has no file */
	unsigned int line;	/* 0 when the error has no line */
	char key[128];		/* section:key, syscall or argument; may be "" */
	char message[512];	/* one sentence, no trailing newline */
};

/*
 * Record an error.  Any of file and key may be NULL.  A NULL err is allowed
 * so that callers which do not care can pass it; the return value is always
 * -code (code is a positive errno) so that "return sh_error_set(...)" reads
 * as one step.
 */
SH_API int sh_error_set(struct sh_error *err, int code, const char *file,
			unsigned int line, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Write "FILE:LINE: KEY: MESSAGE" into buf, leaving out the parts that are
 * empty.  Returns the length snprintf() would have written.
 */
SH_API int sh_error_format(const struct sh_error *err, char *buf,
			   size_t size);

/* ------------------------------------------------------------------------ */
/* Seccomp policy model */

enum sh_seccomp_mode {
	SH_SECCOMP_OFF = 0,
	SH_SECCOMP_ALLOWLIST,	/* deny what no rule allows */
	SH_SECCOMP_DENYLIST,	/* allow what no rule denies */
};

enum sh_action_kind {
	SH_ACT_ERRNO = 0,	/* fail with sh_action.errno_value */
	SH_ACT_ALLOW,
	SH_ACT_KILL_PROCESS,
	SH_ACT_KILL_THREAD,
	SH_ACT_LOG,		/* log and allow: complain mode */
	SH_ACT_TRAP,
};

struct sh_action {
	enum sh_action_kind kind;
	int errno_value;	/* SH_ACT_ERRNO only; 0 means the profile's */
};

/*
 * One argument comparison.  The kernel ignores the high 32 bits of an
 * argument whose C type is int or unsigned int.  Such comparisons are
 * therefore made on the low 32 bits only, so that setting the high bits
 * cannot slip a call past a rule.
 */
struct sh_cond {
	unsigned int arg;	/* 0..5 */
	enum scmp_compare op;
	uint64_t value;		/* for SCMP_CMP_MASKED_EQ: the mask */
	uint64_t value_two;	/* for SCMP_CMP_MASKED_EQ: the datum */
	bool low32;		/* compare the low 32 bits only */
};

struct sh_rule {
	char syscall[64];	/* name as libseccomp spells it */
	bool allow;		/* true for an allow rule, false for a deny rule */
	struct sh_action action;	/* deny rules: what a match does */
	unsigned int ncond;
	struct sh_cond cond[SH_RULE_CONDS_MAX];
	/* where the rule came from, for error messages */
	const char *file;
	unsigned int line;
};

struct sh_seccomp_policy {
	enum sh_seccomp_mode mode;
	/*
	 * Action for a syscall that no rule of an allow-list allows, and for
	 * a deny rule without an action of its own.  SH_ACT_ERRNO uses
	 * default_errno.  Syscalls the installed libseccomp cannot name always
	 * get ENOSYS in an allow-list, so that libc falls back from calls newer
	 * than the profile.
	 */
	struct sh_action default_action;
	int default_errno;	/* EPERM unless set */
	bool complain;		/* log instead of deny; for trying a policy */
	/*
	 * Load the filter with SECCOMP_FILTER_FLAG_LOG: the kernel also
	 * writes an audit record for each call it denies, for the actions
	 * that /proc/sys/kernel/seccomp/actions_logged lists.
	 */
	bool log_denied;
	/*
	 * Secondary architectures to filter identically, as libseccomp
	 * tokens (SCMP_ARCH_X86 ...).  Empty: native only, and every other
	 * entry point (32-bit, x32) fails with default_errno.
	 */
	unsigned int narch;
	uint32_t arch[4];
	/*
	 * Allow-lists only: numbers that libseccomp cannot name but that lie
	 * below the highest syscall the rules name get the default action,
	 * not ENOSYS.  Set for OCI profiles, because runc treats only numbers
	 * above the profile's highest as newer than the profile.
	 */
	bool unnamed_below_max_denied;
	size_t nrules;
	struct sh_rule *rules;
};

/* ------------------------------------------------------------------------ */
/* Profiles and configuration */

/* Location of a setting in the configuration, for messages about it. */
struct sh_source {
	const char *file;	/* NULL when the setting is a built-in default */
	unsigned int line;
};

struct sh_profile {
	char name[SH_PROFILE_NAME_MAX + 1];
	bool unconfined;	/* the built-in profile that applies nothing */
	const char *file;	/* where the profile section starts */
	unsigned int line;

	/* capability bounding set: bit N set = keep capability N */
	bool caps_keep_all;
	uint64_t caps_keep;

	bool no_new_privs;
	/* ptrace and /proc/PID/mem only for the session's own processes */
	bool isolate_ptrace;

	char *selinux_exec_context;	/* NULL: leave unchanged */
	char *apparmor_exec_profile;	/* NULL: leave unchanged */

	struct sh_seccomp_policy seccomp;
	char *seccomp_oci_path;	/* set when rules came from an OCI profile */

	struct sh_source src_inherit, src_caps, src_no_new_privs,
		src_isolate_ptrace, src_selinux, src_apparmor, src_seccomp;
	char *inherit;		/* parent profile name, NULL if none */
};

/* A user or group name mapped to a profile, in configuration order. */
struct sh_mapping {
	char *name;		/* exact account name, case-sensitive */
	const struct sh_profile *profile;
	const char *file;
	unsigned int line;
};

struct sh_config {
	char *files[SH_FILES_MAX];	/* main file first, then drop-ins */
	size_t nfiles;

	const struct sh_profile *default_profile;
	const char *default_file;
	unsigned int default_line;

	size_t nprofiles;
	struct sh_profile *profiles;	/* built-in "unconfined" first */

	size_t nusers;
	struct sh_mapping *users;
	size_t ngroups;
	struct sh_mapping *groups;
};

/*
 * Load PATH (SH_DEFAULT_CONFIG when NULL) and every drop-in it names,
 * refusing unsafe files: each must be a regular file reached without
 * symlinks, owned by root or by the effective user, and not writable by
 * group or others; each folder on its path likewise, except that a
 * world-writable folder with the sticky bit (/tmp) is accepted.
 *
 * Returns 0 and a config to free with sh_config_free(), or a negative errno
 * with err filled: -ENOENT, -EACCES, -ELOOP (symlink), -EPERM (unsafe owner
 * or mode), -EINVAL (invalid content), -ENAMETOOLONG, -ENOMEM.
 */
SH_API int sh_config_load(const char *path, struct sh_config **ret,
			  struct sh_error *err);
SH_API void sh_config_free(struct sh_config *config);

SH_API const struct sh_profile *
sh_config_find_profile(const struct sh_config *config, const char *name);

/* ------------------------------------------------------------------------ */
/* Resolution: which profile a user gets, and why */

enum sh_match_kind {
	SH_MATCH_USER = 0,	/* the [users] section names the user */
	SH_MATCH_GROUP,		/* one of the user's groups is mapped */
	SH_MATCH_DEFAULT,	/* nothing matched: [global] default */
};

struct sh_resolution {
	const struct sh_profile *profile;
	enum sh_match_kind kind;
	const struct sh_mapping *mapping;	/* NULL for SH_MATCH_DEFAULT */
	/*
	 * Groups of the user that map to a different profile and lost to the
	 * first matching [groups] line; reported by "sechard explain".
	 */
	size_t nlosing;
	const struct sh_mapping *losing[8];
};

/*
 * Resolve USER through NSS (getpwnam_r, getgrouplist): a [users] line naming
 * the user wins, then the first [groups] line naming any of the user's
 * groups (primary or supplementary), then the default.
 * Returns -ENOENT if the user does not exist.
 */
SH_API int sh_resolve_user(const struct sh_config *config, const char *user,
			   struct sh_resolution *ret, struct sh_error *err);

/* ------------------------------------------------------------------------ */
/* Capabilities, LSM and seccomp building blocks */

/* Return the running kernel's highest capability number, or -errno. */
SH_API int sh_caps_last_cap(void);

/*
 * Parse one capability name ("cap_net_raw" or "CAP_NET_RAW") that both
 * libcap and the running kernel know.  Returns the number or -EINVAL.
 */
SH_API int sh_caps_from_name(const char *name);

/*
 * Parse a seccomp rule as written in a profile, such as "read",
 * "ioctl(arg1 == TIOCSTI)", "clone3:ENOSYS" or
 * "socket(arg0 == AF_NETLINK):kill".  ALLOW selects which list the rule came
 * from.  Groups ("@mount") are expanded by sh_seccomp_add_entry().
 */
SH_API int sh_rule_parse(const char *text, bool allow, struct sh_rule *ret,
			 struct sh_error *err);

/*
 * Append the rules for one list entry (a rule or an @group) to POLICY.
 * FILE and LINE are copied by pointer into each rule for later messages.
 */
SH_API int sh_seccomp_add_entry(struct sh_seccomp_policy *policy,
				const char *text, bool allow,
				const char *file, unsigned int line,
				struct sh_error *err);

/*
 * Append every entry of a comma-separated list, as written after
 * "seccomp_allow =" or "seccomp_deny =".  Commas inside parentheses belong
 * to the rule's conditions.
 */
SH_API int sh_seccomp_add_list(struct sh_seccomp_policy *policy,
			       const char *text, bool allow, const char *file,
			       unsigned int line, struct sh_error *err);

SH_API void sh_seccomp_policy_clear(struct sh_seccomp_policy *policy);
SH_API int sh_seccomp_policy_copy(struct sh_seccomp_policy *dst,
				  const struct sh_seccomp_policy *src);

/* Resolve an errno name ("EPERM") or number; returns it or -EINVAL. */
SH_API int sh_errno_from_name(const char *name);
SH_API const char *sh_errno_name(int errno_value);

/*
 * Syscalls that the process which enforces the filter still makes before
 * it becomes the session, and which every compiled filter therefore allows.
 * See filter.c for the reason behind each member.
 */
enum sh_enforce_point {
	SH_ENFORCE_CHILD = 0,	/* in the child, just before the shell */
	SH_ENFORCE_OPEN,	/* in the process that opened the session */
};

SH_API const char *const *sh_enforce_allowance(enum sh_enforce_point point);

/*
 * Name a libseccomp action for people: "EPERM", "kill", "log", "allow", or
 * "action 0x..." for one this library never produces.
 */
SH_API void sh_action_describe(uint32_t action, char *buf, size_t size);

/*
 * Rank a libseccomp action by the precedence the kernel applies when
 * several filters run: kill-process 6, kill-thread 5, trap 4, errno 3,
 * log 1, allow 0.  A stricter action has a higher rank.
 */
SH_API int sh_action_rank(uint32_t action);

/*
 * Compile POLICY for the native architecture (plus the opted-in ones) into
 * at most two libseccomp contexts, the first and last layers of its filter.
 * A conditional deny of a syscall that is also allowed without conditions
 * goes into the second context, a deny-list layered on the allow-list, so
 * the kernel enforces both and the deny can never be lost.  ALLOWANCE (may
 * be NULL) names syscalls that stay allowed.  STACKED builds the layers to
 * be loaded as separate filters, where each must let seccomp(2) load the
 * next; sh_plan.nfilters > 1 tells that sh_filter_compile() had to.
 * Returns the number of contexts in *ret_count.  An allow-list may also
 * need the layer of sh_filter_build_fallback(), which goes between the two
 * contexts.
 */
SH_API int sh_filter_build(const struct sh_seccomp_policy *policy,
			   const char *const *allowance, bool stacked,
			   scmp_filter_ctx ret_ctx[2], unsigned int *ret_count,
			   struct sh_error *err);

/*
 * Read an OCI/Docker seccomp profile (JSON) into RET, which must be zeroed.
 * Rules gated by "includes"/"excludes" on "caps" are judged against
 * CAPS_KEEP, the bounding set the profile keeps for the user (bit N =
 * capability N); "arches" against the native architecture; "minKernel"
 * against the running kernel.  Unknown keys and syscall names are errors.
 */
SH_API int sh_oci_load(const char *path, uint64_t caps_keep,
		       struct sh_seccomp_policy *ret, struct sh_error *err);

/*
 * Write POLICY as an OCI seccomp profile that runc accepts and that gives
 * the verdicts of our own filters.  runc builds a single filter, so a
 * policy that needs more than one for some syscall (an allow beside a
 * conditional deny, a deny-list restricting a syscall to some values) is
 * refused with -EOPNOTSUPP and err naming that syscall.
 */
SH_API int sh_oci_write(const struct sh_seccomp_policy *policy,
			const char *const *allowance, int fd,
			struct sh_error *err);

/* ------------------------------------------------------------------------ */
/* Plans: a profile compiled for one session */

struct sh_bpf {
	unsigned short len;	/* instructions */
	void *insns;		/* struct sock_filter[len] */
};

/*
 * Maximum number of layers one policy compiles into: the two libseccomp
 * contexts of sh_filter_build() and the fallback filter.
 */
#define SH_FILTERS_MAX 3

/*
 * Compile the fallback filter, classic BPF that libseccomp does not build.
 * For a native syscall that only conditional allow rules decide, it
 * returns ALLOW when all conditions of any of those rules hold, and the
 * profile's default action otherwise; in an allow-list such a call would
 * otherwise get ENOSYS, the first filter's default, and in a deny-list it
 * would be allowed.  It allows every other native call.  It is the layer
 * between the two contexts of sh_filter_build() with the same STACKED.
 * Sets ret->len
 * to 0 when POLICY needs no fallback filter, and otherwise ret->insns to
 * free().
 * NOTE: on an opted-in secondary architecture such a syscall gets the
 * default action whatever its arguments, because the conditions are not
 * compiled for that architecture.
 */
SH_API int sh_filter_build_fallback(const struct sh_seccomp_policy *policy,
				    const char *const *allowance, bool stacked,
				    struct sh_bpf *ret, struct sh_error *err);

/*
 * Compile POLICY into the BPF programs to load, in load order.  Its layers
 * (the first context of sh_filter_build(), the fallback filter, the second
 * context) are merged into one program, which the kernel runs with one
 * call instead of one per layer.  Only layers too long to merge are
 * returned as separate filters, built STACKED.  Free each ret[i].insns.
 */
SH_API int sh_filter_compile(const struct sh_seccomp_policy *policy,
			     const char *const *allowance,
			     struct sh_bpf ret[SH_FILTERS_MAX],
			     unsigned int *ret_count, struct sh_error *err);

struct sh_plan {
	const char *profile_name;	/* points into the config */
	bool unconfined;
	bool caps_keep_all;
	uint64_t caps_keep;
	bool no_new_privs;
	char *selinux_exec_context;
	char *apparmor_exec_profile;
	unsigned int nfilters;
	struct sh_bpf filters[SH_FILTERS_MAX];	/* in load order */
	enum sh_enforce_point point;
	/*
	 * Loading a filter without no_new_privs needs CAP_SYS_ADMIN, which
	 * the child of su, runuser or login no longer has when it reaches
	 * the hook.  Such a filter (a deny-list) is loaded by sh_plan_arm()
	 * in the process that opens the session instead.
	 */
	bool seccomp_at_arm;
	bool seccomp_log_denied;	/* load with SECCOMP_FILTER_FLAG_LOG */
	bool isolate_ptrace;		/* enter a Landlock domain (landlock.c) */
};

/*
 * Compile PROFILE for enforcement at POINT: capability numbers checked
 * against the kernel, LSM labels checked against the loaded policy, seccomp
 * compiled to BPF.  The calling process is not changed.
 */
SH_API int sh_plan_build(const struct sh_profile *profile,
			 enum sh_enforce_point point, struct sh_plan **ret,
			 struct sh_error *err);
SH_API void sh_plan_free(struct sh_plan *plan);

/*
 * Apply the controls that take effect at the next execve: the bounding set
 * drop, the inheritable and ambient sets, and the LSM exec contexts.  The
 * running process keeps its privileges.
 */
SH_API int sh_plan_arm(const struct sh_plan *plan, struct sh_error *err);

/*
 * Apply no_new_privs, then load the seccomp filters.  Call it in the process
 * that becomes the session, as close to its execve as the caller allows.
 * Async-signal-safe apart from error formatting; allocates nothing.
 */
SH_API int sh_plan_enforce(const struct sh_plan *plan, struct sh_error *err);

/*
 * Describe the controls of PLAN in one line, such as
 * "caps=none nnp=yes seccomp=allowlist(2 filters)", for log messages.
 */
SH_API int sh_plan_describe(const struct sh_plan *plan, char *buf,
			    size_t size);

/* ------------------------------------------------------------------------ */
/* Strict parsing helpers shared by the configuration, the CLI and OCI import */

SH_API int sh_parse_bool(const char *text, bool *ret);
SH_API int sh_parse_u64(const char *text, uint64_t *ret);
SH_API int sh_parse_i64(const char *text, int64_t *ret);

/* ------------------------------------------------------------------------ */
/* Filter simulation */

struct seccomp_data;

/*
 * Run the classic BPF seccomp program FILTER on DATA as the kernel does and
 * store its return value (SECCOMP_RET_* action and data) in *ret_action.
 * Only the instructions the kernel accepts in a seccomp filter are run.
 * Returns 0, -E2BIG for more than 4096 instructions, or -EINVAL for a
 * program the kernel would not load: empty, an unknown instruction, a jump
 * past the end, a load outside struct seccomp_data or not 4-byte aligned,
 * a last instruction that is not a return, or scratch memory read before
 * it is stored.
 */
SH_API int sh_bpf_run(const struct sh_bpf *filter,
		      const struct seccomp_data *data, uint32_t *ret_action);

/*
 * Run every seccomp filter of PLAN on DATA and store in *ret_action the
 * result the kernel acts on: the strictest action (KILL_PROCESS,
 * KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW), and among equally
 * strict ones the result of the filter loaded last.  A plan without filters
 * allows every call.  Returns 0 or the error of sh_bpf_run().
 */
SH_API int sh_plan_verdict(const struct sh_plan *plan,
			   const struct seccomp_data *data,
			   uint32_t *ret_action);

#endif /* SECHARD_H */
