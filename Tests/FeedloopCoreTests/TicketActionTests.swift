import FeedloopCore
import Testing

/// Every action against every state: what the lifecycle allows, what stays put, and why not.
struct TicketActionRulesTests {
    @Test(arguments: TicketAction.allCases)
    func everyStateHasAnAnswer(_ action: TicketAction) {
        for state in TicketState.allCases {
            do {
                let next = try action.nextState(from: state)
                if let next {
                    #expect(TicketStateMachine.canTransition(from: state, to: next), "\(action) from \(state) → \(next)")
                    #expect(next != state)
                }
                #expect(!state.isTerminal, "\(action) allowed on terminal \(state)")
                #expect(state != .received, "\(action) allowed on a received ticket")
            } catch let error as TicketTransitionError {
                #expect(error.from == state)
                #expect(!error.reason.isEmpty)
                #expect((error.code == .terminalState) == state.isTerminal, "\(action) from \(state): \(error.code)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func repliesAndPlansStayPutWhereTheyChangeNothing() throws {
        #expect(try TicketAction.respond.nextState(from: .open) == .acknowledged)
        #expect(try TicketAction.respond.nextState(from: .acknowledged) == nil)
        #expect(try TicketAction.respond.nextState(from: .inProgress) == nil)
        #expect(try TicketAction.respond.nextState(from: .waitingCustomer) == .acknowledged)
        #expect(try TicketAction.plan.nextState(from: .open) == .inProgress)
        #expect(try TicketAction.plan.nextState(from: .inProgress) == nil)
        #expect(try TicketAction.assign.nextState(from: .resolved) == nil)
        #expect(try TicketAction.customerReply.nextState(from: .waitingCustomer) == .inProgress)
    }

    @Test func refusalsSayWhy() {
        #expect(throws: TicketTransitionError.self) { try TicketAction.resolve.nextState(from: .open) }
        do {
            _ = try TicketAction.customerReply.nextState(from: .inProgress)
            Issue.record("accepted")
        } catch let error as TicketTransitionError {
            #expect(error.reason == "the ticket is in_progress, not waiting for the customer")
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try TicketAction.respond.nextState(from: .closed)
            Issue.record("accepted")
        } catch let error as TicketTransitionError {
            #expect(error.code == .terminalState)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func eachActionHasItsOwnEventAndPath() {
        #expect(Set(TicketAction.allCases.map(\.eventType)).count == TicketAction.allCases.count)
        #expect(TicketAction.waitCustomer.pathComponent == "wait-customer")
        #expect(TicketAction.customerReply.pathComponent == "customer-reply")
        #expect(TicketActed.types.count == TicketAction.allCases.count)
    }
}
