/* Core-internal: what the recorder (record.c) asks of a program's debug information, through
 * elfutils' libdw (sitemap.c): call sites as file:line and global objects by their names. */
#ifndef LV_RECMAP_H
#define LV_RECMAP_H

#include <stddef.h>
#include <stdint.h>
#include "lockviz/trace.h"
#include "recshm.h"

typedef struct lv__symtab lv__symtab;
/* The modules the program had loaded (the preload's list). NULL when out of memory. */
lv__symtab *lv__symtab_open(const lv_rmod *mods, size_t n);
/* The call site of return address pc: the call's file and line, else its function and offset,
 * else its module and offset. Strings are the caller's (freed with the site). 0, or -1 when
 * out of memory. */
int lv__symtab_site(lv__symtab *s, uint64_t pc, lv_site *out);
/* The name of the global or static variable (or the part of one) at addr, an object of size
 * bytes: "forks[2]", "bank.lock", "table[1].lock"; NULL when debug information does not say
 * (heap and stack objects). The string is the caller's. */
char *lv__symtab_data_name(lv__symtab *s, uint64_t addr, size_t size);
void lv__symtab_close(lv__symtab *s); /* accepts NULL */

#endif
