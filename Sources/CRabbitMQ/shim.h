#ifndef FEEDLOOP_CRABBITMQ_SHIM_H
#define FEEDLOOP_CRABBITMQ_SHIM_H
// librabbitmq 0.11 (Debian bookworm) installs its headers at the include root.
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

// Swift cannot import variadic C functions nor macros that contain casts, so the few that the
// AMQP module needs are re-exported here.

/// amqp_login_with_properties with SASL PLAIN (the C function is variadic).
static inline amqp_rpc_reply_t feedloop_amqp_login_plain(
    amqp_connection_state_t state, const char *vhost, int channel_max, int frame_max,
    int heartbeat, const amqp_table_t *client_properties, const char *user,
    const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat,
                                      client_properties, AMQP_SASL_METHOD_PLAIN, user,
                                      password);
}

static const amqp_method_number_t FEEDLOOP_AMQP_CONNECTION_CLOSE_METHOD = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_CONNECTION_CLOSE_OK_METHOD = AMQP_CONNECTION_CLOSE_OK_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_CONNECTION_BLOCKED_METHOD = AMQP_CONNECTION_BLOCKED_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_CONNECTION_UNBLOCKED_METHOD = AMQP_CONNECTION_UNBLOCKED_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_CHANNEL_CLOSE_METHOD = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_CHANNEL_CLOSE_OK_METHOD = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_BASIC_ACK_METHOD = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_BASIC_NACK_METHOD = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_BASIC_RETURN_METHOD = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_BASIC_DELIVER_METHOD = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t FEEDLOOP_AMQP_BASIC_CANCEL_METHOD = AMQP_BASIC_CANCEL_METHOD;

static const amqp_flags_t FEEDLOOP_AMQP_BASIC_CONTENT_TYPE_FLAG = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t FEEDLOOP_AMQP_BASIC_HEADERS_FLAG = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t FEEDLOOP_AMQP_BASIC_DELIVERY_MODE_FLAG = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t FEEDLOOP_AMQP_BASIC_CORRELATION_ID_FLAG = AMQP_BASIC_CORRELATION_ID_FLAG;
static const amqp_flags_t FEEDLOOP_AMQP_BASIC_MESSAGE_ID_FLAG = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t FEEDLOOP_AMQP_BASIC_TIMESTAMP_FLAG = AMQP_BASIC_TIMESTAMP_FLAG;
static const amqp_flags_t FEEDLOOP_AMQP_BASIC_TYPE_FLAG = AMQP_BASIC_TYPE_FLAG;

#endif
