/* lib/threads.c: see lib/threads.h. */
#include "threads.h"

#include <pthread.h>
#include <unistd.h>

unsigned acc_threads_for(unsigned want, unsigned max, unsigned long jobs)
{
    if (!want) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        want = c > 0 ? (unsigned)c : 1;
    }
    if (max > ACC_THREADS_MAX)
        max = ACC_THREADS_MAX;
    if (want > max)
        want = max;
    if (want > jobs)
        want = (unsigned)jobs;
    return want ? want : 1;
}

void acc_threads_run(void *(*fn)(void *), void *arg, unsigned n)
{
    pthread_t tid[ACC_THREADS_MAX];
    unsigned started = 0;
    if (n > ACC_THREADS_MAX)
        n = ACC_THREADS_MAX;
    for (; started + 1 < n; started++)
        if (pthread_create(&tid[started], NULL, fn, arg) != 0)
            break;
    fn(arg); /* this thread is one of them */
    for (unsigned k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
}
