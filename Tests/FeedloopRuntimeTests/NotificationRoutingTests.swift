import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// The routing and staff files: the shipped ones load, mistakes are reported as FILE:LINE:
/// reason, locales map onto the template locales, and roles resolve through the directory.
struct NotificationRoutingTests {
    static let config = TestServers.repositoryRoot.appendingPathComponent("config")

    static func problems(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let error as ConfigFileError {
            return error.problems.map { "\($0.line): \($0.reason)" }
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    static let routingHeader = """
        locales: [zh-CN, en]
        default_locale: zh-CN
        time_zone: Asia/Shanghai
        templates: templates
        survey: resolution_followup

        """

    @Test func theShippedRoutingCoversTheIssueTable() throws {
        let routing = try NotificationRouting.load(path: Self.config.appendingPathComponent("notifications.yaml").path)
        let audiences = { (e: EventType) in Set(routing.routes(for: e).map(\.audience)) }
        #expect(audiences(.ticketClassified) == [.customer, .department])
        #expect(audiences(.ticketSLAWarning) == [.assignee])
        #expect(audiences(.ticketEscalated) == [.escalation])
        #expect(audiences(.ticketResponded) == [.customer])
        #expect(audiences(.ticketPlanRecorded) == [.customer])
        #expect(audiences(.ticketResolved) == [.customer])
        #expect(audiences(.surveyAnswered) == [.departmentHead])
        #expect(routing.templatesDirectory == Self.config.appendingPathComponent("templates").standardizedFileURL.path)
        #expect(routing.timeZone.identifier == "Asia/Shanghai")
    }

    @Test func localesMapOntoTheTemplateLocales() throws {
        let routing = try NotificationRouting.parse(yaml: Self.routingHeader + "routes: {}", file: "n.yaml")
        #expect(routing.locale(for: "zh-CN") == "zh-CN")
        #expect(routing.locale(for: "zh_cn") == "zh-CN")
        #expect(routing.locale(for: "zh-Hans") == "zh-CN")
        #expect(routing.locale(for: "en-US") == "en")
        #expect(routing.locale(for: "EN") == "en")
        #expect(routing.locale(for: "fr-FR") == "zh-CN")
        #expect(routing.locale(for: nil) == "zh-CN")
    }

    @Test func routingMistakesAreReportedWithTheirLines() {
        let yaml = """
            locales: [zh-CN, en]
            default_locale: fr
            time_zone: Mars/Olympus
            templates: templates
            survey: resolution_followup
            routes:
              ticket.classified:
                - audience: customer
                  channels: [email, pigeon]
                - audience: customer
                  channels: [sms]
              feedback.received:
                - audience: department
                  channels: [email]
              ticket.resolved:
                - audience: escalation
                  channels: [email]
                  send: sometimes
            """
        let problems = Self.problems { _ = try NotificationRouting.parse(yaml: yaml, file: "n.yaml") }
        #expect(problems.contains { $0.hasPrefix("2: default_locale fr is not one of locales") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("3: time_zone Mars/Olympus is not a known time zone") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("9: a route of ticket.classified: unknown channel pigeon") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("10: routes of ticket.classified: audience customer is listed twice") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("12: routes: feedback.received is not an event the notifier receives") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("16: a route of ticket.resolved: audience escalation") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("18: a route of ticket.resolved: send must be first") }, "\(problems)")
    }

    static let staffYAML = """
        director: boss
        fallback_department: customer_service
        departments:
          customer_service:
            head: head.cs
            team_lead: lead.cs
          rd:
            head: head.rd
            team_lead: lead.rd
            webhook: https://chat.example/rd
        people:
          boss: {name: Boss, email: boss@example.com, locale: en}
          head.cs: {name: 李娜, email: li@example.com, phone: "+86 138-0000-0002"}
          lead.cs: {name: 赵磊, email: zhao@example.com}
          head.rd: {name: 吴静}
          lead.rd: {name: 郑凯, webhook: https://chat.example/zheng}
          agent.7: {name: 王五, phone: "13800000007"}
        """

    @Test func rolesResolveThroughTheDirectoryWithFallbacks() throws {
        let staff = try StaffDirectory.parse(yaml: Self.staffYAML, file: "s.yaml")
        #expect(staff.resolve("assignee", department: "customer_service", assignee: "agent.7")?.id == "agent.7")
        // No assignee, or one the directory does not know: the department's team lead.
        #expect(staff.resolve("assignee", department: "customer_service", assignee: nil)?.id == "lead.cs")
        #expect(staff.resolve("assignee", department: "rd", assignee: "someone.else")?.id == "lead.rd")
        #expect(staff.resolve("department_head", department: "rd", assignee: nil)?.id == "head.rd")
        #expect(staff.resolve("director", department: "rd", assignee: nil)?.id == "boss")
        #expect(staff.resolve("head.cs", department: "rd", assignee: nil)?.addresses == [.email: "li@example.com", .sms: "+8613800000002"])
        #expect(staff.resolve("nobody", department: "rd", assignee: nil) == nil)
        // A department unknown to the directory is handled by the fallback department.
        #expect(staff.resolve(.departmentHead, department: "planning", assignee: nil)?.id == "head.cs")
        // The department audience: its shared address, else its team lead.
        #expect(staff.resolve(.department, department: "rd", assignee: nil)?.id == "department:rd")
        #expect(staff.resolve(.department, department: "customer_service", assignee: nil)?.id == "lead.cs")
    }

    @Test func channelsFollowPreferenceAndAddresses() throws {
        let staff = try StaffDirectory.parse(yaml: Self.staffYAML, file: "s.yaml")
        let head = try #require(staff.people["head.cs"]?.recipient)
        #expect(head.channels([.webhook, .email, .sms], all: false) == [.email])
        #expect(head.channels([.webhook, .email, .sms], all: true) == [.email, .sms])
        let noAddress = try #require(staff.people["head.rd"]?.recipient)
        #expect(noAddress.channels([.email, .sms], all: true).isEmpty)
        #expect(noAddress.channels([.email, .log], all: false) == [.log])
        #expect(!"\(head)".contains("@"), "a recipient never prints its addresses")
    }

    @Test func staffMistakesAreReportedWithTheirLines() {
        let yaml = """
            director: ghost
            fallback_department: sales
            departments:
              customer_service:
                head: nobody
                team_lead: lead.cs
            people:
              lead.cs: {name: 赵磊, email: not-an-email, phone: "12ab"}
              Bad Id: {name: x}
              assignee: {name: y}
              lead.x: {name: z, webhook: ftp://x}
            """
        let problems = Self.problems { _ = try StaffDirectory.parse(yaml: yaml, file: "s.yaml") }
        #expect(problems.contains { $0 == "1: director ghost is not listed under people" }, "\(problems)")
        #expect(problems.contains { $0 == "2: fallback_department sales is not listed under departments" }, "\(problems)")
        #expect(problems.contains { $0 == "4: department customer_service: head nobody is not listed under people" }, "\(problems)")
        #expect(problems.contains { $0 == "8: person lead.cs: email is not an email address" }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("8: person lead.cs: phone must be 5 to 20 digits") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("9: a person's id Bad Id must be lowercase") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("10: person id assignee is the name of a role") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("11: person lead.x: webhook must be an http:// or https:// URL") }, "\(problems)")
    }

    @Test func theShippedStaffDirectoryCoversEveryTaxonomyDepartment() throws {
        let staff = try StaffDirectory.load(path: Self.config.appendingPathComponent("staff.yaml").path)
        let taxonomy = try TaxonomyFile.load(path: Self.config.appendingPathComponent("taxonomy.yaml").path).taxonomy
        let departments = Set(Category.allCases.map(taxonomy.department(for:)))
        #expect(departments.count >= 5)
        for department in departments {
            #expect(staff.departments[department] != nil, "no directory entry for \(department)")
            #expect(staff.resolve(.departmentHead, department: department, assignee: nil) != nil)
        }
    }
}
