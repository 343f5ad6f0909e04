import FeedloopCore

extension ReportDocument {
    /// Names for everything a report mentions, in one language: the fixed words
    /// (``ReportDocument/Text``), and the data's codes — categories and sub-categories from the
    /// taxonomy, survey dimensions from the questionnaires, channels, tiers, levels, clocks,
    /// survey flags and the default departments. A code without a name is shown as it is.
    public struct Labels: Sendable {
        public var language: Language
        public var taxonomy: Taxonomy
        public var surveys: SurveyCatalog

        public init(language: Language = .en, taxonomy: Taxonomy = .default, surveys: SurveyCatalog = .builtIn) {
            self.language = language
            self.taxonomy = taxonomy
            self.surveys = surveys
        }

        public subscript(_ text: Text) -> String { self.pick(text.texts) }

        func pick(_ texts: (zh: String, en: String)) -> String { self.language == .zh ? texts.zh : texts.en }

        public func category(_ category: Category) -> String {
            guard let entry = self.taxonomy.entry(for: category) else { return category.rawValue }
            return self.language == .zh ? entry.nameZh : entry.nameEn
        }

        /// The sub-category's name; the category's when nil.
        public func subcategory(_ id: String?, of category: Category) -> String {
            guard let id else { return self.category(category) }
            guard let entry = self.taxonomy.subcategory(id: id) else { return id }
            return self.language == .zh ? entry.nameZh : entry.nameEn
        }

        public func channel(_ channel: Channel) -> String {
            switch channel {
            case .hotline: self.pick(("热线", "Hotline"))
            case .chat: self.pick(("在线客服", "Online chat"))
            case .store: self.pick(("门店", "Store"))
            case .email: self.pick(("邮件", "Email"))
            case .social: self.pick(("社交媒体", "Social media"))
            case .survey: self.pick(("问卷", "Survey"))
            case .returnVisit: self.pick(("回访", "Return visit"))
            case .research: self.pick(("第三方调研", "Third-party research"))
            }
        }

        public func tier(_ tier: CustomerTier) -> String {
            switch tier {
            case .vip: "VIP"
            case .regular: self.pick(("普通客户", "Regular"))
            case .new: self.pick(("新客户", "New"))
            }
        }

        public func level(_ level: Level) -> String {
            switch level {
            case .urgent: self.pick(("一级（紧急）", "1 urgent"))
            case .important: self.pick(("二级（重要）", "2 important"))
            case .general: self.pick(("三级（一般）", "3 general"))
            }
        }

        public func metric(_ metric: SLAMetric) -> String {
            switch metric {
            case .firstResponse: self.pick(("首次响应", "First response"))
            case .plan: self.pick(("方案", "Plan"))
            case .resolution: self.pick(("解决", "Resolution"))
            }
        }

        public func flag(_ flag: SurveyFlagKind) -> String {
            switch flag {
            case .tooFast: self.pick(("答题过快", "Too fast"))
            case .straightLining: self.pick(("所有题目同一分", "Straight-lining"))
            case .contradictory: self.pick(("前后矛盾", "Contradictory"))
            case .repeat: self.pick(("重复作答", "Repeat answer"))
            }
        }

        /// The default departments of the taxonomy by name; configured ones as they are written.
        public func department(_ id: String) -> String {
            switch id {
            case "rd": self.pick(("研发部", "R&D"))
            case "customer_service": self.pick(("客服部", "Customer service"))
            case "logistics": self.pick(("物流运营部", "Logistics / operations"))
            case "marketing": self.pick(("市场部", "Marketing"))
            case "planning": self.pick(("规划部", "Planning"))
            default: id
            }
        }

        public func dimension(_ dimension: ReportDimension) -> String {
            switch dimension {
            case .department: self.pick(("部门", "Department"))
            case .channel: self.pick(("渠道", "Channel"))
            case .category: self.pick(("类别", "Category"))
            case .level: self.pick(("级别", "Level"))
            case .tier: self.pick(("客户等级", "Customer tier"))
            }
        }

        /// A breakdown row's key named for its dimension (`unknown` and unrecognised codes as given).
        public func key(_ key: String, of dimension: ReportDimension) -> String {
            switch dimension {
            case .department: return self.department(key)
            case .channel: return Channel(rawValue: key).map(self.channel) ?? key
            case .category: return Category(rawValue: key).map(self.category) ?? key
            case .level: return Int(key).flatMap(Level.init(rawValue:)).map(self.level) ?? key
            case .tier: return CustomerTier(rawValue: key).map(self.tier) ?? key
            }
        }

        public func survey(_ id: String) -> String {
            guard let questionnaire = self.surveys[id] else { return id }
            return self.language == .zh ? questionnaire.title.zh : questionnaire.title.en
        }

        /// A survey dimension's label from its questionnaire.
        public func surveyDimension(_ id: String, survey: String) -> String {
            guard let found = self.surveys[survey]?.dimensions.first(where: { $0.id == id }) else { return id }
            return self.language == .zh ? found.label.zh : found.label.en
        }
    }
}
