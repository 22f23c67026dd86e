/* The built-in corpus of `polytls compare --case NAME` / `--corpus`:
 * ClientHellos made with core/wire/clienthello_build.c where TLS stacks are
 * known or likely to answer differently. Each case is deterministic (the
 * builder's fixed pseudo-random sequence), so `--case NAME` always sends
 * the same bytes. */
#ifndef PTLS_COMPARE_CORPUS_H
#define PTLS_COMPARE_CORPUS_H

#include "compare.h"

int cmp_corpus_count(void);
/* Fills in (bytes, name, description, the case's s_server options); in is
 * zeroed first. i in [0, cmp_corpus_count()). */
void cmp_corpus_input(int i, cmp_input *in);
/* Index of a case by name, -1 if none. */
int cmp_corpus_find(const char *name);
const char *cmp_corpus_name(int i);
const char *cmp_corpus_description(int i);

#endif
