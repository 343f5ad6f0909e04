/// A refused ticket state change, with a reason fit for an API answer or a log line.
public struct TicketTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why the change was refused; compare errors by this, not by ``reason``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case terminalState, sameState, notAllowed
        }
        fileprivate let base: Base

        /// The ticket is closed, duplicate or rejected.
        public static let terminalState = Code(base: .terminalState)
        /// The ticket is already in the requested state.
        public static let sameState = Code(base: .sameState)
        /// The lifecycle has no edge between the two states.
        public static let notAllowed = Code(base: .notAllowed)

        public var description: String {
            switch self.base {
            case .terminalState: return "terminal_state"
            case .sameState: return "same_state"
            case .notAllowed: return "not_allowed"
            }
        }
    }

    /// The error's kind.
    public var code: Code
    /// The state the ticket was in.
    public var from: TicketState
    /// The state that was asked for.
    public var to: TicketState
    /// A human explanation, e.g. "a closed ticket cannot change state".
    public var reason: String

    /// Creates an error; ``TicketStateMachine`` is the usual source.
    public init(code: Code, from: TicketState, to: TicketState, reason: String) {
        self.code = code
        self.from = from
        self.to = to
        self.reason = reason
    }

    public var description: String {
        "cannot move ticket from \(self.from.rawValue) to \(self.to.rawValue): \(self.reason)"
    }
}
