/* cli/table.h: accord-search's output for a terminal. */
#ifndef ACCORD_CLI_TABLE_H
#define ACCORD_CLI_TABLE_H

#include "accord/query.h"

/* Prints r as a readable table on stdout, ranks from offset + 1; colour: ANSI bold and dim. */
void cli_print_table(const acc_results *r, unsigned offset, int colour);

#endif
