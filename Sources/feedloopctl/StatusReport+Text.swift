extension StatusReport {
    /// The human view: one short section per concern (``errors`` are for standard error).
    func text() -> String {
        var sections: [String] = []
        if let queues {
            var table = TextTable(["Queue", "Ready", "Consumers", ""], numericColumns: [1, 2])
            for q in queues {
                if q.declared {
                    table.append([q.queue, "\(q.ready ?? 0)", "\(q.consumers ?? 0)", ""])
                } else {
                    table.append([q.queue, "-", "-", "not declared"])
                }
            }
            sections.append(table.render())
        }
        if let ticketsByState {
            var table = TextTable(["Ticket state", "Tickets"], numericColumns: [1])
            for (state, count) in ticketsByState.sorted(by: { $0.key < $1.key }) { table.append([state, "\(count)"]) }
            if ticketsByState.isEmpty { table.append(["(none)", "0"]) }
            sections.append(table.render())
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
        return sections.joined(separator: "\n\n")
    }
}
