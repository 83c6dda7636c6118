/*
 * cli/remote.c: accord-search --server: the same request sent to a running
 * accord-searchd (libcurl), its JSON answer read back into acc_results, so
 * that the output is that of a local search.
 *
 * libcurl is loaded (dlopen) when a request is sent, not when accord-search
 * starts: a local search would otherwise load it and the thirty libraries
 * under it (TLS, Kerberos, LDAP, SSH...), most of a local search's start-up.
 */
#include "remote.h"

#include <curl/curl.h>
#include <dlfcn.h>
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

/* the libcurl functions used here, from the library loaded at the first request */
typedef struct curl_api {
    CURL *(*init)(void);
    CURLcode (*setopt)(CURL *, CURLoption, ...);
    CURLcode (*perform)(CURL *);
    CURLcode (*getinfo)(CURL *, CURLINFO, ...);
    const char *(*strerror)(CURLcode);
    void (*cleanup)(CURL *);
} curl_api;

/* Loads libcurl (the soname Debian's libcurl4 installs); 0, or -1 with err set. */
static int load_curl(curl_api *c, acc_error *err)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        acc_error_set(err, ACC_EIO, "cannot load libcurl for --server (package libcurl4): %s",
                      dlerror());
        return -1;
    }
    /* POSIX: a data pointer from dlsym converts to a function pointer of the right type */
    *(void **)&c->init = dlsym(h, "curl_easy_init");
    *(void **)&c->setopt = dlsym(h, "curl_easy_setopt");
    *(void **)&c->perform = dlsym(h, "curl_easy_perform");
    *(void **)&c->getinfo = dlsym(h, "curl_easy_getinfo");
    *(void **)&c->strerror = dlsym(h, "curl_easy_strerror");
    *(void **)&c->cleanup = dlsym(h, "curl_easy_cleanup");
    if (!c->init || !c->setopt || !c->perform || !c->getinfo || !c->strerror || !c->cleanup) {
        acc_error_set(err, ACC_EIO, "libcurl.so.4 lacks the functions accord-search uses");
        return -1;
    }
    return 0; /* kept loaded until the process ends */
}

acc_results *cli_ask_server(const char *server, const acc_query *q, acc_error *err)
{
    acc_buf url;
    body bd;
    acc_results *r = NULL;
    long code = 0;
    curl_api api;
    if (load_curl(&api, err) != 0)
        return NULL;
    CURL *curl = api.init();

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
    api.setopt(curl, CURLOPT_URL, url.p);
    api.setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    api.setopt(curl, CURLOPT_WRITEDATA, &bd);
    api.setopt(curl, CURLOPT_TIMEOUT, REQUEST_TIMEOUT);
    api.setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = api.perform(curl);
    if (rc != CURLE_OK) {
        acc_error_set(err, ACC_EIO, "cannot reach '%s': %s", server, api.strerror(rc));
        goto out;
    }
    api.getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
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
        api.cleanup(curl);
    acc_buf_release(&url);
    acc_buf_release(&bd.b);
    return r;
}
