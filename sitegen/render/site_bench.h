/* site_bench: the benchmark pages of `benchkeep site` (bench/<slug>.html):
 * a series' chart with its noise band and change points, its history table
 * and the same benchmark on other machines. */
#ifndef BK_SITE_BENCH_H
#define BK_SITE_BENCH_H

#include "sitegen/render/site_ctx.h"

/* A page per series of st->s, in parallel, skipping those whose inputs did
 * not change since the last build (output_skip). 0 or -1 + bk_error. */
int site_render_benches(struct site *st);

#endif
