import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// The dashboard in a real browser: feedbacks go through producer, classifier and staff
/// actions into the analytics rollups, then headless Chromium loads `/` with an agent key and
/// the test reads the DOM it built (charts, figures, Chinese and English labels) and checks
/// that a screenshot was taken. Screenshots stay in the test's log directory for people to
/// look at.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct DashboardBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let items = 24
    static let resolved = 6

    /// Runs headless Chromium with its own profile, at most 90 s.
    static func browser(_ arguments: [String], profile: URL) throws -> ProcessRunner.Result {
        let chromium = try #require(Self.chromium, "Chromium is not installed: apt-get install chromium (ops/test does)")
        return try ProcessRunner.run(
            "/usr/bin/timeout",
            ["90", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)", "--hide-scrollbars"]
                + arguments)
    }

    /// Status line and headers of a request that is not redirected (curl, so the 303 is seen).
    static func head(_ url: String, headers: [String] = [], form: String? = nil) throws -> (status: Int, headers: [String: String], body: String) {
        var arguments = ["-s", "-D", "-", "--max-time", "20", url]
        for header in headers { arguments += ["-H", header] }
        if let form { arguments += ["--data", form] }
        let output = try ProcessRunner.run("/usr/bin/curl", arguments).output
        let parts = output.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, fields, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    static func report(_ pipeline: Pipeline, _ period: String) async throws -> [String: Any] {
        let answer = try await pipeline.get(port: pipeline.analyticsPort, path: "/v1/reports/summary?period=\(period)")
        return (try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]) ?? [:]
    }

    static func figure(_ report: [String: Any], _ section: String, _ name: String) -> Double? {
        ((report[section] as? [String: Any])?[name] as? [String: Any])?["value"] as? Double
    }

    @Test func chartsAndFiguresInBothLanguages() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_REPORT_TIME_ZONE": "Asia/Shanghai", "FEEDLOOP_API_KEY_CACHE_SECONDS": "1"])
        defer { pipeline.tearDown() }
        let agent = try Pipeline.createKey(in: pipeline.database, name: "dashboard wall", role: .agent)
        let intake = try Pipeline.createKey(in: pipeline.database, name: "chat", role: .intake)
        for worker in ["feedloop-producer", "feedloop-classifier", "feedloop-analytics"] { try pipeline.start(worker) }
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
        try await pipeline.waitUntilHealthy(port: pipeline.analyticsPort)

        // Feedback in, classified, some of it answered and resolved, and rated.
        let run = TestServers.uniqueName("dash")
        var tickets: [Int64] = []
        for i in 0..<Self.items {
            let created = try await pipeline.post(port: pipeline.producerPort, path: "/v1/feedback", json: SampleFeedback.item(i, run: run))
            #expect(created.status == 201)
            let json = try JSONSerialization.jsonObject(with: created.body) as? [String: Any]
            tickets.append(try #require((json?["ticket_id"] as? NSNumber)?.int64Value))
        }
        let classified = try await eventually(timeout: .seconds(60)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE state <> 'received'") == Self.items
        }
        #expect(classified, "\(pipeline.logsSummary())")
        for ticket in tickets.prefix(Self.resolved) {
            for action in ["respond", "resolve"] {
                let answer = try await pipeline.post(port: pipeline.producerPort, path: "/v1/tickets/\(ticket)/\(action)", json: Data(#"{"note": "已处理"}"#.utf8))
                #expect(answer.status == 200, "\(action) \(ticket): \(String(decoding: answer.body, as: UTF8.self))")
            }
        }
        for (index, ticket) in tickets.prefix(3).enumerated() {
            let answer = try await pipeline.post(
                port: pipeline.producerPort, path: "/v1/surveys/resolution_followup/responses",
                json: Self.survey(
                    ticket: ticket, respondent: "C-\(index)", scores: [[2, 5, 4, 3], [3, 4, 4, 2], [4, 5, 5, 4]][index], overall: [2, 4, 5][index]))
            #expect(answer.status == 201 || answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        }
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        // The seven days ending today: a custom range, and always more than one day for the sparklines.
        let today = LocalDate(Date(), in: zone)
        let period = "\(today.adding(days: -6))..\(today)"
        let counted = try await eventually(timeout: .seconds(60)) {
            let report = try await Self.report(pipeline, period)
            return Self.figure(report, "volumes", "received") == Double(Self.items) && Self.figure(report, "volumes", "resolved") == Double(Self.resolved)
                && Self.figure(report, "satisfaction", "answers") == 3
        }
        let last = try await Self.report(pipeline, period)
        #expect(counted, "\(last)\n\(pipeline.logsSummary())")

        let base = "http://127.0.0.1:\(pipeline.analyticsPort)"
        // Access: no key → the sign-in page; an intake key → 403; an agent key → cookie and a
        // redirect that drops the key from the URL; the cookie then opens the page.
        let anonymous = try Self.head(base + "/?lang=en")
        #expect(anonymous.status == 401 && anonymous.body.contains("name=\"key\"") && anonymous.body.contains("An API key is needed"))
        #expect(try Self.head(base + "/?key=\(intake)").status == 403)
        let signIn = try Self.head(base + "/?period=\(period)&key=\(agent)&lang=en")
        #expect(signIn.status == 303)
        #expect(signIn.headers["location"] == "/?period=\(period)&lang=en")
        let cookie = try #require(signIn.headers["set-cookie"])
        #expect(cookie.hasPrefix("feedloop_key=\(agent);") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(try Self.head(base + "/", headers: ["Cookie: feedloop_key=\(agent)"]).status == 200)
        #expect(try Self.head(base + "/", form: "key=\(agent)&lang=zh").headers["location"] == "/?lang=zh")
        #expect(try Self.head(base + "/", headers: ["Cookie: feedloop_key=fl_aaaaaaaa_" + String(repeating: "A", count: 32)]).status == 401)
        // Language from Accept-Language when the URL does not say.
        let english = try Self.head(base + "/report.md?period=\(period)", headers: ["Cookie: feedloop_key=\(agent)", "Accept-Language: en-GB,en;q=0.9"])
        #expect(english.status == 200 && english.body.hasPrefix("# Customer feedback report \(period)"))
        #expect(try Self.head(base + "/?period=2026-W60", headers: ["Cookie: feedloop_key=\(agent)"]).body.contains("period"))

        let profile = pipeline.logDirectory.appendingPathComponent("chromium-profile")
        for (language, labels) in [
            ("zh", ["客户反馈看板", "新增工单", "每日工单量", "各维度平均分", "满意率 (CSAT)", "上一期"]),
            ("en", ["Customer feedback dashboard", "New tickets", "Tickets per day", "Share by category", "Previous"]),
        ] {
            let url = base + "/?period=\(period)&lang=\(language)&key=\(agent)"
            let dom = try Self.browser(["--dump-dom", url], profile: profile)
            #expect(dom.status == 0, "\(dom.output.suffix(2000))")
            for chart in ["line", "donut", "stacked-bar", "bar", "gauge", "sparkline"] {
                #expect(dom.output.contains("data-chart=\"\(chart)\""), "\(language): no \(chart) chart")
            }
            for label in labels { #expect(dom.output.contains(label), "\(language): \(label)") }
            // The figures: every item received, the resolved ones, the three answers.
            #expect(dom.output.contains("data-figure=\"received\"><div class=\"tile-label\">\(labels[1])</div><div class=\"tile-value\">\(Self.items)</div>"))
            #expect(dom.output.contains("data-figure=\"resolved\">") && dom.output.contains("<div class=\"tile-value\">\(Self.resolved)</div>"))
            #expect(dom.output.components(separatedBy: "data-highlight=\"true\"").count - 1 == 3, "three lowest dimensions")
            #expect(!dom.output.contains("name=\"key\""), "signed in, not the sign-in page")

            let screenshot = pipeline.logDirectory.appendingPathComponent("dashboard-\(language).png")
            let shot = try Self.browser(["--screenshot=\(screenshot.path)", "--window-size=1400,2000", url], profile: profile)
            #expect(shot.status == 0, "\(shot.output.suffix(2000))")
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 60_000, "\(screenshot.path): \(png.count) bytes")
            print("dashboard screenshot: \(screenshot.path)")
        }
        #expect(pipeline.stopAll().isEmpty)
        // Keys never reach the logs whole.
        let secret = String(agent.split(separator: "_")[2])
        #expect(!pipeline.workers.map(\.log).joined().contains(secret))
    }

    static func survey(ticket: Int64, respondent: String, scores: [Int], overall: Int) -> Data {
        let submitted = Date()
        let object: [String: Any] = [
            "respondent": respondent, "ticket_id": ticket,
            "started_at": FeedloopJSON.formatTimestamp(submitted.addingTimeInterval(-120)), "submitted_at": FeedloopJSON.formatTimestamp(submitted),
            "scores": Dictionary(uniqueKeysWithValues: zip(["response_speed", "attitude", "professionalism", "solution_quality"], scores)),
            "overall": overall, "nps": overall * 2,
        ]
        return try! JSONSerialization.data(withJSONObject: object)
    }
}
