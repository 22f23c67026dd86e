/* What the server prints about a connection, in s_server's formats, and the
 * shared text pieces the -www status page reuses. */
#ifndef PTLS_REPORT_H
#define PTLS_REPORT_H

#include "base/buffer.h"
#include "options/server_opts.h"
#include "polytls/backend.h"

const char *ptls_version_name(int version); /* 0x0304 -> "TLSv1.3" */
/* Print the connection summary after a handshake (stdout, or stderr for
 * -brief; nothing with -quiet), then -keymatexport output. */
void ptls_report_established(const ptls_server_opts *o, const ptls_backend *be, void *tls,
                             const ptls_conn_info *info);
/* The session summary for the -www page. */
void ptls_report_session(const ptls_conn_info *info, ptls_buf *b);

#endif
