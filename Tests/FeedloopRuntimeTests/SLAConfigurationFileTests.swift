import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

@Suite("SLA configuration file")
struct SLAConfigurationFileTests {
    static let shipped = TestServers.repositoryRoot.appendingPathComponent("config/sla.yaml").path

    @Test("the shipped config/sla.yaml is the built-in default")
    func shippedEqualsBuiltIn() throws {
        let file = try SLAConfiguration.load(path: Self.shipped)
        #expect(file == SLAConfiguration.builtIn)
        #expect(file.policyHash == SLAConfiguration.builtIn.policyHash)
    }

    @Test("the defaults are ARCHITECTURE §1's clocks with a 15-minute VIP lane")
    func defaults() throws {
        let sla = SLAConfiguration.builtIn
        let hour = 3600.0
        let office = sla.calendar("office")
        #expect(sla.policy(level: .urgent, tier: nil)?.targets == [.firstResponse: 2 * hour, .plan: 24 * hour, .resolution: 48 * hour])
        #expect(sla.policy(level: .important, tier: .regular)?.targets == [.firstResponse: 4 * hour, .resolution: 3 * office.workingDaySeconds])
        #expect(sla.policy(level: .important, tier: nil)?.calendar == "office")
        #expect(sla.policy(level: .general, tier: .new)?.targets == [.firstResponse: 8 * hour, .resolution: 30 * 24 * hour])
        for level in Level.allCases {
            let vip = try #require(sla.policy(level: level, tier: .vip))
            let base = try #require(sla.policy(level: level, tier: nil))
            #expect(vip.targets[.firstResponse] == Double(15 * 60))
            #expect(vip.targets[.resolution] == base.targets[.resolution])
            #expect(vip.calendar == base.calendar)
        }
        #expect(sla.warningShare == 0.8)
        #expect(sla.ladder(for: "logistics") == .default)
        #expect(office.timeZone.identifier == "Asia/Shanghai")
        #expect(office.periods(on: LocalDate("2026-10-01")!).isEmpty, "National Day")
        #expect(!office.periods(on: LocalDate("2026-10-10")!).isEmpty, "a make-up Saturday")
    }

    @Test("department ladders, fixed and share delays, and a tier lane on its own calendar")
    func customFile() throws {
        let yaml = """
            warning_share: 0.75
            calendars:
              always: {always_open: true}
              berlin:
                time_zone: Europe/Berlin
                week:
                  monday: ["08:00-12:00", "13:00-17:00"]
                  saturday: ["10:00-14:00"]
                holidays: [2026-12-25]
                make_up_days: [2026-12-27]
                make_up_hours: ["10:00-12:00"]
            policies:
              - {level: 1, calendar: always, first_response: 1h, resolution: 1d}
              - {level: 2, calendar: berlin, first_response: 4h, resolution: 2 working days}
              - {level: 3, calendar: berlin, first_response: 1h30m, resolution: 10wd}
              - {level: 2, tier: vip, calendar: always, first_response: 10m}
            ladders:
              default:
                - {notify: assignee, after_due: 0}
              departments:
                logistics:
                  - {notify: team_lead, after_due: 0}
                  - {notify: wang.ops, after_due: 2h}
                  - {notify: director, after_due: 200%}
            """
        let sla = try SLAConfiguration.parse(yaml: yaml, file: "custom.yaml")
        #expect(sla.warningShare == 0.75)
        #expect(sla.policy(level: .important, tier: nil)?.targets[.resolution] == Double(2 * 8 * 3600))
        #expect(sla.policy(level: .important, tier: .vip)?.calendar == "always")
        #expect(sla.policy(level: .important, tier: .vip)?.targets[.resolution] == Double(2 * 8 * 3600), "a lane inherits what it does not name")
        #expect(sla.policy(level: .general, tier: .vip)?.targets[.firstResponse] == 5400, "no lane: the level's policy")
        let logistics = sla.ladder(for: "logistics")
        #expect(logistics.steps.map(\.notify) == ["team_lead", "wang.ops", "director"])
        #expect(logistics.offset(ofStep: 2, targetSeconds: 100) == 7200)
        #expect(logistics.offset(ofStep: 3, targetSeconds: 100) == 200)
        #expect(sla.ladder(for: "R&D").steps.count == 1)
        #expect(sla.calendar("berlin").makeUpHours == [WorkingPeriod("10:00-12:00")!])
    }

    @Test("every problem is reported with its line, and nothing is loaded")
    func problems() throws {
        let yaml = """
            warning_share: 1.5
            calendars:
              office:
                time_zone: Mars/Olympus
                week:
                  monday: ["09:00-12:00", "11:00-13:00"]
                  funday: ["09:00-10:00"]
                holidays: [2026-02-30]
            policies:
              - level: 1
                calendar: nowhere
                first_response: 2 hours
              - level: 4
                calendar: office
                first_response: 1h
              - level: 2
                tier: gold
            ladders:
              default:
                - notify: assignee
                  after_due: 1h
                - notify: director
                  after_due: soon
            """
        let error = try #require(throws: ConfigFileError.self) { try SLAConfiguration.parse(yaml: yaml, file: "bad.yaml") }
        let lines = error.problems.map(\.line)
        #expect(error.problems.count >= 9)
        for (line, fragment) in [
            (1, "warning_share"), (4, "Mars/Olympus"), (6, "overlap"), (7, "funday"), (8, "2026-02-30"), (11, "nowhere"),
            (12, "2 hours"), (13, "level must be between 1 and 3"), (17, "gold"), (23, "soon"),
        ] {
            #expect(error.problems.contains { $0.line == line && $0.reason.contains(fragment) }, "line \(line): \(fragment) in \(error)")
        }
        #expect(lines == lines.sorted())
        #expect(error.description.hasPrefix("bad.yaml:1: "))
    }

    @Test("a configuration missing a level's policy is refused")
    func missingLevel() throws {
        let yaml = """
            calendars: {always: {always_open: true}}
            policies:
              - {level: 1, calendar: always, first_response: 1h}
              - {level: 2, calendar: always, first_response: 1h}
            """
        let error = try #require(throws: ConfigFileError.self) { try SLAConfiguration.parse(yaml: yaml, file: "short.yaml") }
        #expect(error.problems.map(\.reason) == ["no policy for level 3 (every level needs one without a tier)"])
    }

    @Test("the policy hash ignores comments and spelling, and changes with any target")
    func hash() throws {
        let base = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let respelled = base.replacingOccurrences(of: "first_response: 2h", with: "first_response: 120m  # two hours")
        #expect(try SLAConfiguration.parse(yaml: respelled, file: "a").policyHash == SLAConfiguration.builtIn.policyHash)
        let changed = base.replacingOccurrences(of: "first_response: 2h", with: "first_response: 3h")
        #expect(try SLAConfiguration.parse(yaml: changed, file: "b").policyHash != SLAConfiguration.builtIn.policyHash)
    }
}
