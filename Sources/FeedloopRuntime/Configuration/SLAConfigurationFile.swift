import FeedloopCore
import Foundation
import Yams

extension SLAConfiguration {
    /// The variable that names the policy file.
    public static let environmentVariable = "FEEDLOOP_SLA_CONFIG"
    /// Used when ``environmentVariable`` is unset and this file exists in the working directory.
    public static let defaultPath = "config/sla.yaml"

    /// For `--help` texts.
    public static let helpText = """
          FEEDLOOP_SLA_CONFIG       SLA policies, calendars and ladders (YAML, docs/SLA.md);
                                    default: config/sla.yaml if present, else the built-in
                                    defaults (the same as the shipped config/sla.yaml)
        """

    /// The file named by FEEDLOOP_SLA_CONFIG, else `config/sla.yaml` when it exists, else nil
    /// (the built-in defaults).
    public static func path(environment: Environment) -> String? {
        if let path = environment.optionalString(environmentVariable) { return path }
        return FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil
    }

    /// The configuration in the YAML file at `path`, or ``builtIn`` when `path` is nil.
    /// Throws ``ConfigFileError`` (`FILE:LINE: reason`) for an unreadable or invalid file.
    public static func load(path: String?) throws -> SLAConfiguration {
        guard let path else { return .builtIn }
        return try parse(yaml: try ConfigFileReader.read(path: path), file: path)
    }

    /// The built-in defaults: ARCHITECTURE §1's clocks, parsed from ``defaultYAML``.
    public static let builtIn: SLAConfiguration = {
        do {
            return try parse(yaml: defaultYAML, file: "built-in SLA configuration")
        } catch {
            fatalError("the built-in SLA configuration is invalid: \(error)")
        }
    }()

    /// Parses and validates a policy file; `file` only names it in errors.
    public static func parse(yaml: String, file: String) throws -> SLAConfiguration {
        let root = try ConfigFileReader.compose(yaml: yaml, file: file)
        let parser = SLAConfigurationFileParser()
        let configuration = parser.configuration(root)
        try parser.reader.check(file: file)
        guard let configuration else { throw ConfigFileError(file: file, problems: [.init(line: 1, reason: "no configuration")]) }
        return configuration
    }
}

/// Walks the YAML tree of an SLA file, collecting every problem with its line.
struct SLAConfigurationFileParser {
    let reader = ConfigFileReader()

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let metricKeys: [(String, SLAMetric)] = [("first_response", .firstResponse), ("plan", .plan), ("resolution", .resolution)]

    func configuration(_ root: Node?) -> SLAConfiguration? {
        guard let root else {
            reader.fail(nil, "the file is empty; expected calendars, policies and ladders")
            return nil
        }
        guard
            let fields = reader.mapping(
                root, what: "the file", allowed: ["warning_share", "calendars", "policies", "ladders"], required: ["calendars", "policies"])
        else { return nil }
        var share = 0.8
        if let node = fields["warning_share"], let value = reader.number(node, what: "warning_share") {
            if value > 0 && value < 1 { share = value } else { reader.fail(node, "warning_share must be between 0 and 1 (exclusive), got \(value)") }
        }
        let parsedCalendars = fields["calendars"].map { self.calendars($0) } ?? [:]
        let parsedPolicies = fields["policies"].map { self.policies($0, calendars: parsedCalendars) } ?? []
        var defaultLadder = EscalationLadder.default
        var departments: [String: EscalationLadder] = [:]
        if let node = fields["ladders"], let ladders = reader.mapping(node, what: "ladders", allowed: ["default", "departments"], required: []) {
            if let node = ladders["default"], let ladder = ladder(node, what: "the default ladder") { defaultLadder = ladder }
            if let node = ladders["departments"], let pairs = reader.pairs(node, what: "ladders.departments") {
                for (key, value) in pairs {
                    guard let name = reader.nonEmptyString(key, what: "a department name") else { continue }
                    if departments[name] != nil { reader.fail(key, "department \(name) has two ladders") }
                    if let ladder = ladder(value, what: "the ladder of \(name)") { departments[name] = ladder }
                }
            }
        }
        let configuration = SLAConfiguration(
            warningShare: share, calendars: parsedCalendars.mapValues(\.calendar), policies: parsedPolicies, defaultLadder: defaultLadder,
            departmentLadders: departments)
        if reader.problems.isEmpty {
            // What only the whole configuration shows (a level without a policy), at the top.
            for problem in configuration.validate() { reader.fail(fields["policies"], problem) }
        }
        return configuration
    }

    // MARK: Calendars

    struct ParsedCalendar {
        var calendar: BusinessCalendar
        var node: Node
    }

    func calendars(_ node: Node) -> [String: ParsedCalendar] {
        guard let pairs = reader.pairs(node, what: "calendars") else { return [:] }
        if pairs.isEmpty { reader.fail(node, "calendars must define at least one calendar") }
        var result: [String: ParsedCalendar] = [:]
        for (key, value) in pairs {
            guard let id = reader.nonEmptyString(key, what: "a calendar name") else { continue }
            if result[id] != nil { reader.fail(key, "calendar \(id) is defined twice") }
            if let calendar = calendar(value, id: id) { result[id] = ParsedCalendar(calendar: calendar, node: value) }
        }
        return result
    }

    func calendar(_ node: Node, id: String) -> BusinessCalendar? {
        let what = "calendar \(id)"
        guard
            let fields = reader.mapping(
                node, what: what, allowed: ["always_open", "time_zone", "week", "holidays", "make_up_days", "make_up_hours"], required: [])
        else { return nil }
        var zone = TimeZone(identifier: "UTC")!
        if let zoneNode = fields["time_zone"], let name = reader.nonEmptyString(zoneNode, what: "\(what) time_zone") {
            if let z = TimeZone(identifier: name) {
                zone = z
            } else {
                reader.fail(zoneNode, "\(what): unknown time zone \(name) (use an IANA name such as Asia/Shanghai)")
            }
        }
        if let open = fields["always_open"], reader.bool(open, what: "\(what) always_open") == true {
            for key in ["week", "holidays", "make_up_days", "make_up_hours"] where fields[key] != nil {
                reader.fail(fields[key], "\(what) is always open, so \(key) means nothing")
            }
            return .twentyFourSeven(id: id, timeZone: zone)
        }
        guard let weekNode = fields["week"] else {
            reader.fail(node, "\(what) needs either always_open: true or a week of working hours")
            return nil
        }
        if fields["time_zone"] == nil { reader.fail(node, "\(what) needs a time_zone (an IANA name such as Asia/Shanghai)") }
        var weekly = Array(repeating: [WorkingPeriod](), count: 7)
        if let days = reader.mapping(weekNode, what: "\(what) week", allowed: Self.weekdays, required: []) {
            for (i, name) in Self.weekdays.enumerated() {
                if let dayNode = days[name] { weekly[i] = periods(dayNode, what: "\(what) \(name)") }
            }
        }
        let holidays = fields["holidays"].map { dates($0, what: "\(what) holidays") } ?? []
        let makeUp = fields["make_up_days"].map { dates($0, what: "\(what) make_up_days") } ?? []
        let makeUpHours = fields["make_up_hours"].map { periods($0, what: "\(what) make_up_hours") }
        let calendar = BusinessCalendar(
            id: id, timeZone: zone, weekly: weekly, holidays: Set(holidays), makeUpDays: Set(makeUp),
            makeUpHours: makeUpHours ?? weekly.first { !$0.isEmpty })
        for problem in calendar.validate() {
            // Derived make-up hours repeat the weekday's problem; name each problem once, at its key.
            if problem.contains("make-up hours") {
                if let hours = fields["make_up_hours"] { reader.fail(hours, problem) }
            } else if problem.contains("make-up") || problem.contains("holiday") {
                reader.fail(fields["make_up_days"] ?? node, problem)
            } else {
                reader.fail(weekNode, problem)
            }
        }
        return calendar
    }

    func periods(_ node: Node, what: String) -> [WorkingPeriod] {
        guard let items = reader.sequence(node, what: what) else { return [] }
        return items.compactMap { item in
            guard let text = reader.nonEmptyString(item, what: "a period of \(what)") else { return nil }
            guard let period = WorkingPeriod(text) else {
                reader.fail(item, "\(what): \(text) is not a working period; expected HH:MM-HH:MM with the start before the end")
                return nil
            }
            return period
        }
    }

    func dates(_ node: Node, what: String) -> [LocalDate] {
        guard let items = reader.sequence(node, what: what) else { return [] }
        var seen = Set<LocalDate>()
        return items.compactMap { item in
            guard let text = reader.nonEmptyString(item, what: "a day of \(what)") else { return nil }
            guard let day = LocalDate(text) else {
                reader.fail(item, "\(what): \(text) is not a day; expected YYYY-MM-DD")
                return nil
            }
            if !seen.insert(day).inserted { reader.fail(item, "\(what): \(text) is listed twice") }
            return day
        }
    }

    // MARK: Policies

    func policies(_ node: Node, calendars: [String: ParsedCalendar]) -> [SLAPolicy] {
        guard let items = reader.sequence(node, what: "policies") else { return [] }
        var result: [SLAPolicy] = []
        var lanes: [(node: Node, level: Level, tier: CustomerTier, calendar: String?, targets: [SLAMetric: SLADurationText.Value])] = []
        var seen: [String: Node] = [:]
        for item in items {
            let allowed = ["level", "tier", "calendar"] + Self.metricKeys.map(\.0)
            guard let fields = reader.mapping(item, what: "a policy", allowed: allowed, required: ["level"]) else { continue }
            guard let levelNode = fields["level"], let number = reader.integer(levelNode, what: "level", in: 1...3), let level = Level(rawValue: number)
            else { continue }
            var tier: CustomerTier?
            if let tierNode = fields["tier"], let name = reader.nonEmptyString(tierNode, what: "tier") {
                tier = CustomerTier(rawValue: name)
                if tier == nil {
                    reader.fail(tierNode, "unknown tier \(name); expected one of \(CustomerTier.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
            }
            let name = "level \(number)" + (tier.map { " \($0.rawValue)" } ?? "")
            if seen[name] != nil {
                reader.fail(item, "\(name) has two policies")
                continue
            }
            seen[name] = item
            let calendarName = fields["calendar"].flatMap { reader.nonEmptyString($0, what: "calendar of \(name)") }
            if let calendarName, calendars[calendarName] == nil {
                reader.fail(fields["calendar"], "\(name): unknown calendar \(calendarName); defined: \(calendars.keys.sorted().joined(separator: ", "))")
            }
            var targets: [SLAMetric: SLADurationText.Value] = [:]
            for (key, metric) in Self.metricKeys {
                guard let targetNode = fields[key], let text = reader.nonEmptyString(targetNode, what: "\(key) of \(name)") else { continue }
                guard let value = SLADurationText.parse(text) else {
                    reader.fail(targetNode, "\(name) \(key): \(text) is not a duration; expected e.g. 15m, 2h, 30d or 3 working days")
                    continue
                }
                targets[metric] = value
            }
            if let tier {
                lanes.append((item, level, tier, calendarName, targets))
                continue
            }
            guard let calendarName else {
                reader.fail(item, "\(name) needs a calendar")
                continue
            }
            if targets.isEmpty { reader.fail(item, "\(name) has no targets; expected first_response, plan or resolution") }
            let calendar = calendars[calendarName]?.calendar ?? .twentyFourSeven(id: calendarName)
            result.append(SLAPolicy(level: level, calendar: calendarName, targets: targets.mapValues { $0.seconds(on: calendar) }))
        }
        // A tier's lane inherits what it does not name from its level's policy.
        for lane in lanes {
            guard let base = result.first(where: { $0.level == lane.level }) else {
                reader.fail(lane.node, "level \(lane.level.rawValue) \(lane.tier.rawValue) needs a policy for level \(lane.level.rawValue) to inherit from")
                continue
            }
            let calendarName = lane.calendar ?? base.calendar
            let calendar = calendars[calendarName]?.calendar ?? .twentyFourSeven(id: calendarName)
            var targets = base.targets
            for (metric, value) in lane.targets { targets[metric] = value.seconds(on: calendar) }
            result.append(SLAPolicy(level: lane.level, tier: lane.tier, calendar: calendarName, targets: targets))
        }
        return result
    }

    // MARK: Ladders

    func ladder(_ node: Node, what: String) -> EscalationLadder? {
        guard let items = reader.sequence(node, what: what) else { return nil }
        if items.isEmpty {
            reader.fail(node, "\(what) needs at least one step")
            return nil
        }
        var steps: [EscalationLadder.Step] = []
        var previous = -1.0
        var previousShare = -1.0
        for (i, item) in items.enumerated() {
            let stepWhat = "\(what) step \(i + 1)"
            guard let fields = reader.mapping(item, what: stepWhat, allowed: ["notify", "after_due"], required: ["notify", "after_due"]),
                let notifyNode = fields["notify"], let notify = reader.nonEmptyString(notifyNode, what: "notify of \(stepWhat)"),
                let delayNode = fields["after_due"], let delay = delay(delayNode, what: stepWhat)
            else { continue }
            switch delay {
            case .seconds(let s):
                if s < previous { reader.fail(delayNode, "\(stepWhat) fires before the step above it (\(delay))") }
                previous = s
            case .share(let f):
                if f < previousShare { reader.fail(delayNode, "\(stepWhat) fires before the step above it (\(delay))") }
                previousShare = f
            }
            steps.append(.init(notify: notify, afterDue: delay))
        }
        return steps.count == items.count ? EscalationLadder(steps: steps) : nil
    }

    /// `0`, a duration (`1h`), or a share of the clock's target (`50%`).
    func delay(_ node: Node, what: String) -> EscalationLadder.Delay? {
        guard let text = reader.nonEmptyString(node, what: "after_due of \(what)") else { return nil }
        if text == "0" { return .seconds(0) }
        if text.hasSuffix("%"), let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), percent >= 0, percent.isFinite {
            return .share(percent / 100)
        }
        if let value = SLADurationText.parse(text), case .seconds(let s) = value { return .seconds(s) }
        reader.fail(node, "\(what) after_due: \(text) is not a delay; expected 0, a duration such as 1h, or a share of the target such as 50%")
        return nil
    }
}
