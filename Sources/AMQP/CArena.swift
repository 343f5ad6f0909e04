import CRabbitMQ
import Foundation

/// Owns the C memory handed to librabbitmq for the duration of one call.
///
/// librabbitmq borrows every `amqp_bytes_t` and table it is given, so the buffers must outlive the
/// call; the arena keeps them until ``release()``, which callers run in a `defer` right after it.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { release() }

    func release() {
        for block in blocks { free(block) }
        blocks.removeAll()
    }

    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let raw = malloc(max(1, count * MemoryLayout<T>.stride))!
        blocks.append(raw)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    func bytes(_ text: String) -> amqp_bytes_t {
        bytes(Array(text.utf8))
    }

    func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        guard !data.isEmpty else { return amqp_bytes_t(len: 0, bytes: nil) }
        let raw = malloc(data.count)!
        blocks.append(raw)
        data.withUnsafeBytes { raw.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
        return amqp_bytes_t(len: data.count, bytes: raw)
    }

    /// A NUL-terminated copy, for the few C functions that take `const char *`.
    func cString(_ text: String) -> UnsafePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let pointer = allocate(CChar.self, count: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return UnsafePointer(pointer)
    }
}

extension String {
    /// Decodes bytes received from the broker; invalid UTF-8 is repaired, never fatal.
    init(amqpBytes bytes: amqp_bytes_t) {
        guard bytes.len > 0, let start = bytes.bytes else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: start, count: bytes.len), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    init(amqpBytes bytes: amqp_bytes_t) {
        guard bytes.len > 0, let start = bytes.bytes else {
            self = []
            return
        }
        self = Array(UnsafeRawBufferPointer(start: start, count: bytes.len))
    }
}

extension Duration {
    /// The duration as a `timeval`, negative durations clamped to zero.
    var cTimeval: timeval {
        let (seconds, attoseconds) = components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return timeval(tv_sec: 0, tv_usec: 0) }
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
