/* site_data: the data files of `benchkeep site`: data/<suite>.json, its
 * chunks data/<suite>/cNNNNN.json|.csv and data/changes.json. */
#ifndef BK_SITE_DATA_H
#define BK_SITE_DATA_H

#include <stddef.h>

#include "sitegen/render/site_ctx.h"

/* data/<suite>.json, the changed chunks data/<suite>/cNNNNN.json|.csv and
 * data/changes.json. 0 or -1 + bk_error. */
int site_render_data(struct site *st, const struct change_ref *ch, size_t nch);

#endif
