// SPDX-License-Identifier: GPL-2.0
/*
 * poll-pins - wait for interrupts on several /dev/pynq-irq nodes at once
 * with epoll, and print one line per event:
 *
 *	<name> <seqno> <seconds>.<nanoseconds> <lost>
 *
 * Usage: poll-pins [-b] [-c COUNT] [-t MS] NAME...
 *
 *	NAME      a node: "btns" means /dev/pynq-irq/btns; a path is used as is
 *	-b        read binary records (struct pynq_irq_event), not text lines
 *	-c COUNT  exit 0 after COUNT events in total (default: run forever)
 *	-t MS     exit 1 when no event comes for MS milliseconds
 *
 * Build on the board (or with a cross compiler):
 *
 *	gcc -O2 -Wall -I include/uapi -o poll-pins examples/poll-pins.c
 *
 * epoll is used in its default, level-triggered mode: a level pin is
 * unmasked when a client finds its queue empty in a read or a poll, and
 * with EPOLLET epoll_wait() would not poll the node again after the read
 * that emptied it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/pynq-irq.h>

#define MAX_NODES	64

struct node {
	const char *name;
	int fd;
	char text[4096];	/* text mode: a line may end in the next read */
	size_t len;
};

static struct node nodes[MAX_NODES];
static int binary;

static void print_event(const struct node *n, uint64_t seqno, uint64_t ns,
			uint32_t lost)
{
	printf("%s %" PRIu64 " %" PRIu64 ".%09" PRIu64 " %" PRIu32 "\n",
	       n->name, seqno, ns / 1000000000u, ns % 1000000000u, lost);
}

/* Read what the node has: the number of events, or -1 after an error. */
static int read_node(struct node *n)
{
	struct pynq_irq_event rec[64];
	unsigned long long seq, sec, nsec;
	unsigned int lost;
	char *line, *nl;
	ssize_t r;
	int i, events = 0;

	if (binary) {
		r = read(n->fd, rec, sizeof(rec));
		if (r < 0)
			goto read_error;
		/* Binary reads return whole records only. */
		for (i = 0; i < r / (ssize_t)sizeof(rec[0]); i++)
			print_event(n, rec[i].seqno, rec[i].timestamp_ns,
				    rec[i].lost);
		return i;
	}

	r = read(n->fd, n->text + n->len, sizeof(n->text) - 1 - n->len);
	if (r < 0)
		goto read_error;
	n->len += r;
	n->text[n->len] = '\0';
	for (line = n->text; (nl = strchr(line, '\n')); line = nl + 1) {
		if (sscanf(line, "%llu %llu.%llu %u", &seq, &sec, &nsec,
			   &lost) != 4) {
			fprintf(stderr, "%s: bad line\n", n->name);
			return -1;
		}
		print_event(n, seq, sec * 1000000000ull + nsec, lost);
		events++;
	}
	/* Keep a partial line for the next read. */
	n->len = strlen(line);
	memmove(n->text, line, n->len);
	return events;

read_error:
	if (errno == EAGAIN)
		return 0;
	/* ENODEV: the device went away. */
	fprintf(stderr, "%s: read: %s\n", n->name, strerror(errno));
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: poll-pins [-b] [-c COUNT] [-t MS] NAME...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct epoll_event ev, ready[MAX_NODES];
	long count = -1, total = 0;
	int timeout = -1, nr, ep, opt, i, k;
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	char path[256];

	while ((opt = getopt(argc, argv, "bc:t:")) != -1) {
		switch (opt) {
		case 'b':
			binary = 1;
			break;
		case 'c':
			count = strtol(optarg, NULL, 0);
			break;
		case 't':
			timeout = strtol(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	nr = argc - optind;
	if (nr < 1 || nr > MAX_NODES)
		usage();

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("epoll_create1");
		return 1;
	}
	for (i = 0; i < nr; i++) {
		struct node *n = &nodes[i];

		n->name = argv[optind + i];
		if (strchr(n->name, '/'))
			snprintf(path, sizeof(path), "%s", n->name);
		else
			snprintf(path, sizeof(path), "/dev/pynq-irq/%s",
				 n->name);
		/* From here on, every event of this pin is queued for us. */
		n->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (n->fd < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
		if (binary && ioctl(n->fd, PYNQ_IRQ_SET_FORMAT, &fmt)) {
			fprintf(stderr, "%s: PYNQ_IRQ_SET_FORMAT: %s\n", path,
				strerror(errno));
			return 1;
		}
		ev.events = EPOLLIN;
		ev.data.ptr = n;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, n->fd, &ev)) {
			perror("epoll_ctl");
			return 1;
		}
	}

	while (count < 0 || total < count) {
		k = epoll_wait(ep, ready, MAX_NODES, timeout);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			perror("epoll_wait");
			return 1;
		}
		if (k == 0) {
			fprintf(stderr, "no event for %d ms\n", timeout);
			return 1;
		}
		for (i = 0; i < k; i++) {
			struct node *n = ready[i].data.ptr;
			int got;

			/* EPOLLHUP | EPOLLERR: the device went away. */
			if (ready[i].events & (EPOLLHUP | EPOLLERR)) {
				fprintf(stderr, "%s: device removed\n",
					n->name);
				return 1;
			}
			got = read_node(n);
			if (got < 0)
				return 1;
			total += got;
		}
		fflush(stdout);
	}
	return 0;
}
