// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz target: configuration bytes in, a configuration or an error out.
 * The bytes go to a private 0600 file in a 0700 folder so that the file
 * safety checks pass and the parser itself is what gets exercised; every
 * profile that loads is compiled as a session would compile it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sechard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char folder[64];
static char path[96];

static void remove_folder(void)
{
	unlink(path);
	rmdir(folder);
}

static void make_folder(void)
{
	if (folder[0])
		return;
	snprintf(folder, sizeof(folder), "/tmp/sechard-fuzz.XXXXXX");
	if (!mkdtemp(folder))
		abort();
	snprintf(path, sizeof(path), "%s/sechard.conf", folder);
	atexit(remove_folder);
}

static void compile_profiles(const struct sh_config *config)
{
	struct sh_error err;
	struct sh_plan *plan;
	size_t i;

	for (i = 0; i < config->nprofiles; i++) {
		if (sh_plan_build(&config->profiles[i], SH_ENFORCE_CHILD, &plan,
				  &err) == 0)
			sh_plan_free(plan);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sh_config *config = NULL;
	struct sh_error err;
	int fd;

	make_folder();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);

	if (sh_config_load(path, &config, &err) == 0) {
		compile_profiles(config);
		sh_config_free(config);
	} else {
		/* every error must say something */
		if (!err.message[0])
			abort();
	}

	unlink(path);
	return 0;
}
