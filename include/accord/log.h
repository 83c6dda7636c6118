/*
 * Program logging: one line per message on stderr, "prog: level: message".
 * Library code never logs (it fills acc_error); the three programs do.
 * The level is checked before formatting. Not for hot loops.
 */
#ifndef ACCORD_LOG_H
#define ACCORD_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum acc_log_level {
    ACC_LOG_ERROR = 0,
    ACC_LOG_WARN = 1,
    ACC_LOG_INFO = 2,
    ACC_LOG_DEBUG = 3,
} acc_log_level;

/* Sets the program name shown in front of each line and the verbosity. */
void acc_log_setup(const char *prog, acc_log_level level);
void acc_log(acc_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif
