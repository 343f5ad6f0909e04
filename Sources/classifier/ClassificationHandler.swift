import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Works a batch of `received` tickets with a few multi-row statements: fingerprints them,
/// marks repeats of the same customer's earlier ticket `duplicate` (linked to the first, not
/// classified, no event), classifies, grades and routes the rest, finds incidents, and moves
/// them to `open` with one ticket.classified each.
final class ClassificationHandler: MessageHandler {
    private(set) var classifier: HybridClassifier
    let configuration: TaxonomyFile
    let duplicates: DuplicateFinder
    let incidents: IncidentFinder
    let logger: Logger
    /// Duplicates marked since start, logged with each batch that has some.
    private(set) var duplicateCount = 0
    /// How often the active model version is looked up (`FEEDLOOP_MODEL_REFRESH_S`).
    let tickInterval: Duration?
    /// The model version in use; nil for keywords alone.
    private(set) var modelVersion: Int?
    private var modelChecked = false

    init(configuration: TaxonomyFile, modelRefresh: Duration = .seconds(10), logger: Logger) {
        self.tickInterval = modelRefresh
        self.configuration = configuration
        self.classifier = HybridClassifier(
            keywords: KeywordClassifier(taxonomy: configuration.taxonomy, levelRules: configuration.levelRules), models: nil,
            reviewThreshold: configuration.levelRules.needsReviewBelow)
        self.duplicates = DuplicateFinder(rules: configuration.duplicateRules)
        self.incidents = IncidentFinder(rules: configuration.levelRules)
        self.logger = logger
    }

    /// Swaps in the active trained model when `feedloopctl model` activated another version,
    /// so running replicas pick it up without a restart.
    func tick(_ context: WorkerContext) throws {
        try self.refreshModel(in: context.db)
    }

    private func refreshModel(in db: PostgresConnection) throws {
        self.modelChecked = true
        let active = try ClassifierModelStore.activeVersion(in: db)
        guard active != self.modelVersion else { return }
        let models = try active.map { try ClassifierModelStore.load(version: $0, in: db) }
        self.classifier = HybridClassifier(
            keywords: self.classifier.keywords, models: models, reviewThreshold: self.configuration.levelRules.needsReviewBelow)
        self.logger.notice(
            "classifier model switched",
            metadata: ["from_version": "\(self.modelVersion.map(String.init) ?? "none")", "to_version": "\(active.map(String.init) ?? "none")"])
        self.modelVersion = active
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        // The first batch already uses the active model, not only batches after the first tick.
        if !self.modelChecked { try self.refreshModel(in: db) }
        var events: [Int64: FeedbackReceived] = [:]
        for m in messages {
            let event = try m.decode(FeedbackReceived.self).data
            events[event.ticketId] = event
        }
        // Only tickets still `received` are worked: a requeued ticket classified before is left alone.
        let rows = try db.query(
            "SELECT id, customer_ref, received_at FROM tickets WHERE id = ANY($1::int8[]) AND state = 'received' ORDER BY received_at, id",
            [.intArray(Array(events.keys))]
        )
        var items: [BatchItem] = try rows.map { row in
            let id = try row.decode(Int64.self, at: 0)
            let event = events[id]!
            let ref = try row.decode(String?.self, at: 1)
            return BatchItem(
                event: event, customerKey: ref ?? "ticket:\(id)", customerRef: ref, receivedAt: try row.decode(Date.self, at: 2),
                simhash: SimHash(text: event.text))
        }
        guard !items.isEmpty else { return [] }

        try self.duplicates.markDuplicates(&items, in: db)
        for i in items.indices where items[i].duplicateOf == nil {
            let c = self.classifier.classify(text: items[i].event.text, customerTier: items[i].event.customerTier)
            items[i].classification = self.configuration.levelRules.regraded(c, isIncident: false)
        }
        let outcome = try self.incidents.cluster(&items, in: db)
        let opened = try self.incidents.open(outcome, items: items, in: db)
        for i in items.indices {
            if let placeholder = items[i].incident, placeholder < 0 { items[i].incident = opened[placeholder] }
        }
        if !opened.isEmpty {
            self.logger.notice("incident opened", metadata: ["incidents": "\(opened.values.sorted())"])
        }

        let repeats = items.filter { $0.duplicateOf != nil }
        try self.markDuplicates(repeats, in: db)
        let classified = try self.open(items.filter { $0.classification != nil }, in: db)
        try self.incidents.refresh(Set(items.compactMap(\.incident)), in: db)
        return classified
    }

    /// Moves repeats to `duplicate`, linked to the first ticket, with a transition saying why.
    private func markDuplicates(_ repeats: [BatchItem], in db: PostgresConnection) throws {
        guard !repeats.isEmpty else { return }
        precondition(TicketStateMachine.canTransition(from: .received, to: .duplicate))
        let changed = try db.query(
            """
            UPDATE tickets t SET state = 'duplicate', duplicate_of = u.original, simhash = u.simhash, state_changed_at = now()
            FROM unnest($1::int8[], $2::int8[], $3::int8[]) AS u(id, original, simhash)
            WHERE t.id = u.id AND t.state = 'received'
            RETURNING t.id
            """,
            [.intArray(repeats.map(\.ticketId)), .intArray(repeats.map { $0.duplicateOf! }), .intArray(repeats.map(\.simhash.bitPattern))]
        ).map { try $0.decode(Int64.self, at: 0) }
        let done = repeats.filter { Set(changed).contains($0.ticketId) }
        try db.query(
            """
            INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, reason)
            SELECT u.id, 'received', 'duplicate', 'classifier', u.reason FROM unnest($1::int8[], $2::text[]) AS u(id, reason)
            """,
            [
                .intArray(done.map(\.ticketId)),
                .textArray(done.map { "near-identical to ticket \($0.duplicateOf!) from the same customer" }),
            ]
        )
        self.duplicateCount += done.count
        self.logger.info("duplicates marked", metadata: ["count": "\(done.count)", "total": "\(self.duplicateCount)"])
    }

    /// Stores classifications, moves the tickets to `open` and returns their ticket.classified events.
    private func open(_ items: [BatchItem], in db: PostgresConnection) throws -> [OutgoingMessage] {
        guard !items.isEmpty else { return [] }
        precondition(TicketStateMachine.canTransition(from: .received, to: .open))
        let cs = items.map { $0.classification! }
        let rows = try db.query(
            """
            UPDATE tickets t SET state = 'open', category = u.category, subcategory = nullif(u.subcategory, ''),
                sentiment = u.sentiment, level = u.level, level_rule = u.level_rule, department = u.department,
                keywords = string_to_array(u.keywords, chr(31)), classified_at = now(), state_changed_at = now(),
                simhash = u.simhash, incident_keys = string_to_array(nullif(u.incident_keys, ''), ',')::int8[],
                incident_id = nullif(u.incident, 0), needs_review = u.needs_review::boolean, confidence = u.confidence::real,
                model_version = nullif(u.model_version, 0), suggested_category = nullif(u.suggested_category, '')
            FROM unnest(
                $1::int8[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[], $8::text[], $9::int8[],
                $10::text[], $11::int8[], $12::text[], $13::text[], $14::int8[], $15::text[]
            ) AS u(id, category, subcategory, sentiment, level, level_rule, department, keywords, simhash,
                incident_keys, incident, needs_review, confidence, model_version, suggested_category)
            WHERE t.id = u.id AND t.state = 'received'
            RETURNING t.id, t.classified_at
            """,
            [
                .intArray(items.map(\.ticketId)),
                .textArray(cs.map(\.category.rawValue)),
                .textArray(cs.map { $0.subcategory ?? "" }),
                .textArray(cs.map(\.sentiment.rawValue)),
                .intArray(cs.map { Int64($0.level.rawValue) }),
                .textArray(cs.map(\.levelRule.rawValue)),
                .textArray(cs.map(\.department)),
                .textArray(cs.map { $0.keywords.joined(separator: "\u{1F}") }),
                .intArray(items.map(\.simhash.bitPattern)),
                .textArray(items.map { $0.incidentKeys.map(String.init).joined(separator: ",") }),
                .intArray(items.map { $0.incident ?? 0 }),
                .textArray(cs.map { String($0.needsReview) }),
                .textArray(cs.map { String($0.confidence) }),
                .intArray(cs.map { Int64($0.modelVersion ?? 0) }),
                .textArray(cs.map { $0.suggestedCategory?.rawValue ?? "" }),
            ]
        )
        var classifiedAt: [Int64: Date] = [:]
        for row in rows {
            classifiedAt[try row.decode(Int64.self, at: 0)] = try row.decode(Date.self, at: 1)
        }
        let changed = items.filter { classifiedAt[$0.ticketId] != nil }
        guard !changed.isEmpty else { return [] }
        try db.query(
            """
            INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, reason)
            SELECT u.id, 'received', 'open', 'classifier', u.reason FROM unnest($1::int8[], $2::text[]) AS u(id, reason)
            """,
            [
                .intArray(changed.map(\.ticketId)),
                .textArray(
                    changed.map {
                        let c = $0.classification!
                        let incident = $0.incident.map { ", incident \($0)" } ?? ""
                        return "category \(c.category.rawValue), level \(c.level.rawValue) by \(c.levelRule.rawValue)\(incident)"
                    }),
            ]
        )
        return try changed.map { item in
            let c = item.classification!
            let at = classifiedAt[item.ticketId]!
            let event = item.event
            return try .event(
                TicketClassified(
                    ticketId: event.ticketId, channel: event.channel, category: c.category, subcategory: c.subcategory,
                    sentiment: c.sentiment, level: c.level, levelRule: c.levelRule.rawValue, department: c.department,
                    customerTier: event.customerTier, receivedAt: event.receivedAt, classifiedAt: at
                ),
                at: at
            )
        }
    }
}
