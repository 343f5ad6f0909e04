import Foundation

extension StatusReport {
    /// The human view: one short section per concern (``errors`` are for standard error).
    func text() -> String {
        var sections: [String] = []
        if let queues {
            let rates = sampleSeconds > 0
            var headers = ["Queue", "Ready", "Consumers"]
            if rates { headers += ["Ready Δ/s", "Handled/s", "In/s (est.)"] }
            headers.append("")
            var table = TextTable(headers, numericColumns: rates ? [1, 2, 3, 4, 5] : [1, 2])
            for q in queues {
                var row: [String]
                if q.declared {
                    row = [q.queue, "\(q.ready ?? 0)", "\(q.consumers ?? 0)"]
                    if rates { row += [Self.rate(q.readyChangePerSecond, signed: true), Self.rate(q.handledPerSecond), Self.rate(q.publishedPerSecond)] }
                    row.append("")
                } else {
                    row = [q.queue, "-", "-"] + (rates ? ["-", "-", "-"] : []) + ["not declared"]
                }
                table.append(row)
            }
            var text = table.render()
            if rates { text += "\n(rates over the last \(String(format: "%.1f", sampleSeconds)) s; unacknowledged messages are not reported by AMQP)" }
            sections.append(text)
        }
        if deadLetters.byRole != nil || deadLetters.deadNotifications != nil {
            let queued = deadLetters.byRole.map { roles in
                roles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            sections.append(
                "Dead letters: \(queued ?? "unknown (broker not read)"); dead notifications: \(deadLetters.deadNotifications.map(String.init) ?? "unknown")"
            )
        }
        if let ticketsByState {
            var table = TextTable(["Ticket state", "Tickets", "Stuck"], numericColumns: [1, 2])
            for (state, count) in ticketsByState.sorted(by: { $0.key < $1.key }) { table.append([state, "\(count)", "\(stuck?.byState[state] ?? 0)"]) }
            if ticketsByState.isEmpty { table.append(["(none)", "0", "0"]) }
            sections.append(table.render())
        }
        if let stuck {
            let steps = stuck.byStep.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            sections.append("Stuck tickets: \(stuck.total)\(steps.isEmpty ? "" : " (\(steps)); list them with `feedloopctl stuck`")")
        }
        if let outbox {
            let age = outbox.oldestAgeSeconds.map { ", oldest \(AgeText.format(seconds: $0))" } ?? ""
            sections.append("Outbox backlog: \(outbox.count) event\(outbox.count == 1 ? "" : "s")\(age)")
        }
        if let notificationsByStatus {
            var table = TextTable(["Notification status", "Notifications"], numericColumns: [1])
            for (status, count) in notificationsByStatus.sorted(by: { $0.key < $1.key }) { table.append([status, "\(count)"]) }
            if notificationsByStatus.isEmpty { table.append(["(none)", "0"]) }
            sections.append(table.render())
        }
        if let overdueSlaClocks {
            let detail = overdueSlaClocks.byMetric.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            sections.append("Open SLA clocks overdue now: \(overdueSlaClocks.total)\(detail.isEmpty ? "" : " (\(detail))")")
        }
        if let slaBreachesToday {
            let total = slaBreachesToday.breachedClocks.values.reduce(0, +)
            let detail = slaBreachesToday.breachedClocks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            sections.append(
                "SLA breaches today (UTC): \(total)\(detail.isEmpty ? "" : " (\(detail))"), escalations fired: \(slaBreachesToday.escalations)")
        }
        return sections.joined(separator: "\n\n")
    }

    static func rate(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "-" }
        let text = String(format: "%.1f", value)
        return signed && value > 0 ? "+" + text : text
    }
}
