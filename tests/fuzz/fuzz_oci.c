// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz target for sh_oci_load().  sh_oci_load() reads only files reached
 * by an absolute path without symlinks, so each input goes to a private
 * file under /tmp.  Seeds: tests/fuzz/corpus/oci/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sechard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int write_input(const uint8_t *data, size_t size, char *path)
{
	ssize_t n;
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		return -1;

	while (size > 0) {
		n = write(fd, data, size);
		if (n <= 0)
			break;
		data += n;
		size -= (size_t)n;
	}
	close(fd);
	return size ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/sechard-fuzz-oci.XXXXXX";
	struct sh_seccomp_policy policy;
	struct sh_error err;
	char message[1024];

	if (write_input(data, size, path) < 0) {
		unlink(path);
		return 0;
	}

	/* Every capability kept on one half of the inputs, none on the other. */
	memset(&policy, 0, sizeof(policy));
	memset(&err, 0, sizeof(err));
	if (sh_oci_load(path, size % 2 ? UINT64_MAX : 0, &policy, &err) < 0)
		sh_error_format(&err, message, sizeof(message));
	else
		free(policy.rules);

	unlink(path);
	return 0;
}
