/* template: a Mustache subset rendering from cJSON data.
 *
 * Follows the Mustache specification (comments, interpolation, inverted,
 * partials, sections, set delimiters; no lambdas) including the
 * standalone-line whitespace rules:
 *   {{name}}            value escaped for the chosen escape (HTML, markdown
 *                       or none); {{{name}}} and {{& name}} are never escaped
 *   {{#x}}..{{/x}}      rendered once per list item, once with x pushed as
 *                       the context when x is an object or another truthy
 *                       value, not at all when x is falsey (missing, null,
 *                       false, an empty list or an empty string)
 *   {{^x}}..{{/x}}      rendered only when x is falsey
 *   {{! comment }}      nothing
 *   {{> name}}          the partial `name` rendered in the current context;
 *                       a standalone partial tag indents every line of the
 *                       partial by the tag's indentation
 *   {{a.b.c}}           dotted names; {{.}} is the current context
 *   {{=<% %>=}}         changes the delimiters until the end of the template
 * Numbers print as JSON writes them (85, 1.21); cJSON raw nodes (json_number)
 * print their text; true/false print as words; lists and objects print as
 * compact JSON.
 *
 * A template is compiled once and may be rendered many times, from several
 * threads at once (rendering never modifies it). Hostile input is bounded:
 * sections nest at most TEMPLATE_MAX_NESTING deep in a template, partials
 * TEMPLATE_MAX_PARTIAL_DEPTH deep, and one render produces at most
 * TEMPLATE_MAX_OUTPUT bytes in at most TEMPLATE_MAX_STEPS tag evaluations;
 * past a limit the render fails with a clear error. */
#ifndef BK_TEMPLATE_H
#define BK_TEMPLATE_H

#include <cjson/cJSON.h>

#include "lib/base/strbuf.h"

#define TEMPLATE_MAX_NESTING 100
#define TEMPLATE_MAX_PARTIAL_DEPTH 50
#define TEMPLATE_MAX_OUTPUT ((size_t)64 * 1024 * 1024)
#define TEMPLATE_MAX_STEPS 50000000UL

/* A compiled Mustache template. */
struct template;

/* How {{name}} is escaped: HTML text/attributes (lib/base/escape.h escape_html),
 * inline GFM markdown incl. table cells (escape_markdown), or not at all. */
enum template_escape { TEMPLATE_ESCAPE_HTML, TEMPLATE_ESCAPE_MARKDOWN, TEMPLATE_ESCAPE_NONE };

/* Loads a partial's source by name; returns a heap string (caller frees) or
 * NULL when absent (an absent partial renders as nothing). */
typedef char *(*template_partial_fn)(void *payload, const char *name);

/* Render options; `partial` may be NULL (no partials). */
struct template_opts {
	enum template_escape escape;
	template_partial_fn partial;
	void *payload;
};

/* Compiles src into *out (free with template_free). `name` is used in errors
 * ("NAME:LINE:COL: unclosed section 'x'"). Returns 0, or -1 with bk_error
 * set and *out NULL. */
int template_compile(struct template **out, const char *name, const char *src);

/* Renders t with data (a cJSON tree; NULL is an empty context), appending to
 * out. Partials are loaded through o->partial and compiled once per call;
 * o NULL means HTML escaping and no partials.
 * Returns 0, or -1 with bk_error set and out left as it was before the call. */
int template_render(const struct template *t, const cJSON *data, const struct template_opts *o,
		    struct strbuf *out);

/* Frees t (NULL is fine). */
void template_free(struct template *t);

/* The name given to template_compile (owned by t). */
const char *template_name(const struct template *t);

/* Convenience: compile + render + free. 0 or -1 with bk_error. */
int template_render_string(const char *name, const char *src, const cJSON *data,
			   const struct template_opts *o, struct strbuf *out);

/* A partial loader that reads DIR/NAME.mustache (payload = the directory path
 * as a NUL-terminated string). Refuses (returns NULL for) empty names, names
 * containing '/' or "..", and files that are not regular or exceed 16 MiB.
 * Returns a heap string (caller frees) or NULL. */
char *template_partial_from_dir(void *dir, const char *name);

/* A set of templates compiled once and shared by many renders (e.g. every
 * page of a site): templates and partials are loaded by name through `load`
 * on first use and kept compiled. Safe to use from several threads. */
struct template_cache;

/* Creates a cache loading sources through load(payload, name) (e.g.
 * template_partial_from_dir with a directory). Free with template_cache_free. */
struct template_cache *template_cache_new(template_partial_fn load, void *payload);

/* Frees the cache and every template in it (NULL is fine). */
void template_cache_free(struct template_cache *c);

/* The compiled template `name`, loading and compiling it on first use.
 * Owned by the cache (valid until template_cache_free). Returns NULL with
 * bk_error set when absent or invalid. */
const struct template *template_cache_get(struct template_cache *c, const char *name);

/* Renders the template `name` from the cache with data, its partials also
 * coming from the cache, appending to out. The cache remembers the size of
 * each template's last output and grows out to it before rendering (one
 * allocation instead of a dozen doublings for a 200 KB page). 0, or -1 with
 * bk_error set and out left as it was. */
int template_cache_render(struct template_cache *c, const char *name, const cJSON *data,
			  enum template_escape escape, struct strbuf *out);

#endif
