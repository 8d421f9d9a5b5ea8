/* resultscan: a fast reader for result files as benchkeep writes them.
 *
 * Reads a benchkeep/result/v1 document straight into a bk_result without
 * building a cJSON tree (no allocation per number), for the site generator,
 * which reads thousands of them. It handles the common case only: any input
 * it is not certain about — a backslash escape in a string, a duplicate
 * member, a value out of range, a missing field, malformed JSON, anything
 * result_from_json() would refuse — makes it give up, and the caller then
 * reads the file with result_read_buf(), which gives the precise error. On
 * what it accepts, the result is the same as result_read_buf()'s (tested
 * differentially, and by the result fuzz target). */
#ifndef BK_RESULTSCAN_H
#define BK_RESULTSCAN_H

#include <stddef.h>

#include "lib/doc/result.h"

/* Reads buf[0..len) into *r. Returns 0 with *r filled (finalised stats,
 * the caller releases it), or 1 when the input needs the full reader (*r is
 * then released and initialised: nothing to free). Never sets bk_error. */
int result_scan_buf(struct bk_result *r, const char *buf, size_t len);

#endif
