/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device-tree overlays for the tests, applied and removed through the test
 * module pynq_irq_overlay.ko (selftests/pynq-irq/modules) with the
 * kernel's overlay API, as a bitstream loader would. The module and the
 * .dtbo files are installed next to the test programs; ovl_load() changes
 * to that folder.
 */
#ifndef PYNQ_IRQ_OVERLAY_H
#define PYNQ_IRQ_OVERLAY_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OVL_DIR		"/sys/kernel/debug/pynq-irq-overlay"
#define OVL_MODULE	"pynq_irq_overlay.ko"

/* Write all of buf to path in one write(); 0 or -errno. */
static inline int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY), ret = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

static inline int ovl_apply(const char *dtbo)
{
	static char blob[64 * 1024];
	int fd = open(dtbo, O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return -errno;
	len = read(fd, blob, sizeof(blob));
	close(fd);
	if (len <= 0)
		return -EIO;
	return write_file(OVL_DIR "/apply", blob, len);
}

static inline int ovl_remove(void)
{
	return write_file(OVL_DIR "/remove", "1", 1);
}

/* Overlays applied through the module: 0 for none. */
static inline int ovl_count(void)
{
	char buf[256];
	int fd = open(OVL_DIR "/applied", O_RDONLY), n = 0;
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (ssize_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n;
}

/* Change to this program's folder and load the module if needed: 0, -1. */
static inline int ovl_load(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd, ret;

	if (n <= 0)
		return -1;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	if (chdir(exe))
		return -1;
	if (!access(OVL_DIR, F_OK))
		return 0;
	fd = open(OVL_MODULE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(__NR_finit_module, fd, "", 0);
	close(fd);
	return ret ? -1 : 0;
}

#endif
