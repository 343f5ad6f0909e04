#ifndef FEEDLOOP_CRABBITMQ_SHIM_H
#define FEEDLOOP_CRABBITMQ_SHIM_H
// librabbitmq 0.11 (Debian bookworm) installs its headers at the include root.
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#endif
