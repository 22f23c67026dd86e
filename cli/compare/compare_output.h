/* What `polytls compare` shows: the fields recorded per flavour (the same
 * names on every flavour), the side-by-side table, the corpus matrix and
 * the JSON for machines. */
#ifndef PTLS_COMPARE_OUTPUT_H
#define PTLS_COMPARE_OUTPUT_H

#include <stdio.h>

#include "compare.h"
#include "output/json_writer.h"

#define CMP_MAX_FIELDS 96

typedef struct cmp_field {
    char name[40];
    char value[200]; /* "-" when it does not apply */
    int info;        /* shown, never counted as a difference (timing-dependent framing) */
} cmp_field;

/* The short code of a run: "1.3 AES128GCM X25519", "HRR P-256",
 * "alert illegal_parameter", "close", "refused". */
void cmp_code(const cmp_result *r, char *buf, size_t len);
/* Every field of a run, in a fixed order: one "ext NAME" row per
 * extension type in ext_types (present: its value or "yes"; the order the
 * server wrote them is the info row "extension order"). Returns the count. */
int cmp_fields(const cmp_input *in, const cmp_result *r, const uint16_t *ext_types, int n_ext_types,
               cmp_field *out, int max);
/* The extension types any of the n results' (Server|HelloRetry)Hello has,
 * by type number. Returns the count. */
int cmp_ext_types(const cmp_result *rs, int n, uint16_t *types, int max);

/* Whether the n results differ in a compared field; names of the differing
 * fields, ", "-separated, into diff (may be NULL). */
int cmp_differs(const cmp_input *in, const cmp_result *rs, int n, char *diff, size_t difflen);

/* The side-by-side table: one column per flavour, one row per field, rows
 * that differ marked (colour, else '*'). */
void cmp_print_table(FILE *out, const cmp_input *in, const cmp_result *rs, int n, int color);
/* The corpus matrix: one row per case, one column per flavour; rs is
 * n_cases x n_flavours, case-major. */
void cmp_print_matrix(FILE *out, const cmp_input *ins, int n_cases, const cmp_result *rs, int n_flavours,
                      int color);

/* One input's results as a JSON object (one line) into j. repro: the
 * command line that reruns it. */
void cmp_json_case(ptls_json *j, const cmp_input *in, const cmp_result *rs, int n, const char *repro);

#endif
