/* cli/remote.h: asking a running accord-searchd (accord-search --server). */
#ifndef ACCORD_CLI_REMOTE_H
#define ACCORD_CLI_REMOTE_H

#include "accord/query.h"
#include "accord/status.h"

/*
 * Sends q to the accord-searchd at server (http://host:port) as /search
 * parameters and returns its results (caller frees with acc_results_free),
 * or NULL with err set: ACC_EIO when the server cannot be reached or fails
 * (5xx), ACC_EINVAL when it refuses the request (4xx, its message quoted).
 */
acc_results *cli_ask_server(const char *server, const acc_query *q, acc_error *err);

#endif
