/* Callgrind client requests, for bench/callgrind.py (loaded with ctypes). */
#include <valgrind/callgrind.h>

void bench_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void bench_zero(void) { CALLGRIND_ZERO_STATS; }
void bench_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
