// SPDX-License-Identifier: GPL-2.0
/*
 * board_mem - read or write one 32-bit word of physical memory, anywhere in
 * the 4 GiB space (busybox devmem cannot map the top page, 0xFFFFF000).
 *
 *   board_mem ADDR          print the word at ADDR
 *   board_mem ADDR VALUE    write VALUE to ADDR
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

int main(int argc, char **argv)
{
	volatile uint32_t *p;
	uint32_t addr;

	if (argc < 2 || argc > 3 || strtoul(argv[1], NULL, 0) & 3) {
		fprintf(stderr, "usage: board_mem ADDR [VALUE] (ADDR 4-byte aligned)\n");
		return 2;
	}
	addr = strtoul(argv[1], NULL, 0);
	p = board_map(addr & ~0xfffu, 0x1000);
	if (argc == 3)
		reg_wr(p, addr & 0xfff, strtoul(argv[2], NULL, 0));
	else
		printf("0x%08x\n", reg_rd(p, addr & 0xfff));
	return 0;
}
