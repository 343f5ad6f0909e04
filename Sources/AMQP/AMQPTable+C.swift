import CRabbitMQ
import Foundation

extension CArena {
    /// Builds a C field table whose memory lives as long as the arena.
    func table(_ table: AMQPTable) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        // Sorted keys keep the wire encoding stable, which makes declarations reproducible.
        let keys = table.keys.sorted()
        let entries = allocate(amqp_table_entry_t.self, count: keys.count)
        for (index, key) in keys.enumerated() {
            (entries + index).initialize(to: amqp_table_entry_t(key: bytes(key), value: fieldValue(table[key]!)))
        }
        return amqp_table_t(num_entries: Int32(keys.count), entries: entries)
    }

    func fieldValue(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let text):
            field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            field.value.bytes = bytes(text)
        case .int(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            field.value.i64 = number
        case .bool(let flag):
            field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            field.value.boolean = flag ? 1 : 0
        case .double(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            field.value.f64 = number
        case .table(let nested):
            field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            field.value.table = table(nested)
        case .array(let elements):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            let values = allocate(amqp_field_value_t.self, count: elements.count)
            for (index, element) in elements.enumerated() {
                (values + index).initialize(to: fieldValue(element))
            }
            field.value.array = amqp_array_t(num_entries: Int32(elements.count), entries: elements.isEmpty ? nil : values)
        }
        return field
    }
}

extension AMQPFieldValue {
    /// Converts a received value; kinds without a Swift counterpart (void) give nil.
    init?(cValue field: amqp_field_value_t) {
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: self = .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: self = .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: self = .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: self = .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: self = .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: self = .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: self = .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: self = .int(field.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue:
            self = .int(Int64(clamping: field.value.u64))
        case AMQP_FIELD_KIND_F32.rawValue: self = .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64.rawValue: self = .double(field.value.f64)
        case AMQP_FIELD_KIND_DECIMAL.rawValue:
            let decimal = field.value.decimal
            self = .double(Double(decimal.value) / pow(10, Double(decimal.decimals)))
        case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue:
            self = .string(String(amqpBytes: field.value.bytes))
        case AMQP_FIELD_KIND_TABLE.rawValue:
            self = .table(AMQPTable(cTable: field.value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue:
            let array = field.value.array
            var elements: [AMQPFieldValue] = []
            if array.num_entries > 0, let entries = array.entries {
                for index in 0..<Int(array.num_entries) {
                    if let element = AMQPFieldValue(cValue: entries[index]) { elements.append(element) }
                }
            }
            self = .array(elements)
        default:
            return nil
        }
    }
}

extension Dictionary where Key == String, Value == AMQPFieldValue {
    /// Copies a C field table received from the broker into Swift values.
    init(cTable table: amqp_table_t) {
        self.init()
        guard table.num_entries > 0, let entries = table.entries else { return }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            if let value = AMQPFieldValue(cValue: entry.value) {
                self[String(amqpBytes: entry.key)] = value
            }
        }
    }
}
