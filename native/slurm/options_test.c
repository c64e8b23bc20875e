/* native/slurm/options_test.c -- `--azalea=OPTIONS` as a user may type it, good
 * and bad: every bad one is refused with one line naming what is wrong. */
#include <stdio.h>
#include <string.h>

#include "options.h"

static int failures;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            failures++;                                                                                                \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                                       \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fputc('\n', stderr);                                                                                       \
        }                                                                                                              \
    } while (0)

static void good(const char *text)
{
    struct az_opts o;
    char err[512] = "";
    CHECK(az_opts_parse(text, &o, err, sizeof err) == 0 && o.active, "'%s' refused: %s", text ? text : "(null)", err);
}

/* Refused, and the message is one line that contains `says`. */
static void bad(const char *text, const char *says)
{
    struct az_opts o;
    char err[512] = "";
    int rc = az_opts_parse(text, &o, err, sizeof err);
    CHECK(rc == -1, "'%s' accepted", text);
    CHECK(strstr(err, says) != NULL, "'%s': message '%s' lacks '%s'", text, err, says);
    CHECK(strchr(err, '\n') == NULL && err[0] != '\0', "'%s': message '%s' is not one line", text, err);
}

int main(void)
{
    struct az_opts o;
    char err[512];

    good(NULL);
    good("");
    CHECK(az_opts_parse("cores=2,mem=256M,quadrant=1,root=/tmp/x,timeout=30,env=MY_*:OMP_NUM_THREADS", &o, err,
                        sizeof err) == 0,
          "full set refused: %s", err);
    CHECK(o.cores == 2 && strcmp(o.mem, "256M") == 0 && o.quadrant == 1 && strcmp(o.root, "/tmp/x") == 0 &&
              o.timeout == 30 && strcmp(o.env, "MY_*:OMP_NUM_THREADS") == 0,
          "full set misread");
    CHECK(az_opts_parse("smp=72,quadrants=4,node-mem=512M,fwk=0,accel=tcg", &o, err, sizeof err) == 0,
          "node set refused: %s", err);
    CHECK(o.smp == 72 && o.quadrants == 4 && strcmp(o.node_mem, "512M") == 0 && strcmp(o.fwk, "0") == 0 &&
              strcmp(o.accel, "tcg") == 0 && o.quadrant == -1 && o.cores == 0,
          "node set misread");
    good("fwk=none");
    CHECK(az_opts_parse("net=none", &o, err, sizeof err) == 0 && strcmp(o.net, "none") == 0, "net=none: %s", err);
    CHECK(az_opts_parse("cores=1,net=host", &o, err, sizeof err) == 0 && strcmp(o.net, "host") == 0, "net=host");
    CHECK(az_opts_parse("cores=1", &o, err, sizeof err) == 0 && o.net[0] == '\0', "net defaults to azalea's");
    good("net=loopback");
    good("mem=1G,node-mem=2816M");
    good("mem=65536");

    bad("cores", "is not KEY=VALUE");
    bad("=3", "is not KEY=VALUE");
    bad("cores=", "has no value");
    bad("cores=0", "cores=0: a number of cores, 1..255");
    bad("cores=256", "cores=256");
    bad("cores=-1", "cores=-1");
    bad("cores=2x", "cores=2x");
    bad("cores=99999999999999999999", "cores=9999");
    bad("cores= 2", "cores= 2");
    bad("mem=lots", "mem=lots: a size");
    bad("mem=0", "mem=0");
    bad("mem=12Q", "mem=12Q");
    bad("root=relative/dir", "root=relative/dir: an absolute directory path");
    bad("root=/a/../etc", "root=/a/../etc");
    bad("root=/a/..", "root=/a/..");
    bad("timeout=0", "timeout=0");
    bad("env=1ABC", "env=1ABC");
    bad("env=A;rm -rf /", "env=A;rm -rf /");
    bad("env=A:", "env=A:");
    bad("env=A**", "env=A**");
    bad("smp=1", "smp=1");
    bad("smp=9,quadrants=4", "cannot be split evenly");
    bad("fwk=zero", "fwk=zero");
    bad("accel=hvf", "accel=hvf: auto, kvm or tcg");
    bad("net=internet", "net=internet: none, loopback or host");
    bad("net=Host", "net=Host");
    bad("colour=blue", "unknown option 'colour'");
    bad("cores=2,,mem=1G,bogus", "'bogus' is not KEY=VALUE");
    bad("root=/tmp/a\nb", "control character (byte 12)");
    bad("cores=1\x1b[2J", "control character");
    char huge[4096];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    bad(huge, "at most 1023");
    char longroot[600] = "root=/";
    memset(longroot + 6, 'r', 400);
    longroot[406] = '\0';
    bad(longroot, "under 256 bytes");

    CHECK(az_count_cpu_list("0-3,8,10-11") == 7, "cpu list 0-3,8,10-11");
    CHECK(az_count_cpu_list("5") == 1, "cpu list 5");
    CHECK(az_count_cpu_list("") == -1 && az_count_cpu_list(NULL) == -1, "empty cpu list");
    CHECK(az_count_cpu_list("3-1") == -1 && az_count_cpu_list("1,,2") == -1 && az_count_cpu_list("a") == -1 &&
              az_count_cpu_list("1-") == -1,
          "malformed cpu lists accepted");

    if (failures) {
        fprintf(stderr, "options-test: %d checks failed\n", failures);
        return 1;
    }
    printf("options-test: all checks passed\n");
    return 0;
}
