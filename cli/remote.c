/*
 * cli/remote.c: accord-search --server: the same request sent to a running
 * accord-searchd (libcurl), its JSON answer read back into acc_results, so
 * that the output is that of a local search.
 */
#include "remote.h"

#include <curl/curl.h>
#include <jansson.h>
#include <string.h>

#include "accord/mem.h"

/* an answer larger than this is refused (a page of 100 hits is far smaller) */
#define ANSWER_MAX (64u << 20)
/* seconds a request may take */
#define REQUEST_TIMEOUT 60L

typedef struct body {
    acc_buf b;
} body;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
    body *bd = ctx;
    if (acc_buf_append(&bd->b, p, size * nmemb) != 0)
        return 0; /* over the cap: curl stops */
    return size * nmemb;
}

acc_results *cli_ask_server(const char *server, const acc_query *q, acc_error *err)
{
    acc_buf url;
    body bd;
    acc_results *r = NULL;
    long code = 0;
    CURL *curl = curl_easy_init();

    acc_buf_init(&url, 0);
    acc_buf_init(&bd.b, ANSWER_MAX);
    acc_buf_append(&url, server, strlen(server));
    while (url.n && url.p[url.n - 1] == '/')
        url.p[--url.n] = '\0';
    acc_buf_append(&url, "/search?", 8);
    acc_buf params;
    acc_buf_init(&params, 0);
    acc_query_to_params(q, &params);
    acc_buf_append(&url, params.p ? params.p : "", params.n);
    acc_buf_release(&params);
    if (!curl) {
        acc_error_set(err, ACC_EIO, "cannot start the HTTP client");
        goto out;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.p);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &bd);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, REQUEST_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        acc_error_set(err, ACC_EIO, "cannot reach '%s': %s", server, curl_easy_strerror(rc));
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) {
        json_t *o = json_loadb(bd.b.p ? bd.b.p : "", bd.b.n, 0, NULL);
        const char *msg =
            json_string_value(json_object_get(json_object_get(o, "error"), "message"));
        acc_error_set(err, code < 500 ? ACC_EINVAL : ACC_EIO, "server answered %ld: %s", code,
                      msg ? msg : "no message");
        json_decref(o);
        goto out;
    }
    acc_results_from_json(bd.b.p ? bd.b.p : "", bd.b.n, &r, err);
out:
    if (curl)
        curl_easy_cleanup(curl);
    acc_buf_release(&url);
    acc_buf_release(&bd.b);
    return r;
}
