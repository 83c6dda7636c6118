/*
 * A program outside the build, linked against an installed libaccord with
 * pkg-config --static --cflags --libs accord (scripts/check-deb.sh).
 * use_libaccord INDEX QUERY prints the ids of the hits; exit status 0 with
 * hits, 1 without, 2 on error.
 */
#include <accord/index.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    acc_index *db = NULL;
    acc_results *r = NULL;
    acc_query q;
    acc_error err;
    int status = 2;

    if (argc != 3)
        return 2;
    acc_query_init(&q);
    q.text = argv[2];
    q.text_len = strlen(argv[2]);
    if (acc_index_open(argv[1], &db, &err) != ACC_OK ||
        acc_index_search(db, &q, &r, &err) != ACC_OK) {
        fprintf(stderr, "use_libaccord: %s\n", err.msg);
        goto out;
    }
    for (size_t i = 0; i < r->nhits; i++)
        printf("%s\n", r->hits[i].id);
    status = r->nhits ? 0 : 1;
out:
    acc_results_free(r);
    acc_index_close(db);
    return status;
}
