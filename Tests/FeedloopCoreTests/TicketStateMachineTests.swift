import Testing

@testable import FeedloopCore

@Suite struct TicketStateMachineTests {
    /// The lifecycle written out independently of the implementation; every pair not listed is forbidden.
    static let allowed: Set<String> = [
        "received>open", "received>duplicate", "received>rejected",
        "open>acknowledged", "open>in_progress", "open>waiting_customer",
        "acknowledged>in_progress", "acknowledged>waiting_customer", "acknowledged>resolved",
        "in_progress>waiting_customer", "in_progress>resolved",
        "waiting_customer>in_progress", "waiting_customer>acknowledged",
        "resolved>closed", "resolved>reopened",
        "reopened>in_progress", "reopened>acknowledged", "reopened>resolved", "reopened>waiting_customer",
    ]

    static let allPairs: [(TicketState, TicketState)] = TicketState.allCases.flatMap { from in
        TicketState.allCases.map { to in (from, to) }
    }

    @Test func rawValuesAreSnakeCase() {
        #expect(
            TicketState.allCases.map(\.rawValue) == [
                "received", "open", "acknowledged", "in_progress", "waiting_customer",
                "resolved", "closed", "reopened", "duplicate", "rejected",
            ])
    }

    @Test(arguments: allPairs)
    func everyPairMatchesTheTable(from: TicketState, to: TicketState) throws {
        let expected = Self.allowed.contains("\(from.rawValue)>\(to.rawValue)")
        #expect(TicketStateMachine.canTransition(from: from, to: to) == expected)
        if expected {
            #expect(try TicketStateMachine.transition(from: from, to: to) == to)
        } else {
            let error = #expect(throws: TicketTransitionError.self) {
                try TicketStateMachine.transition(from: from, to: to)
            }
            #expect(error?.from == from)
            #expect(error?.to == to)
            #expect(error?.reason.isEmpty == false)
        }
    }

    @Test func tableCoversEveryState() {
        #expect(Self.allowed.count == 19)
        for state in TicketState.allCases where !state.isTerminal {
            #expect(!TicketStateMachine.successors(of: state).isEmpty, "\(state) must lead somewhere")
        }
    }

    @Test func terminalStates() {
        #expect(TicketState.allCases.filter(\.isTerminal) == [.closed, .duplicate, .rejected])
        for state in TicketState.allCases where state.isTerminal {
            #expect(TicketStateMachine.successors(of: state).isEmpty)
        }
    }

    @Test func onlyWaitingOnTheCustomerPausesTheClocks() {
        #expect(TicketState.allCases.filter(\.pausesSLA) == [.waitingCustomer])
    }

    @Test func closedTicketCannotChangeState() {
        let error = #expect(throws: TicketTransitionError.self) {
            try TicketStateMachine.transition(from: .closed, to: .reopened)
        }
        #expect(error?.code == .terminalState)
        #expect(error?.reason == "a closed ticket cannot change state")
        #expect(error?.description == "cannot move ticket from closed to reopened: a closed ticket cannot change state")
    }

    @Test func staffMustRespondBeforeResolving() {
        let error = #expect(throws: TicketTransitionError.self) {
            try TicketStateMachine.transition(from: .open, to: .resolved)
        }
        #expect(error?.code == .notAllowed)
        #expect(error?.reason.contains("acknowledge") == true)
    }

    @Test func stayingInTheSameStateIsNotATransition() {
        let error = #expect(throws: TicketTransitionError.self) {
            try TicketStateMachine.transition(from: .inProgress, to: .inProgress)
        }
        #expect(error?.code == .sameState)
    }

    @Test func unhappyCustomerPath() throws {
        var state = TicketState.received
        for next: TicketState in [.open, .acknowledged, .inProgress, .waitingCustomer, .inProgress, .resolved, .reopened, .inProgress, .resolved, .closed] {
            state = try TicketStateMachine.transition(from: state, to: next)
        }
        #expect(state == .closed)
    }
}
