/// The people and departments notifications go to (`config/staff.yaml`, `FEEDLOOP_STAFF`):
/// who heads and leads each department, how each person is reached and in which language.
/// The roles an escalation ladder names (`assignee`, `team_lead`, `department_head`,
/// `director`) and person ids resolve here.
public struct StaffDirectory: Hashable, Sendable {
    public struct Person: Hashable, Sendable {
        /// Lowercase id, used in ladders, ticket assignments and `notifications.recipient`.
        public var id: String
        public var name: String
        public var roles: [String]
        public var email: String?
        public var phone: String?
        public var webhook: String?
        public var locale: String?

        public init(id: String, name: String, roles: [String] = [], email: String? = nil, phone: String? = nil, webhook: String? = nil, locale: String? = nil) {
            self.id = id
            self.name = name
            self.roles = roles
            self.email = email
            self.phone = phone
            self.webhook = webhook
            self.locale = locale
        }

        public var recipient: NotificationRecipient {
            NotificationRecipient(
                id: id, name: name, locale: locale,
                addresses: [.email: email, .sms: phone, .webhook: webhook].compactMapValues { $0 })
        }
    }

    public struct Department: Hashable, Sendable {
        /// As the taxonomy routes tickets (`customer_service`, `logistics`, …).
        public var id: String
        public var name: String?
        public var head: String
        public var teamLead: String
        /// The department's shared inbox and team webhook, for the `department` audience.
        public var email: String?
        public var webhook: String?
        public var locale: String?

        public init(id: String, name: String? = nil, head: String, teamLead: String, email: String? = nil, webhook: String? = nil, locale: String? = nil) {
            self.id = id
            self.name = name
            self.head = head
            self.teamLead = teamLead
            self.email = email
            self.webhook = webhook
            self.locale = locale
        }
    }

    public var people: [String: Person]
    public var departments: [String: Department]
    /// Person id of the director: the top of every default escalation ladder.
    public var director: String
    /// Handles tickets of departments the directory does not list (a taxonomy change ahead of
    /// the directory): their team lead and head are this department's.
    public var fallbackDepartment: String

    public init(people: [Person], departments: [Department], director: String, fallbackDepartment: String) {
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.departments = Dictionary(departments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.director = director
        self.fallbackDepartment = fallbackDepartment
    }

    /// The roles a ladder step or a route may name, besides a person id.
    public static let roles = ["assignee", "team_lead", "department_head", "director", "department"]

    /// The department a ticket's department id stands for (the fallback when unlisted).
    public func department(_ id: String?) -> Department? {
        id.flatMap { departments[$0] } ?? departments[fallbackDepartment]
    }

    /// Who `role` is for a ticket of `department` assigned to `assignee`: a role of
    /// ``roles`` or a person's id. `assignee` falls back to the team lead when the ticket
    /// has none or names someone the directory does not know. Nil when `role` is neither a
    /// role nor a known person.
    public func resolve(_ role: String, department: String?, assignee: String?) -> NotificationRecipient? {
        let dept = self.department(department)
        switch role {
        case "assignee":
            if let assignee, let person = people[assignee] { return person.recipient }
            return dept.flatMap { people[$0.teamLead]?.recipient }
        case "team_lead":
            return dept.flatMap { people[$0.teamLead]?.recipient }
        case "department_head":
            return dept.flatMap { people[$0.head]?.recipient }
        case "director":
            return people[director]?.recipient
        case "department":
            guard let dept else { return nil }
            let addresses: [NotificationChannel: String] = [.email: dept.email, .webhook: dept.webhook].compactMapValues { $0 }
            if addresses.isEmpty { return people[dept.teamLead]?.recipient }
            return NotificationRecipient(id: "department:\(dept.id)", name: dept.name ?? dept.id, locale: dept.locale, addresses: addresses)
        default:
            return people[role]?.recipient
        }
    }

    /// The recipient for a routed audience (everything but the customer and the escalation
    /// step, which names its own role).
    public func resolve(_ audience: NotificationAudience, department: String?, assignee: String?) -> NotificationRecipient? {
        switch audience {
        case .customer, .escalation: return nil
        case .department: return resolve("department", department: department, assignee: assignee)
        case .assignee: return resolve("assignee", department: department, assignee: assignee)
        case .teamLead: return resolve("team_lead", department: department, assignee: assignee)
        case .departmentHead: return resolve("department_head", department: department, assignee: assignee)
        case .director: return resolve("director", department: department, assignee: assignee)
        }
    }
}
