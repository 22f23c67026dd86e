/* Minimal PEM handling for output only (fingerprints, printing a client
 * certificate): the backends do all real certificate parsing. */
#ifndef PTLS_PEM_H
#define PTLS_PEM_H

#include <stddef.h>
#include <stdio.h>

/* Decode the first "-----BEGIN CERTIFICATE-----" block of a PEM file into
 * der (malloc'd). Returns its length or -1. */
long ptls_pem_read_first_cert(const char *path, unsigned char **der);
/* Write DER as a PEM CERTIFICATE block. */
void ptls_pem_write_cert(FILE *out, const unsigned char *der, size_t len);
/* "AB:CD:..." SHA-256 fingerprint of DER into out (>= 96 bytes). */
void ptls_fingerprint(const unsigned char *der, size_t len, char *out, size_t outlen);

#endif
