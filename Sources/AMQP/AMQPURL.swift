import Foundation

/// Where to connect: parsed from `amqp://user:pass@host:port/vhost` (vhost percent-encoded,
/// `/` when the path is empty). `description` never shows the password.
///
/// A broker cluster is one URL with `fallbacks`: ``AMQPConnection`` tries ``endpoints`` in
/// order on every (re)connect, so a worker whose node died reconnects to a survivor.
public struct AMQPURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    /// Further nodes of the same cluster, tried after this one (each without fallbacks of its own).
    public var fallbacks: [AMQPURL] = []

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest", vhost: String = "/") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.vhost = vhost
    }

    /// Throws `AMQPError` with code `.invalidURL` naming what is wrong.
    public init(parsing string: String) throws {
        // Error messages quote only the parts that cannot hold a secret.
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw AMQPError(.invalidURL, "AMQP URL must start with amqp://")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "amqp" else {
            throw AMQPError(.invalidURL, "unsupported AMQP URL scheme '\(scheme)' (only amqp:// is supported)")
        }
        var rest = trimmed[schemeEnd.upperBound...]
        // Query parameters (heartbeat=…, connection_timeout=…) are settings of the caller here.
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<query]
        }
        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }

        var user = "guest"
        var password = "guest"
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            let rawUser: Substring
            let rawPassword: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                rawUser = userInfo[..<colon]
                rawPassword = userInfo[userInfo.index(after: colon)...]
            } else {
                rawUser = userInfo
                rawPassword = nil
            }
            guard let decodedUser = String(rawUser).removingPercentEncoding else {
                throw AMQPError(.invalidURL, "AMQP URL has a badly percent-encoded user name")
            }
            user = decodedUser
            if let rawPassword {
                guard let decodedPassword = String(rawPassword).removingPercentEncoding else {
                    throw AMQPError(.invalidURL, "AMQP URL has a badly percent-encoded password")
                }
                password = decodedPassword
            } else {
                password = ""
            }
        }

        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw AMQPError(.invalidURL, "AMQP URL has an unterminated IPv6 address")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw AMQPError(.invalidURL, "AMQP URL has unexpected text after the IPv6 address")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let decodedHost = String(host).removingPercentEncoding else {
            throw AMQPError(.invalidURL, "AMQP URL has a badly percent-encoded host")
        }

        var port = 5672
        if let portText, !portText.isEmpty {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw AMQPError(.invalidURL, "AMQP URL has an invalid port '\(portText)'")
            }
            port = value
        }

        var vhost = "/"
        if !path.isEmpty {
            guard let decoded = String(path).removingPercentEncoding else {
                throw AMQPError(.invalidURL, "AMQP URL has a badly percent-encoded vhost '\(path)'")
            }
            vhost = decoded
        }

        self.init(host: decodedHost, port: port, user: user, password: password, vhost: vhost)
    }

    /// This node first, then every fallback: the order a connect tries them in.
    public var endpoints: [AMQPURL] {
        [withoutFallbacks] + fallbacks.map(\.withoutFallbacks)
    }

    /// Parses a comma-separated list of `amqp://` URLs (the nodes of one cluster) into the
    /// first with the others as fallbacks. Errors name the entry (1-based) and what is wrong;
    /// every entry must name the same vhost, since a cluster shares its vhosts.
    public init(parsingList list: String) throws {
        let entries = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var nodes: [AMQPURL] = []
        for (index, entry) in entries.enumerated() {
            let label = entries.count == 1 ? "" : "entry \(index + 1) of \(entries.count): "
            guard !entry.isEmpty else {
                throw AMQPError(.invalidURL, "\(label)empty (write the URLs separated by single commas)")
            }
            let node: AMQPURL
            do {
                node = try AMQPURL(parsing: entry)
            } catch let error as AMQPError {
                throw AMQPError(.invalidURL, "\(label)\(error.message)")
            }
            if let first = nodes.first, node.vhost != first.vhost {
                throw AMQPError(
                    .invalidURL, "\(label)vhost '\(node.vhost)' differs from entry 1's '\(first.vhost)' (the nodes of a cluster share their vhosts)")
            }
            nodes.append(node)
        }
        self = nodes[0]
        self.fallbacks = Array(nodes.dropFirst())
    }

    public var description: String {
        ([self.withoutFallbacks] + fallbacks).map(\.singleDescription).joined(separator: ",")
    }

    private var withoutFallbacks: AMQPURL {
        var node = self
        node.fallbacks = []
        return node
    }

    private var singleDescription: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "amqp://\(Self.encode(user)):***@\(hostPart):\(port)/\(Self.encode(vhost))"
    }

    /// Percent-encodes everything but unreserved characters, so `/` in a vhost becomes `%2F`.
    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
