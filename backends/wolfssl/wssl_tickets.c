/*
 * Session ticket protection owned by the backend instead of wolfSSL's
 * default callback, whose keys are made lazily in each process: with the
 * core's -workers (processes forked after server_new) a ticket issued by
 * one worker would not resume on another. Here one ChaCha20-Poly1305 key
 * and key name are made in server_new, before any fork, and shared by
 * every context (-cert2 included) of the server.
 */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>

#include <string.h>

#include "wssl_internal.h"

/* The AAD binds the key name and nonce to the ciphertext. */
static int wssl_ticket_cb(WOLFSSL *ssl, unsigned char key_name[WOLFSSL_TICKET_NAME_SZ],
                          unsigned char iv[WOLFSSL_TICKET_IV_SZ], unsigned char mac[WOLFSSL_TICKET_MAC_SZ],
                          int enc, unsigned char *ticket, int in_len, int *out_len, void *user)
{
    wssl_server *srv = user;
    unsigned char aad[WOLFSSL_TICKET_NAME_SZ + WOLFSSL_TICKET_IV_SZ];
    (void)ssl;
    if (in_len < 0) return WOLFSSL_TICKET_RET_FATAL;
    if (enc) {
        memcpy(key_name, srv->ticket_name, WOLFSSL_TICKET_NAME_SZ);
        if (wolfSSL_RAND_bytes(iv, WOLFSSL_TICKET_IV_SZ) != WOLFSSL_SUCCESS) return WOLFSSL_TICKET_RET_FATAL;
        memcpy(aad, key_name, WOLFSSL_TICKET_NAME_SZ);
        memcpy(aad + WOLFSSL_TICKET_NAME_SZ, iv, WOLFSSL_TICKET_IV_SZ);
        memset(mac, 0, WOLFSSL_TICKET_MAC_SZ);
        if (wc_ChaCha20Poly1305_Encrypt(srv->ticket_key, iv, aad, sizeof aad, ticket, (word32)in_len, ticket,
                                        mac) != 0)
            return WOLFSSL_TICKET_RET_FATAL;
        *out_len = in_len;
        return WOLFSSL_TICKET_RET_OK;
    }
    /* A ticket from another server (or a restarted one): full handshake. */
    if (memcmp(key_name, srv->ticket_name, WOLFSSL_TICKET_NAME_SZ) != 0) return WOLFSSL_TICKET_RET_REJECT;
    memcpy(aad, key_name, WOLFSSL_TICKET_NAME_SZ);
    memcpy(aad + WOLFSSL_TICKET_NAME_SZ, iv, WOLFSSL_TICKET_IV_SZ);
    if (wc_ChaCha20Poly1305_Decrypt(srv->ticket_key, iv, aad, sizeof aad, ticket, (word32)in_len, mac,
                                    ticket) != 0)
        return WOLFSSL_TICKET_RET_REJECT;
    *out_len = in_len;
    return WOLFSSL_TICKET_RET_OK;
}

int wssl_tickets_install(WOLFSSL_CTX *ctx, wssl_server *srv, char *err, size_t errlen)
{
    if (!srv->ticket_key_set) {
        if (wolfSSL_RAND_bytes(srv->ticket_name, sizeof srv->ticket_name) != WOLFSSL_SUCCESS ||
            wolfSSL_RAND_bytes(srv->ticket_key, sizeof srv->ticket_key) != WOLFSSL_SUCCESS) {
            wssl_set_err(err, errlen, "generating the session ticket key failed");
            return -1;
        }
        srv->ticket_key_set = 1;
    }
    if (wolfSSL_CTX_set_TicketEncCb(ctx, wssl_ticket_cb) != WOLFSSL_SUCCESS ||
        wolfSSL_CTX_set_TicketEncCtx(ctx, srv) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "installing the session ticket callback failed");
        return -1;
    }
    return 0;
}
