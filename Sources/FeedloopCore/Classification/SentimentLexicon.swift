/// Words that carry sentiment, in Chinese and English, plus the negators that flip them.
///
/// Phrases that already contain their negation ("不好", "not working") are listed as such: a
/// longer match swallows the shorter ones inside it, so "不错" is never read as 不 + 错.
public struct SentimentLexicon: Hashable, Sendable {
    /// Words that make feedback more positive.
    public var positive: [WeightedKeyword]
    /// Words that make feedback more negative.
    public var negative: [WeightedKeyword]
    /// Words that flip the polarity of a sentiment word shortly after them in the same clause.
    public var negators: [String]
    /// Words after which the clause weighs more ("但是", "but"): the verdict usually follows them.
    public var contrasts: [String]
    /// Phrases that contain a sentiment word but carry none ("贵公司" is polite, "差价" a sum).
    public var neutral: [String]

    /// Creates a lexicon.
    public init(
        positive: [WeightedKeyword], negative: [WeightedKeyword], negators: [String],
        contrasts: [String] = [], neutral: [String] = []
    ) {
        self.positive = positive
        self.negative = negative
        self.negators = negators
        self.contrasts = contrasts
        self.neutral = neutral
    }

    /// The built-in Chinese and English lexicon.
    public static let `default` = SentimentLexicon(
        positive: lexicon(
            1, "不错", "很好", "挺好", "真好", "非常好", "特别好", "好用", "好评", "满意", "喜欢", "感谢", "赞", "点赞",
            "给力", "棒", "完美", "方便", "快速", "及时", "耐心", "热情", "专业", "贴心", "周到", "推荐", "值得",
            "划算", "实惠", "便宜", "靠谱", "舒服", "清晰", "流畅", "稳定", "好吃", "好看", "惊喜", "超值",
            "物美价廉", "很快", "挺快", "神速", "认真", "负责", "解决了", "放心",
            "good", "great", "excellent", "amazing", "awesome", "love", "loved", "lovely", "happy", "satisfied",
            "pleased", "helpful", "friendly", "fast", "quick", "quickly", "smooth", "easy", "perfect",
            "recommend", "worth it", "well done", "appreciate", "impressed", "reliable", "fantastic",
            "wonderful", "nice", "polite", "patient", "professional", "on time", "i like", "really like",
            "works great", "works well", "solved", "fixed")
            + lexicon(0.5, "谢谢", "没问题", "thanks", "thank you", "cheap"),
        negative: lexicon(
            1, "不好", "不行", "差", "很差", "太差", "差劲", "糟糕", "失望", "不满意", "不满", "生气", "愤怒", "恶心",
            "坑", "骗", "骗子", "投诉", "坏", "故障", "闪退", "死机", "卡顿", "破损", "慢", "贵", "没人理", "敷衍",
            "没解决", "没用", "难用", "不好用", "不方便", "毛病", "烂", "差评", "糟心", "无语", "无法", "延误",
            "延迟", "还没到", "没收到", "迟迟", "不值", "不值得", "不划算", "后悔", "上当", "缺陷", "瑕疵", "错误",
            "报错", "崩溃", "黑屏", "假货", "乱收费", "不耐烦", "冷漠", "欺骗", "误导", "吐槽", "好久", "不喜欢",
            "复杂", "不合理", "恶劣", "挂电话", "繁琐", "压扁", "压坏", "碎了", "摔坏", "不更新", "没更新", "没有更新",
            "查不到", "简陋", "不如", "漏发", "少发", "发错", "丢件", "没人管", "拖延", "推脱", "没到账", "收不到",
            "找不到", "没回复", "不回复", "不推荐", "不靠谱", "不专业", "不及时", "不清楚", "没反应", "打不开", "用不了", "不能用", "太贵",
            "bad", "terrible", "awful", "horrible", "poor", "worst", "worse", "hate", "disappointed",
            "disappointing", "unhappy", "angry", "frustrated", "frustrating", "annoying", "annoyed", "useless",
            "broken", "defective", "crash", "crashes", "freezes", "bug", "buggy", "slow", "late", "delayed",
            "damaged", "rude", "expensive", "overpriced", "waste", "scam", "complaint", "complain", "error",
            "fail", "failed", "failure", "not working", "doesn't work", "does not work", "stopped working",
            "never arrived", "no reply", "no response", "ignored", "unacceptable", "ridiculous", "pathetic",
            "garbage", "rubbish", "trash", "nightmare", "lost", "missing", "wrong", "unable", "confusing",
            "misleading", "cheated", "cumbersome", "complicated", "didn't help", "did not help", "persists", "unclear",
            "didn't apply", "did not apply", "no longer", "stuck", "hung up", "too long", "forever", "unusable",
            "still waiting", "not updated", "hasn't updated", "has not updated", "not responding", "nobody", "no one", "don't like", "do not like",
            "didn't like", "dislike", "ripped off", "rip-off", "hard to use", "not worth")
            + lexicon(2, "气死", "垃圾", "忍无可忍", "受不了", "太差了", "无法使用", "坏了", "horrible experience", "worst ever")
            + lexicon(0.5, "问题", "麻烦", "不能", "退货", "退款", "issue", "problem", "refund"),
        negators: [
            "不", "没", "没有", "别", "未", "并不", "不太", "不怎么", "不算", "毫无", "从不", "从没", "不是", "一点也不", "一点都不",
            "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't",
            "can't", "cannot", "couldn't", "hardly", "without", "nothing", "neither", "nor",
        ],
        contrasts: ["但是", "但", "可是", "不过", "然而", "只是", "but", "however", "though", "although"],
        neutral: [
            "贵公司", "贵司", "贵店", "贵方", "差价", "差不多", "差点", "慢慢", "不好意思", "好不好", "行不行", "能不能",
            "别家", "别人", "别的", "特别", "分别", "区别", "级别", "类别", "不少", "不断", "不停", "不仅", "不管",
            "不久", "未来", "无论",
        ]
    )
}

/// Keywords of one weight, to keep the table above readable.
private func lexicon(_ weight: Double, _ terms: String...) -> [WeightedKeyword] {
    terms.map { WeightedKeyword($0, weight: weight) }
}
