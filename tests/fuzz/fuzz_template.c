/* fuzz_template: the Mustache engine on a hostile template and hostile data.
 *
 * Input: one mode byte, the template, a NUL byte, then the JSON data (absent
 * or invalid data renders with an empty context). The mode byte picks the
 * escaping (HTML, markdown, none) and whether the render goes through a
 * template_cache. Partials: any name starting with 's' is the template
 * itself (recursion), 'x...' is absent, others are a small fixed partial.
 * Invariant: in HTML mode a template without '<', '&', '{{{' and '=' renders
 * no '<' whatever the data holds (interpolated values are escaped). */
#include "fuzz.h"

#include <string.h>

#include "lib/base/error.h"
#include "lib/doc/json.h"
#include "sitegen/render/template.h"
#include "lib/base/xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static char *load(void *payload, const char *name)
{
	if (name[0] == 's')
		return xstrdup(payload);
	if (name[0] == 'x')
		return NULL;
	return xstrdup("  {{#.}}[{{.}}]{{/.}}\n{{^.}}none{{/.}}\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	const char *nul = memchr(p, '\0', n);
	size_t tlen = nul ? (size_t)(nul - p) : n;
	char *src = xstrndup(p, tlen);
	cJSON *json = NULL;
	if (nul)
		json = json_parse_buf("data.json", nul + 1, n - tlen - 1);
	enum template_escape esc = (enum template_escape)(mode % 3);
	struct strbuf out = STRBUF_INIT;
	int rc;
	if (mode & 4) {
		struct template_cache *c = template_cache_new(load, src);
		rc = template_cache_render(c, "self", json, esc, &out);
		template_cache_free(c);
	} else {
		struct template_opts o = { esc, load, src };
		rc = template_render_string("fuzz.mustache", src, json, &o, &out);
	}
	if (rc < 0 && out.len)
		fuzz_fail("a failed render left output behind", bk_last_error());
	if (rc == 0 && esc == TEMPLATE_ESCAPE_HTML && !strpbrk(src, "<&=") && !strstr(src, "{{{") &&
	    memchr(out.buf, '<', out.len))
		fuzz_fail("HTML mode rendered '<' from data", out.buf);
	strbuf_release(&out);
	cJSON_Delete(json);
	free(src);
	return 0;
}
