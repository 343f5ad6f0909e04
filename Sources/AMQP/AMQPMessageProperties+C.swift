import CRabbitMQ
import Foundation

extension CArena {
    /// The C basic properties for a publish; every string lives as long as the arena.
    func basicProperties(_ properties: AMQPMessageProperties) -> amqp_basic_properties_t {
        var c = amqp_basic_properties_t()
        var flags: amqp_flags_t = FEEDLOOP_AMQP_BASIC_DELIVERY_MODE_FLAG
        c.delivery_mode = properties.persistent ? 2 : 1
        if let contentType = properties.contentType {
            c.content_type = bytes(contentType)
            flags |= FEEDLOOP_AMQP_BASIC_CONTENT_TYPE_FLAG
        }
        if let messageId = properties.messageId {
            c.message_id = bytes(messageId)
            flags |= FEEDLOOP_AMQP_BASIC_MESSAGE_ID_FLAG
        }
        if let type = properties.type {
            c.type = bytes(type)
            flags |= FEEDLOOP_AMQP_BASIC_TYPE_FLAG
        }
        if let timestamp = properties.timestamp {
            // AMQP timestamps are whole seconds since the epoch.
            c.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970.rounded(.down)))
            flags |= FEEDLOOP_AMQP_BASIC_TIMESTAMP_FLAG
        }
        if let correlationId = properties.correlationId {
            c.correlation_id = bytes(correlationId)
            flags |= FEEDLOOP_AMQP_BASIC_CORRELATION_ID_FLAG
        }
        if !properties.headers.isEmpty {
            c.headers = table(properties.headers)
            flags |= FEEDLOOP_AMQP_BASIC_HEADERS_FLAG
        }
        c._flags = flags
        return c
    }
}

extension AMQPMessageProperties {
    /// Copies received properties; absent fields stay nil, a missing delivery mode means transient.
    init(cProperties c: amqp_basic_properties_t) {
        let flags = c._flags
        func has(_ flag: amqp_flags_t) -> Bool { flags & flag != 0 }
        self.init(
            contentType: has(FEEDLOOP_AMQP_BASIC_CONTENT_TYPE_FLAG) ? String(amqpBytes: c.content_type) : nil,
            messageId: has(FEEDLOOP_AMQP_BASIC_MESSAGE_ID_FLAG) ? String(amqpBytes: c.message_id) : nil,
            type: has(FEEDLOOP_AMQP_BASIC_TYPE_FLAG) ? String(amqpBytes: c.type) : nil,
            timestamp: has(FEEDLOOP_AMQP_BASIC_TIMESTAMP_FLAG)
                ? Date(timeIntervalSince1970: TimeInterval(c.timestamp)) : nil,
            correlationId: has(FEEDLOOP_AMQP_BASIC_CORRELATION_ID_FLAG) ? String(amqpBytes: c.correlation_id) : nil,
            persistent: has(FEEDLOOP_AMQP_BASIC_DELIVERY_MODE_FLAG) && c.delivery_mode == 2,
            headers: has(FEEDLOOP_AMQP_BASIC_HEADERS_FLAG) ? AMQPTable(cTable: c.headers) : [:]
        )
    }
}
