/// How the classifier grades feedback into levels; rules are tried in the order of ``LevelRule``.
///
/// - `vip_customer`: the customer is VIP and the item is a complaint (negative, or a non-positive
///   item in a complaint category). A VIP's suggestion or praise is not urgent.
/// - `severity_words`: an ``alwaysUrgent`` term anywhere (lawyer, 315, injury), or an
///   ``urgentWhenNegative`` term in negative feedback ("全部" in "全部坏了", but not in
///   "建议全部商品包邮").
/// - `negative_complaint`: negative feedback in one of the ``complaintCategories``.
/// - `default_general`: the rest.
public struct LevelRules: Hashable, Sendable {
    /// Terms that make any item urgent: legal action, regulators, the press, harm to people.
    public var alwaysUrgent: [String]
    /// Terms that make a negative item urgent because they speak of breadth or publicity.
    public var urgentWhenNegative: [String]
    /// Categories in which negative feedback is a complaint.
    public var complaintCategories: Set<Category>

    /// Creates rules.
    public init(alwaysUrgent: [String], urgentWhenNegative: [String], complaintCategories: Set<Category>) {
        self.alwaysUrgent = alwaysUrgent
        self.urgentWhenNegative = urgentWhenNegative
        self.complaintCategories = complaintCategories
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
