/* The validity period of a certificate, read from its DER with a minimal
 * walker (the core includes no TLS library): enough to refuse, with a clear
 * message, to serve an expired or not yet valid certificate. */
#ifndef PTLS_X509_TIME_H
#define PTLS_X509_TIME_H

#include <stddef.h>
#include <time.h>

/* Returns 0 and the notBefore/notAfter times, or -1 if the DER is not a
 * certificate this walker understands. */
int ptls_cert_validity(const unsigned char *der, size_t len, time_t *not_before, time_t *not_after);

#endif
