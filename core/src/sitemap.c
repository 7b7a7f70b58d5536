/* What a recorded program's debug information says, through elfutils' libdwfl and libdw: the
 * source line of a return address, and the name of a global variable (down to an array
 * element or struct member) at a data address. It reads only the modules' files; heap and
 * stack objects have no name here (record.c names them by their first call site). */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "recmap.h"

/* ---- debug information ---- */
struct lv__symtab {
    Dwfl *dwfl;
};

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

lv__symtab *lv__symtab_open(const lv_rmod *mods, size_t n) {
    lv__symtab *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->dwfl = dwfl_begin(&callbacks);
    if (!s->dwfl) return s; /* no debug information at all: sites by address */
    dwfl_report_begin(s->dwfl);
    for (size_t i = 0; i < n; i++) {
        if (!mods[i].path[0]) continue;
        const char *b = strrchr(mods[i].path, '/');
        dwfl_report_elf(s->dwfl, b ? b + 1 : mods[i].path, mods[i].path, -1, mods[i].bias, false);
    }
    dwfl_report_end(s->dwfl, NULL, NULL);
    return s;
}

void lv__symtab_close(lv__symtab *s) {
    if (!s) return;
    if (s->dwfl) dwfl_end(s->dwfl);
    free(s);
}

static char *dup_or_null(const char *s, int *oom) {
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) *oom = 1;
    return d;
}

int lv__symtab_site(lv__symtab *s, uint64_t pc, lv_site *out) {
    memset(out, 0, sizeof *out);
    int oom = 0;
    Dwarf_Addr a = pc ? pc - 1 : 0; /* the call instruction, not the one after it */
    Dwfl_Module *m = s->dwfl ? dwfl_addrmodule(s->dwfl, a) : NULL;
    out->offset = pc;
    if (!m) return 0;
    Dwarf_Addr start = 0;
    const char *mname = dwfl_module_info(m, NULL, &start, NULL, NULL, NULL, NULL, NULL);
    out->module = dup_or_null(mname, &oom);
    out->offset = pc - start;
    Dwfl_Line *ln = dwfl_module_getsrc(m, a);
    int line = 0;
    const char *file = ln ? dwfl_lineinfo(ln, NULL, &line, NULL, NULL, NULL) : NULL;
    if (file && line > 0) {
        out->file = dup_or_null(file, &oom);
        out->line = line;
    }
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *fn = dwfl_module_addrinfo(m, a, &off, &sym, NULL, NULL, NULL);
    if (fn) {
        out->function = dup_or_null(fn, &oom);
        if (!out->file) out->offset = off + 1;
    }
    return oom ? -1 : 0;
}

/* The type under typedefs and qualifiers, stopping at a typedef named like a pthread object. */
static int strip(Dwarf_Die *t) {
    for (int i = 0; i < 16; i++) {
        int tag = dwarf_tag(t);
        if (tag == DW_TAG_typedef) {
            const char *n = dwarf_diename(t);
            if (n && (strncmp(n, "pthread_", 8) == 0 || strcmp(n, "sem_t") == 0)) return 1;
        }
        if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
            tag != DW_TAG_atomic_type)
            return 0;
        Dwarf_Attribute at;
        if (!dwarf_attr_integrate(t, DW_AT_type, &at) || !dwarf_formref_die(&at, t)) return -1;
    }
    return -1;
}

/* Appends to name the path from a variable of type t to offset off within it (an object of
 * size bytes there). 0 when the path ends on such an object. */
static int path_in(Dwarf_Die t, uint64_t off, size_t size, char *name, size_t len) {
    for (int depth = 0; depth < 8; depth++) {
        int r = strip(&t);
        if (r < 0) return -1;
        Dwarf_Word tsz = 0;
        if (r == 1 || dwarf_aggregate_size(&t, &tsz) != 0) return off == 0 ? 0 : -1;
        if (off == 0 && tsz == size) return 0;
        int tag = dwarf_tag(&t);
        if (tag == DW_TAG_array_type) {
            Dwarf_Attribute at;
            Dwarf_Die el;
            if (!dwarf_attr_integrate(&t, DW_AT_type, &at) || !dwarf_formref_die(&at, &el))
                return -1;
            Dwarf_Word esz = 0;
            /* a C array of arrays is one DIE with a subrange each: the stride of the first is
             * the whole size over its count */
            Dwarf_Die sub;
            size_t nsub = 0;
            Dwarf_Word count = 0;
            if (dwarf_child(&t, &sub) == 0) {
                do {
                    if (dwarf_tag(&sub) != DW_TAG_subrange_type) continue;
                    if (nsub++ == 0) {
                        Dwarf_Attribute ca;
                        Dwarf_Word ub;
                        if (dwarf_attr(&sub, DW_AT_count, &ca) && dwarf_formudata(&ca, &count) == 0)
                            ;
                        else if (dwarf_attr(&sub, DW_AT_upper_bound, &ca) &&
                                 dwarf_formudata(&ca, &ub) == 0)
                            count = ub + 1;
                    }
                } while (dwarf_siblingof(&sub, &sub) == 0);
            }
            if (nsub != 1) return -1;
            if (dwarf_aggregate_size(&el, &esz) != 0 || esz == 0) return -1;
            uint64_t i = off / esz;
            if (count && i >= count) return -1;
            size_t n = strlen(name);
            snprintf(name + n, len - n, "[%llu]", (unsigned long long)i);
            off -= i * esz;
            t = el;
            continue;
        }
        if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) {
            Dwarf_Die mem;
            int found = 0;
            if (dwarf_child(&t, &mem) == 0) {
                do {
                    if (dwarf_tag(&mem) != DW_TAG_member) continue;
                    Dwarf_Attribute at;
                    Dwarf_Word mo = 0, msz = 0;
                    if (dwarf_attr(&mem, DW_AT_data_member_location, &at))
                        dwarf_formudata(&at, &mo);
                    Dwarf_Die mt;
                    if (!dwarf_attr_integrate(&mem, DW_AT_type, &at) ||
                        !dwarf_formref_die(&at, &mt) || dwarf_aggregate_size(&mt, &msz) != 0)
                        continue;
                    if (off < mo || off >= mo + msz) continue;
                    const char *mn = dwarf_diename(&mem);
                    size_t n = strlen(name);
                    snprintf(name + n, len - n, ".%s", mn ? mn : "?");
                    off -= mo;
                    t = mt;
                    found = 1;
                    break;
                } while (dwarf_siblingof(&mem, &mem) == 0);
            }
            if (!found) return -1;
            continue;
        }
        return -1;
    }
    return -1;
}

/* The DIE of the variable named name at address addr in module m's DWARF. */
static int find_var(Dwfl_Module *m, const char *name, Dwarf_Die *out) {
    Dwarf_Addr bias;
    Dwarf_Die *cu = NULL;
    while ((cu = dwfl_module_nextcu(m, cu, &bias)) != NULL) {
        Dwarf_Die c;
        if (dwarf_child(cu, &c) != 0) continue;
        do {
            if (dwarf_tag(&c) != DW_TAG_variable) continue;
            const char *n = dwarf_diename(&c);
            if (!n || strcmp(n, name) != 0 || !dwarf_hasattr(&c, DW_AT_location)) continue;
            Dwarf_Attribute at;
            if (!dwarf_attr_integrate(&c, DW_AT_type, &at) || !dwarf_formref_die(&at, out))
                continue;
            return 0;
        } while (dwarf_siblingof(&c, &c) == 0);
    }
    return -1;
}

char *lv__symtab_data_name(lv__symtab *s, uint64_t addr, size_t size) {
    if (!s->dwfl) return NULL;
    Dwfl_Module *m = dwfl_addrmodule(s->dwfl, addr);
    if (!m) return NULL;
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *n = dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL);
    if (!n || GELF_ST_TYPE(sym.st_info) != STT_OBJECT || off >= sym.st_size) return NULL;
    char name[512];
    snprintf(name, sizeof name, "%s", n);
    Dwarf_Die type;
    if (find_var(m, n, &type) == 0 && path_in(type, off, size, name, sizeof name) == 0)
        return strdup(name);
    /* no type information (no -g): an array of such objects still reads as one */
    if (off == 0 && sym.st_size == size) return strdup(name);
    if (size && off % size == 0 && sym.st_size % size == 0) {
        size_t k = strlen(name);
        snprintf(name + k, sizeof name - k, "[%llu]", (unsigned long long)(off / size));
        return strdup(name);
    }
    return NULL;
}
