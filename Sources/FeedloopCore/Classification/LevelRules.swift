/// How the classifier grades feedback into levels; rules are tried in the order of ``LevelRule``.
///
/// - `vip_customer`: the customer is VIP and the item is a complaint (negative, or a non-positive
///   item in a complaint category). A VIP's suggestion or praise is not urgent.
/// - `severity_words`: an ``alwaysUrgent`` term anywhere (lawyer, 315, injury), or an
///   ``urgentWhenNegative`` term in negative feedback ("全部" in "全部坏了", but not in
///   "建议全部商品包邮").
/// - `incident`: at least ``incidentMinCustomers`` distinct customers sent similar text of the
///   same category and sub-category within ``incidentWindow`` (the worker finds them; see
///   ``regraded(_:isIncident:)``).
/// - `strong_negative`: the sentiment score is at or below ``strongNegativeScore``: level 2,
///   not 1, because one customer's anger is the §1 "important" case; it is urgent only with
///   one of the rules above.
/// - `negative_complaint`: negative feedback in one of the ``complaintCategories``.
/// - `default_general`: the rest.
public struct LevelRules: Hashable, Sendable {
    /// Terms that make any item urgent: legal action, regulators, the press, harm to people.
    public var alwaysUrgent: [String]
    /// Terms that make a negative item urgent because they speak of breadth or publicity.
    public var urgentWhenNegative: [String]
    /// Categories in which negative feedback is a complaint.
    public var complaintCategories: Set<Category>
    /// Distinct customers with similar feedback that make an incident (default 5).
    public var incidentMinCustomers: Int
    /// How far back similar feedback counts towards an incident (default 60 minutes).
    public var incidentWindow: Duration
    /// Most differing ``SimHash`` bits for two texts to describe the same problem (default 7,
    /// the most that the band lookup of ``SimHash/bands`` is sure to find).
    public var incidentMaxDistance: Int
    /// A sentiment score at or below this is `strong_negative` (default -4: several strong
    /// complaint words, or one intensified and repeated).
    public var strongNegativeScore: Double
    /// A classification whose confidence is below this is flagged `needs_review` (default 0.5); only
    /// with a trained model, as keywords alone never ask for review (``HybridClassifier``).
    public var needsReviewBelow: Double

    /// Creates rules; the crowd and strength settings default to those of ``default``.
    public init(
        alwaysUrgent: [String], urgentWhenNegative: [String], complaintCategories: Set<Category>,
        incidentMinCustomers: Int = 5, incidentWindow: Duration = .seconds(3600), incidentMaxDistance: Int = 7,
        strongNegativeScore: Double = -4, needsReviewBelow: Double = 0.5
    ) {
        self.alwaysUrgent = alwaysUrgent
        self.urgentWhenNegative = urgentWhenNegative
        self.complaintCategories = complaintCategories
        self.incidentMinCustomers = incidentMinCustomers
        self.incidentWindow = incidentWindow
        self.incidentMaxDistance = incidentMaxDistance
        self.strongNegativeScore = strongNegativeScore
        self.needsReviewBelow = needsReviewBelow
    }

    /// The largest ``incidentMaxDistance`` the band lookup finds every neighbour for.
    public static let maxIncidentDistance = SimHash.bandCount - 1

    /// Whether an item of this category may belong to an incident: complaints only, as many
    /// customers suggesting the same thing is a trend for planning, not an emergency.
    public func mayFormIncident(_ category: Category) -> Bool {
        self.complaintCategories.contains(category)
    }

    /// Applies the rules that the per-item classifier cannot see on its own: `incident` (which
    /// needs the other customers' tickets) and `strong_negative`. A level set by `vip_customer`
    /// or `severity_words` is kept, as those rank first.
    public func regraded(_ classification: Classification, isIncident: Bool) -> Classification {
        var c = classification
        switch c.levelRule {
        case .vipCustomer, .severityWords, .incident:
            return c
        case .strongNegative, .negativeComplaint, .defaultGeneral:
            break
        }
        if isIncident {
            c.level = .urgent
            c.levelRule = .incident
        } else if c.sentimentScore <= self.strongNegativeScore {
            c.level = min(c.level, .important)
            c.levelRule = .strongNegative
        }
        return c
    }

    /// The default grading of ARCHITECTURE §1.
    public static let `default` = LevelRules(
        alwaysUrgent: [
            "无法使用", "完全不能用", "根本用不了", "投诉到", "律师", "起诉", "法院", "打官司", "曝光", "315", "12315", "消协",
            "消费者协会", "工商", "市场监管", "报警", "受伤", "烫伤", "触电", "爆炸", "起火", "着火", "冒烟", "安全隐患",
            "危险", "中毒", "住院",
            "cannot use", "can't use it at all", "unusable", "lawsuit", "lawyer", "attorney", "sue", "court",
            "legal action", "dangerous", "injury", "injured", "burned", "caught fire", "on fire", "smoke",
            "exploded", "explosion", "electric shock", "poisoning", "safety hazard", "go to the press", "regulator",
        ],
        urgentWhenNegative: [
            "大面积", "全部", "所有用户", "所有人", "很多人", "大家都", "批量", "媒体", "微博", "热搜", "抖音",
            "everyone", "everybody", "all users", "all customers", "many users", "many customers", "widespread",
            "outage", "media", "twitter", "viral",
        ],
        complaintCategories: [.product, .service, .logistics, .price]
    )
}
