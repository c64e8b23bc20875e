/*
 * stub_workloads.h -- the host stub's scripted workloads (not the deployment
 * programs' workload.h).  Each runs every step through `ops` (so the same
 * code runs through the proxy and straight on the host),
 * writes its transcript (transcript.h) to `out`, and returns the number of
 * steps whose result was not what Linux answers.
 */
#ifndef AZALEA_STUB_WORKLOADS_H
#define AZALEA_STUB_WORKLOADS_H

#include <stdio.h>

#include "sysops.h"

/* Files, in a fresh directory "azw" under the current directory (the proxy's root). */
int workload_files(const struct sysops *ops, FILE *out);

/* TCP against an echo server on 127.0.0.1:port, and a listener of our own. */
int workload_sockets(const struct sysops *ops, FILE *out, int port);

#endif
