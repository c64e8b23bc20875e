/* jpm.c -- AIM7's two figures of a run: jobs per minute and the jobs-timing index. */
#include <math.h>

#include "aim7.h"

double aim7_jpm(int users, long jobs_per_user, double real_seconds)
{
    if (users < 1 || jobs_per_user < 1 || !(real_seconds > 0))
        return 0;
    return (double)jobs_per_user * users * 60.0 / real_seconds;
}

double aim7_jti(const double *user_seconds, int users)
{
    if (users < 1)
        return 0;
    double sum = 0, sq = 0;
    for (int u = 0; u < users; u++)
        sum += user_seconds[u];
    double mean = sum / users;
    if (!(mean > 0))
        return 0;
    for (int u = 0; u < users; u++)
        sq += (user_seconds[u] - mean) * (user_seconds[u] - mean);
    double jti = 100.0 * (1.0 - sqrt(sq / users) / mean);
    return jti > 0 ? jti : 0;
}
