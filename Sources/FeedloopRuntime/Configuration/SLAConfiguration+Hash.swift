import Crypto
import FeedloopCore
import Foundation

extension SLAConfiguration {
    /// SHA-256 of ``fingerprint``, hex: recorded with every clock and in `sla_policy_changes`,
    /// so an escalator starting with different policies knows to re-evaluate open clocks.
    /// Comments, key order and spelling (`2h` or `120m`) do not change it.
    public var policyHash: String {
        SHA256.hash(data: Data(fingerprint.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
