/* fuzz: the entry points every fuzz target defines.
 *
 * Each tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput (and may
 * define LLVMFuzzerInitialize). It is linked two ways:
 *   - with clang -fsanitize=fuzzer (make fuzz): libFuzzer's main drives it;
 *   - with the regular compiler and tests/fuzz/replay.c (make test): the
 *     replay main feeds it every file of tests/fuzz/regressions/<name>/ and
 *     tests/fuzz/corpus/<name>/, so every input that once crashed stays a
 *     regression test.
 * A target reports a broken invariant with fuzz_fail(), which aborts. */
#ifndef BK_FUZZ_H
#define BK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints "fuzz: invariant broken: WHAT (DETAIL)" to stderr and aborts, so
 * libFuzzer keeps the input as a crash. */
static inline void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: invariant broken: %s (%s)\n", what, detail ? detail : "");
	abort();
}

#endif
