#ifndef FEEDLOOP_CPOSTGRES_SHIM_H
#define FEEDLOOP_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
