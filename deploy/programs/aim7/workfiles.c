/*
 * workfiles.c -- the two workfiles of eval/workfiles/, built into the
 * program (one source: the files themselves), so `aim7 compute` needs no
 * file inside a unikernel's root or a guest's initramfs.
 */
#include <string.h>

#ifndef AIM7_WORKFILES
#error "AIM7_WORKFILES: the directory of compute.wf and shared.wf (deploy/deploy.mk sets it)"
#endif

#define STR2(x) #x
#define STR(x)  STR2(x)

__asm__(".section .rodata\n"
        ".global aim7_wf_compute\n"
        "aim7_wf_compute:\n"
        ".incbin \"" STR(AIM7_WORKFILES) "/compute.wf\"\n"
                                         ".byte 0\n"
                                         ".global aim7_wf_shared\n"
                                         "aim7_wf_shared:\n"
                                         ".incbin \"" STR(AIM7_WORKFILES) "/shared.wf\"\n"
                                                                          ".byte 0\n"
                                                                          ".previous\n");

extern const char aim7_wf_compute[], aim7_wf_shared[];

const char *aim7_builtin_workfile(const char *name)
{
    if (strcmp(name, "compute") == 0)
        return aim7_wf_compute;
    if (strcmp(name, "shared") == 0)
        return aim7_wf_shared;
    return NULL;
}
