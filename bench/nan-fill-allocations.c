/*
 * Makes reads of memory libtorch never wrote deterministic: every posix_memalign allocation (the
 * way libtorch's CPU allocator gets memory) of 64 bytes or more is filled with NaN before it is
 * handed out. A kernel that reads memory it did not write then gives NaN every time instead of
 * now and then, depending on what the process did before.
 *
 *   gcc -shared -fPIC -O2 -o /tmp/nan-fill.so bench/nan-fill-allocations.c -ldl
 *   LD_PRELOAD=/tmp/nan-fill.so mvn -o test -pl tests -Dtest=ViaJobTest
 *
 * A debugging aid, never part of the build; see docs/BENCHMARKS.md, "Test-time adaptation's
 * adapter depended on the process's history".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

static int (*next_posix_memalign)(void **, size_t, size_t);

int posix_memalign(void **out, size_t alignment, size_t size) {
  if (!next_posix_memalign) next_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
  int err = next_posix_memalign(out, alignment, size);
  if (err == 0 && *out && size >= 64) memset(*out, 0xff, size); /* 0xffffffff is a NaN */
  return err;
}
