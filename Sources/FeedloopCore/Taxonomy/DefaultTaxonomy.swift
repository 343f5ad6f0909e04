extension Taxonomy {
    /// The default taxonomy of ARCHITECTURE §1 with Chinese and English keywords.
    ///
    /// Weights: 1 for words that only name an area ("快递", "price"), 2 for words that name
    /// a problem, 3 for phrases that settle it ("arrived broken", "能不能增加"). Suggestion
    /// markers weigh most so that a clearly worded suggestion wins over the area it is about.
    public static let `default` = Taxonomy(
        categories: [
            TaxonomyCategory(
                category: .product, nameZh: "产品类", nameEn: "Product", department: "rd",
                keywords: words(
                    1, "产品", "商品", "机器", "设备", "软件", "功能", "屏幕", "电池", "app", "应用", "设计", "界面",
                    "product", "item", "device", "software", "feature", "screen", "battery", "firmware", "design", "interface")
                    + words(0.5, "东西", "手机", "phone"),
                subcategories: [
                    TaxonomySubcategory(
                        id: "product.defect", nameZh: "缺陷/质量问题", nameEn: "Defect / quality",
                        keywords: words(
                            2, "质量", "坏了", "坏的", "瑕疵", "裂了", "裂缝", "掉漆", "划痕", "次品", "残次品",
                            "做工差", "做工粗糙", "假货", "不是正品", "异味", "漏水", "开胶", "起球", "褪色", "生锈",
                            "defect", "defective", "broken", "faulty", "cracked", "scratched", "scratches",
                            "poor quality", "low quality", "bad quality", "fell apart", "fake", "counterfeit", "rusty", "leaks")
                            + words(3, "质量问题", "质量差", "质量太差", "用了几天就坏", "quality issue", "stopped working after")
                    ),
                    TaxonomySubcategory(
                        id: "product.malfunction", nameZh: "故障/程序错误", nameEn: "Malfunction / bug",
                        keywords: words(
                            2, "故障", "闪退", "死机", "卡顿", "很卡", "太卡", "卡死", "黑屏", "白屏", "花屏", "打不开",
                            "自动重启", "一直重启", "报错", "出错", "失灵", "没反应", "发烫", "耗电快", "掉线", "连不上",
                            "登录不了", "无法登录", "崩溃", "bug",
                            "crash", "crashing", "freeze", "freezes", "frozen", "glitch", "glitchy", "buggy", "error",
                            "malfunction", "not working", "doesn't work", "does not work", "won't turn on",
                            "keeps restarting", "overheats", "overheating", "lag", "laggy", "can't log in", "cannot log in")
                            + words(3, "无法开机", "开不了机", "不能开机", "不工作", "程序错误")
                    ),
                    TaxonomySubcategory(
                        id: "product.usability", nameZh: "难用/设计不合理", nameEn: "Hard to use / poor design",
                        keywords: words(
                            2, "不好用", "难用", "操作复杂", "太复杂", "不方便", "不人性化", "不直观", "看不懂", "反人类",
                            "操作繁琐", "设计差", "找不到入口", "字太小",
                            "hard to use", "difficult to use", "confusing", "not intuitive", "clunky", "unintuitive",
                            "poorly designed", "badly designed", "poor design", "not user friendly", "user-unfriendly",
                            "too complicated", "too many steps", "hard to find", "awkward to use")
                            + words(3, "设计不合理", "设计缺陷", "用起来很麻烦")
                    ),
                    TaxonomySubcategory(
                        id: "product.version", nameZh: "版本/更新问题", nameEn: "Version / update problem",
                        keywords: words(
                            1, "升级", "更新", "版本", "新版", "旧版", "固件", "兼容",
                            "update", "upgrade", "version", "compatibility", "compatible")
                            + words(
                                3, "升级后", "更新后", "新版本", "系统更新", "更新之后", "升级之后", "回退版本", "不兼容",
                                "after the update", "after updating", "since the update", "since updating", "after the upgrade",
                                "new version", "latest version", "latest update", "roll back", "not compatible", "incompatible")
                    ),
                ]
            ),
            TaxonomyCategory(
                category: .service, nameZh: "服务类", nameEn: "Service", department: "customer_service",
                keywords: words(
                    1, "客服", "服务", "人工", "工作人员", "店员", "专员", "热线", "门店",
                    "customer service", "service", "support", "agent", "staff", "representative", "hotline",
                    "call center", "helpdesk", "employee", "cashier", "store"),
                subcategories: [
                    TaxonomySubcategory(
                        id: "service.slow_response", nameZh: "响应慢", nameEn: "Slow response",
                        keywords: words(
                            2, "没人理", "没人回复", "没人管", "回复慢", "响应慢", "处理慢", "不回复", "不回消息", "没回复",
                            "一直没人", "打不通", "占线", "排队", "等了半天", "等了很久", "石沉大海", "没有回音",
                            "no reply", "no response", "never replied", "never got back", "nobody answered",
                            "no one answered", "nobody replied", "no one replied", "on hold", "slow response",
                            "still waiting", "took forever", "ignored", "ignoring", "waited")
                            + words(
                                3, "迟迟没有回复", "迟迟没人", "回复太慢", "没收到回复", "一直没有回复", "没有人回复",
                                "waiting for a reply", "waiting for an answer", "no one got back", "nobody got back",
                                "hours on hold", "days without a reply")
                    ),
                    TaxonomySubcategory(
                        id: "service.attitude", nameZh: "态度差", nameEn: "Bad attitude",
                        keywords: words(
                            2, "态度", "不耐烦", "敷衍", "骂人", "爱答不理", "冷漠", "不礼貌", "挂电话", "挂断", "推卸",
                            "推脱", "踢皮球", "傲慢", "嘲讽", "凶",
                            "rude", "impolite", "attitude", "unprofessional", "arrogant", "yelled", "hung up",
                            "disrespectful", "impatient", "condescending", "dismissive", "unfriendly")
                            + words(
                                3, "态度差", "态度恶劣", "态度很差", "态度不好", "服务态度", "推卸责任",
                                "bad attitude", "was rude", "very rude")
                    ),
                    TaxonomySubcategory(
                        id: "service.after_sales", nameZh: "售后流程繁琐", nameEn: "Cumbersome after-sales",
                        keywords: words(
                            2, "售后", "退货", "退换", "换货", "维修", "保修", "返修", "寄回", "三包", "走流程", "填表",
                            "after-sales", "after sales", "warranty", "repair", "return", "exchange", "rma",
                            "send it back", "return process", "paperwork", "hoops")
                            + words(
                                3, "流程繁琐", "手续麻烦", "流程复杂", "手续繁琐", "售后麻烦", "来回跑",
                                "return process is", "warranty claim", "too many forms", "jump through hoops", "cumbersome")
                            + words(0.5, "麻烦")
                    ),
                    TaxonomySubcategory(
                        id: "service.ineffective_solution", nameZh: "解决方案无效", nameEn: "Ineffective solution",
                        keywords: words(
                            2, "没解决", "没有解决", "未解决", "解决不了", "还是没好", "问题依旧", "还是一样", "没用",
                            "没有用", "答非所问", "治标不治本", "无济于事", "等于没说", "又出现", "再次出现",
                            "didn't help", "did not help", "not solved", "not resolved", "unresolved",
                            "still not fixed", "didn't solve", "did not solve", "didn't fix", "no solution",
                            "same problem again", "useless answer", "scripted answer", "copy-paste")
                            + words(3, "问题还是没有解决", "根本没解决", "still not resolved", "problem persists", "issue persists")
                    ),
                ]
            ),
            TaxonomyCategory(
                category: .logistics, nameZh: "物流类", nameEn: "Logistics", department: "logistics",
                keywords: words(
                    1, "物流", "快递", "送货", "配送", "发货", "快递员", "骑手", "运输", "包裹", "收货", "到货", "送达",
                    "delivery", "delivered", "deliver", "shipping", "shipped", "shipment", "courier", "parcel",
                    "package", "logistics", "driver", "arrived", "arrive"),
                subcategories: [
                    TaxonomySubcategory(
                        id: "logistics.late_delivery", nameZh: "送达延迟", nameEn: "Late delivery",
                        keywords: words(1, "迟迟", "太慢", "很慢")
                            + words(
                                2, "物流慢", "发货慢", "送货慢", "配送慢", "快递慢", "延迟", "延误", "晚到", "还没到", "没收到",
                                "没到货", "超时", "迟到", "不发货", "还没发货", "迟迟不发货",
                                "late", "delayed", "delay", "overdue", "not arrived", "hasn't arrived", "has not arrived",
                                "never arrived", "never came", "still not here", "days late", "weeks late",
                                "late delivery", "slow delivery", "slow shipping")
                            + words(
                                3, "送货太慢", "物流太慢", "快递太慢", "等了一周", "等了一个星期", "一个多星期",
                                "delivery was late", "arrived late", "took two weeks to arrive", "still hasn't arrived")
                    ),
                    TaxonomySubcategory(
                        id: "logistics.damaged_goods", nameZh: "货物破损", nameEn: "Damaged goods",
                        keywords: words(
                            2, "破损", "压坏", "摔坏", "碎了", "压扁", "漏了", "撒了", "磕碰", "凹陷", "摔碎",
                            "damaged", "crushed", "dented", "smashed", "shattered", "leaking", "torn")
                            + words(
                                3, "到货就坏", "收到就坏", "收到时已经坏", "收到的时候就坏", "外箱破",
                                "arrived broken", "arrived damaged", "arrived cracked", "damaged in transit",
                                "broken on arrival", "damaged on arrival")
                    ),
                    TaxonomySubcategory(
                        id: "logistics.tracking", nameZh: "物流信息未更新", nameEn: "Tracking not updated",
                        keywords: words(
                            2, "物流信息", "不更新", "没更新", "没有更新", "查不到", "单号", "物流停", "显示已签收",
                            "没有物流", "追踪", "丢件", "物流状态",
                            "tracking", "tracking number", "tracking info", "no tracking", "lost parcel",
                            "lost package", "stuck in transit", "marked as delivered")
                            + words(
                                3, "物流信息不更新", "物流一直没更新", "物流信息一直没有更新", "物流不更新",
                                "tracking not updated", "tracking hasn't updated", "tracking has not updated",
                                "tracking not updating", "tracking still shows", "hasn't moved")
                    ),
                    TaxonomySubcategory(
                        id: "logistics.packaging", nameZh: "包装问题", nameEn: "Packaging",
                        keywords: words(
                            2, "包装", "外包装", "盒子", "箱子", "泡沫", "气泡膜", "胶带", "过度包装",
                            "packaging", "packed", "box", "wrapping", "bubble wrap", "padding")
                            + words(
                                3, "包装简陋", "包装太差", "包装差", "没有包装", "包装很差", "包装破",
                                "poorly packed", "badly packed", "poor packaging", "no padding", "flimsy box")
                    ),
                ]
            ),
            TaxonomyCategory(
                category: .price, nameZh: "价格类", nameEn: "Price", department: "marketing",
                keywords: words(
                    1, "价格", "价钱", "费用", "收费", "扣费", "多收", "花了",
                    "price", "prices", "cost", "costs", "charge", "charged", "fee", "fees", "billing", "paid"),
                subcategories: [
                    TaxonomySubcategory(
                        id: "price.too_expensive", nameZh: "价格过高", nameEn: "Too expensive",
                        keywords: words(
                            2, "太贵", "好贵", "偏贵", "贵了", "很贵", "昂贵", "涨价", "价格高", "收费高", "乱收费",
                            "expensive", "overpriced", "pricey", "costly", "price increase", "price hike", "rip-off", "ripoff")
                            + words(3, "价格太高", "比别家贵", "比其他家贵", "too expensive", "way too expensive", "too pricey")
                    ),
                    TaxonomySubcategory(
                        id: "price.promotion_rules", nameZh: "优惠规则不清", nameEn: "Unclear promotion rules",
                        keywords: words(1, "活动", "积分", "红包")
                            + words(
                                2, "优惠", "优惠券", "满减", "促销", "折扣", "打折", "赠品", "说好的", "虚假宣传", "套路", "秒杀",
                                "coupon", "coupons", "discount", "promo", "promotion", "voucher", "promo code", "cashback",
                                "misleading", "fine print", "bait")
                            + words(
                                3, "活动规则", "规则不清", "规则不清楚", "看不懂规则", "先涨后降", "优惠没用上", "优惠券用不了",
                                "coupon didn't apply", "coupon did not apply", "discount wasn't applied",
                                "promotion rules", "unclear terms", "misleading offer")
                    ),
                    TaxonomySubcategory(
                        id: "price.value_for_money", nameZh: "性价比低", nameEn: "Poor value for money",
                        keywords: words(
                            2, "不值", "不值得", "性价比", "不划算", "坑人", "智商税", "浪费钱", "白花钱",
                            "not worth", "poor value", "waste of money", "value for money", "cheaper elsewhere")
                            + words(
                                3, "性价比低", "性价比不高", "性价比太低", "物不所值", "对不起这个价", "对不起这价格",
                                "not worth the price", "not worth the money", "overrated for the price")
                    ),
                    TaxonomySubcategory(
                        id: "price.refund_compensation", nameZh: "退款/赔偿", nameEn: "Refund / compensation",
                        keywords: words(
                            2, "退款", "退钱", "赔偿", "补偿", "补差价", "差价", "价保", "返现", "退费", "多扣", "扣款",
                            "refund", "refunds", "refunded", "compensation", "compensate", "reimburse",
                            "reimbursement", "money back", "chargeback", "price difference", "price protection")
                            + words(
                                3, "退款还没到", "还没到账", "没到账", "要求赔偿", "要求退款", "refund hasn't arrived", "still no refund",
                                "waiting for my refund", "waiting for a refund", "where is my refund")
                            + words(4, "still waiting for my refund", "still waiting for a refund")
                    ),
                ]
            ),
            TaxonomyCategory(
                category: .suggestion, nameZh: "建议类", nameEn: "Suggestion", department: "planning",
                keywords: words(
                    3, "建议", "提议", "可以考虑", "能不能", "可不可以", "能否", "最好能", "要是能", "如果能",
                    "suggest", "suggestion", "suggestions", "i suggest", "would be nice", "would be great",
                    "it would help", "would love", "please consider", "feature request", "could you add",
                    "can you add", "it would be better if")
                    + words(1.5, "希望", "期待", "hope", "wish", "idea"),
                subcategories: [
                    TaxonomySubcategory(
                        id: "suggestion.product_improvement", nameZh: "产品改进", nameEn: "Product improvement",
                        keywords: words(
                            2, "新功能", "加个", "加一个", "增加一个", "添加", "夜间模式", "深色模式", "改进产品", "优化",
                            "please add", "add a", "add an", "new feature", "dark mode", "option to", "support for",
                            "improve the app", "improve the product")
                            + words(
                                3, "能不能增加", "能否增加", "可以增加", "增加功能", "希望增加", "希望能增加", "希望可以增加",
                                "希望支持", "please add a", "add support for"),
                        relatedCategories: [.product, .price]
                    ),
                    TaxonomySubcategory(
                        id: "suggestion.service_improvement", nameZh: "服务改进", nameEn: "Service improvement",
                        keywords: words(
                            2, "服务时间", "营业时间", "延长", "多安排", "增加客服", "上门服务", "24小时", "培训",
                            "服务流程", "改进服务", "提升服务",
                            "more staff", "longer hours", "opening hours", "open on weekends", "24/7",
                            "live chat", "call back", "callback", "improve the service", "train your staff")
                            + words(3, "希望客服", "建议客服", "建议门店", "希望门店", "希望延长"),
                        relatedCategories: [.service, .logistics]
                    ),
                ]
            ),
            TaxonomyCategory(category: .other, nameZh: "其他类", nameEn: "Other", department: "customer_service"),
        ],
        ignoredPhrases: [
            "希望尽快", "希望能尽快", "希望早日", "希望给个说法", "希望给我一个说法", "希望你们处理", "希望马上",
            "hope you fix", "hope this gets fixed", "hope to hear", "hope you can fix", "hope it gets fixed",
        ]
    )
}

/// Keywords of one weight, to keep the table above readable.
private func words(_ weight: Double, _ terms: String...) -> [WeightedKeyword] {
    terms.map { WeightedKeyword($0, weight: weight) }
}
