/* json: reading and writing JSON files on cJSON, with errors that name the
 * file, line and column (parse errors) or the key path (schema errors). */
#ifndef BK_JSON_H
#define BK_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "lib/base/strbuf.h"

/* Largest JSON document accepted (bytes); a larger one is refused. */
#define JSON_MAX_BYTES ((size_t)512 * 1024 * 1024)
/* Most values (numbers, strings, literals, arrays, objects) a document may
 * hold: cJSON spends about 64 bytes on each, so this bounds the memory a
 * hostile file can make the parser take (~256 MiB). */
#define JSON_MAX_VALUES ((size_t)4 * 1024 * 1024)
/* Deepest nesting of arrays and objects accepted (cJSON itself stops at
 * 1000 with a less clear error). */
#define JSON_MAX_DEPTH 512

/* Parses `len` bytes of `buf` (need not be NUL-terminated). `name` is used in
 * the error ("NAME:LINE:COL: invalid JSON ..."). Trailing garbage is an
 * error, and so is a document over the limits above. Returns the tree (caller frees with cJSON_Delete) or NULL with
 * bk_error set. */
cJSON *json_parse_buf(const char *name, const char *buf, size_t len);
/* Reads and parses the file at `path` ("-" reads stdin). Returns the tree
 * (caller cJSON_Delete) or NULL with bk_error set. */
cJSON *json_parse_file(const char *path);

/* Computes 1-based line and column of byte `offset` in buf. */
void json_line_col(const char *buf, size_t len, size_t offset, int *line, int *col);

/* Serialises `j` pretty-printed with a trailing newline into a heap string
 * (caller frees with free()). */
char *json_print(const cJSON *j);
/* Writes `j` pretty-printed to `path` atomically. 0 or -1 with bk_error. */
int json_write_file(const char *path, const cJSON *j);

/* Appends `s` to sb as a JSON string literal (quotes included, escaped). */
void json_add_string(struct strbuf *sb, const char *s);

/* Typed object field accessors: return the member of `obj` named `key`
 * (case-sensitive) when it has the type, else NULL. */
const char *json_get_string(const cJSON *obj, const char *key);
/* Stores the number in *out and returns 1 when present and a number; 0 when
 * absent; -1 when present with another type. */
int json_get_number(const cJSON *obj, const char *key, double *out);

/* Typed member access for reading documents. Each reads member `key` of obj
 * (case-sensitive; obj need not be an object, then every member is absent)
 * and returns 1 when present with the type (stored in *out), 0 when absent or
 * JSON null (*out untouched), -1 when present with another type. A number
 * must be finite; strings point into the tree. */
int json_field_number(const cJSON *obj, const char *key, double *out);
int json_field_string(const cJSON *obj, const char *key, const char **out);
int json_field_bool(const cJSON *obj, const char *key, int *out);
int json_field_array(const cJSON *obj, const char *key, const cJSON **out);
int json_field_object(const cJSON *obj, const char *key, const cJSON **out);
/* Member `key` of obj whatever its type, NULL when absent or JSON null. */
const cJSON *json_field_value(const cJSON *obj, const char *key);
/* 1 when obj has a member `key`, whatever its value (null included). */
int json_has(const cJSON *obj, const char *key);
/* 1 when v is a JSON object / array (NULL: 0). */
int json_is_object(const cJSON *v);
int json_is_array(const cJSON *v);

/* Creates a node that prints the finite double v exactly (shortest text that
 * reads back to the same double); non-finite becomes null. The node is a
 * cJSON raw node: for building output, not for reading back as a number. */
cJSON *json_number(double v);

/* A per-thread arena for cJSON's allocations: between json_arena_begin() and
 * json_arena_end() on one thread, every cJSON node and string that thread
 * allocates is carved from large blocks and cJSON's frees are no-ops;
 * json_arena_end() frees the blocks all at once. Parsing a result file then
 * costs no malloc per number. Everything made by cJSON inside the scope
 * must be deleted (cJSON_Delete) before json_arena_end() and must not be
 * released with free(). Other threads are unaffected. */
void json_arena_begin(void);
void json_arena_end(void);

#endif
