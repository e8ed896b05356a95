/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal: the cache of compiled seccomp filters kept for root's sessions. */
#ifndef SECHARD_CACHE_H
#define SECHARD_CACHE_H

#include <stddef.h>

#include "sechard.h"

/* Only root reads or writes it; a tmpfs, so a reboot empties it. */
#define SH_CACHE_DIR "/run/sechard"

/*
 * Describe everything that decides the compiled filter: the policy, the
 * allowance, the enforcement point, libseccomp's version and this binary.
 * The text is the cache key; the caller frees it.
 */
int sh_cache_describe(const struct sh_seccomp_policy *policy,
		      const char *const *allowance, int point, char **ret,
		      size_t *ret_len);

/*
 * Fill FILTERS with the entry stored for KEY.  Returns -ENOENT on a miss,
 * another negative errno when the cache cannot be used; the caller then
 * compiles.  Only for an effective uid of 0.
 */
int sh_cache_load(const char *key, size_t len, struct sh_bpf *filters,
		  unsigned int max, unsigned int *ret_count);

/* Write the path of KEY's entry, SH_CACHE_DIR/HASH.bpf, into buf. */
void sh_cache_entry_path(const char *key, size_t len, char *buf, size_t size);

/*
 * Store FILTERS for KEY unless an entry of that name exists already, then
 * prune the cache.
 */
int sh_cache_store(const char *key, size_t len, const struct sh_bpf *filters,
		   unsigned int count);

/*
 * Remove the least recently used entries of the cache folder PATH beyond
 * the KEEP most recent.  Other files in PATH are left alone.
 */
int sh_cache_prune(const char *path, size_t keep);

#endif /* SECHARD_CACHE_H */
