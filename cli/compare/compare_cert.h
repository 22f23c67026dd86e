/* The built-in certificate and key of polytls compare (compare_cert.c). */
#ifndef PTLS_COMPARE_CERT_H
#define PTLS_COMPARE_CERT_H

extern const char cmp_cert_pem[];
extern const char cmp_key_pem[];

#endif
