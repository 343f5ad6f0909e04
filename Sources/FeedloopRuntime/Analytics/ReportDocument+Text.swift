extension ReportDocument {
    /// The fixed words of documents and the dashboard, in Chinese and English. An exhaustive
    /// `switch` keeps the table complete: a new key does not compile until it has both texts.
    public enum Text: CaseIterable, Sendable {
        case reportTitle, dashboardTitle, period, previousPeriod, filter, all, generatedAt, noData, lowest
        case sectionOverview, sectionTimes, sectionSLA, sectionEscalations, sectionBreakdowns, sectionProblems, sectionIncidents
        case sectionKeywords, sectionSatisfaction, sectionDaily
        case received, classified, resolved, stillOpen, overdue, escalated, reopened, duplicates, rejected, closed
        case rectification, rectificationDue, resolvedOnTime, csat, nps, responseRate, answers, invalid, alpha, warnings
        case columnFigure, columnThisPeriod, columnPrevious, columnChange, columnClock, columnLevel, columnCount, columnMedian, columnP90
        case columnMet, columnBreached, columnCompliance, columnStep, columnShare, columnExamples, columnCategory, columnSubcategory
        case columnKeyword, columnTickets, columnCustomers, columnFirstSeen, columnLastSeen, columnDimension, columnMean, columnAnswers
        case columnReason, columnSurvey, columnItems, columnDay, columnIncident
        case allLevels, flat, percentagePoints
        case chartVolumes, chartCategories, chartChannels, chartSLA, chartResolutionTimes, chartSatisfaction, chartNPS, chartCSAT
        case unitSeconds, unitMinutes, unitHours, unitDays
        case chartEscalations, seriesPreviousReceived, seriesReceived, seriesResolved, seriesEscalated, seriesMedian, seriesP90
        case controlDay, controlWeek, controlMonth, controlRange, controlPrevious, controlNext, controlApply, controlReset
        case controlFrom, controlTo, controlDate, controlPeriod, language, download, refreshNote, printNote
        case signInTitle, signInText, signInKey, signInButton, badRequestTitle

        /// The Chinese and the English text.
        var texts: (zh: String, en: String) {
            switch self {
            case .reportTitle: ("客户反馈报告", "Customer feedback report")
            case .dashboardTitle: ("客户反馈看板", "Customer feedback dashboard")
            case .period: ("统计周期", "Period")
            case .previousPeriod: ("对比周期", "Compared with")
            case .filter: ("筛选", "Filter")
            case .all: ("全部", "All")
            case .generatedAt: ("生成时间", "Generated")
            case .noData: ("本期无数据", "No data in this period")
            case .lowest: ("最低", "lowest")
            case .sectionOverview: ("概览", "Overview")
            case .sectionTimes: ("处理时长", "Response, plan and resolution times")
            case .sectionSLA: ("时限达成率", "SLA compliance")
            case .sectionEscalations: ("预警与升级", "Warnings and escalations")
            case .sectionBreakdowns: ("分项统计", "Breakdowns")
            case .sectionProblems: ("高频问题", "Top recurring problems")
            case .sectionIncidents: ("集中事件", "Incidents")
            case .sectionKeywords: ("热门关键词", "Top keywords")
            case .sectionSatisfaction: ("满意度", "Satisfaction")
            case .sectionDaily: ("每日数据", "Day by day")
            case .received: ("新增工单", "New tickets")
            case .classified: ("已分类", "Classified")
            case .resolved: ("已解决", "Resolved")
            case .stillOpen: ("未结工单", "Still open")
            case .overdue: ("已超时", "Overdue")
            case .escalated: ("已升级", "Escalated")
            case .reopened: ("重新打开", "Reopened")
            case .duplicates: ("重复工单", "Duplicates")
            case .rejected: ("拒收", "Rejected")
            case .closed: ("已关闭", "Closed")
            case .rectification: ("整改完成率", "Rectification completion")
            case .rectificationDue: ("本期到期整改", "Resolutions due")
            case .resolvedOnTime: ("按时解决", "Resolved on time")
            case .csat: ("满意率 (CSAT)", "CSAT")
            case .nps: ("净推荐值 (NPS)", "NPS")
            case .responseRate: ("回访响应率", "Survey response rate")
            case .answers: ("有效答卷", "Valid answers")
            case .invalid: ("无效答卷", "Invalid answers")
            case .alpha: ("信度 (Cronbach's α)", "Cronbach's α")
            case .warnings: ("预警", "Warnings")
            case .columnFigure: ("指标", "Figure")
            case .columnThisPeriod: ("本期", "This period")
            case .columnPrevious: ("上期", "Previous")
            case .columnChange: ("变化", "Change")
            case .columnClock: ("时限", "Clock")
            case .columnLevel: ("级别", "Level")
            case .columnCount: ("数量", "Count")
            case .columnMedian: ("中位数", "Median")
            case .columnP90: ("P90", "P90")
            case .columnMet: ("达标", "Met")
            case .columnBreached: ("超时", "Breached")
            case .columnCompliance: ("达成率", "Compliance")
            case .columnStep: ("升级层级", "Ladder step")
            case .columnShare: ("占比", "Share")
            case .columnExamples: ("示例工单（已脱敏）", "Example tickets (masked)")
            case .columnCategory: ("类别", "Category")
            case .columnSubcategory: ("子类", "Sub-category")
            case .columnKeyword: ("关键词", "Keyword")
            case .columnTickets: ("工单数", "Tickets")
            case .columnCustomers: ("客户数", "Customers")
            case .columnFirstSeen: ("首次", "First")
            case .columnLastSeen: ("最近", "Last")
            case .columnDimension: ("维度", "Dimension")
            case .columnMean: ("平均分", "Mean")
            case .columnAnswers: ("答卷数", "Answers")
            case .columnReason: ("原因", "Reason")
            case .columnSurvey: ("问卷", "Questionnaire")
            case .columnItems: ("维度数", "Dimensions")
            case .columnDay: ("日期", "Day")
            case .columnIncident: ("事件", "Incident")
            case .allLevels: ("全部级别", "All levels")
            case .flat: ("持平", "no change")
            case .percentagePoints: ("个百分点", "pp")
            case .chartVolumes: ("每日工单量", "Tickets per day")
            case .chartCategories: ("各类别占比", "Share by category")
            case .chartChannels: ("各渠道占比", "Share by channel")
            case .chartSLA: ("各时限与级别达成情况", "SLA clocks met and breached, per metric and level")
            case .chartResolutionTimes: ("处理时长（中位数与 P90）", "Times: median and p90")
            case .unitSeconds: ("秒", "seconds")
            case .unitMinutes: ("分钟", "minutes")
            case .unitHours: ("小时", "hours")
            case .unitDays: ("天", "days")
            case .chartSatisfaction: ("各维度平均分（最低三项标红）", "Mean score per dimension (three lowest marked)")
            case .chartNPS: ("净推荐值 (NPS)", "Net promoter score")
            case .chartCSAT: ("满意率 (CSAT)", "CSAT")
            case .chartEscalations: ("各升级层级次数", "Escalations per ladder step")
            case .seriesPreviousReceived: ("上期新增", "received, previous period")
            case .seriesReceived: ("新增", "received")
            case .seriesResolved: ("已解决", "resolved")
            case .seriesEscalated: ("升级", "escalated")
            case .seriesMedian: ("中位数", "median")
            case .seriesP90: ("P90", "p90")
            case .controlDay: ("日", "Day")
            case .controlWeek: ("周", "Week")
            case .controlMonth: ("月", "Month")
            case .controlRange: ("自定义", "Custom range")
            case .controlPrevious: ("上一期", "Previous")
            case .controlNext: ("下一期", "Next")
            case .controlApply: ("应用", "Apply")
            case .controlReset: ("清除筛选", "Clear filters")
            case .controlFrom: ("从", "From")
            case .controlTo: ("至", "To")
            case .controlDate: ("日期", "Date")
            case .controlPeriod: ("周期", "Period")
            case .language: ("语言", "Language")
            case .download: ("下载报告", "Download")
            case .refreshNote: ("页面每 60 秒自动刷新", "This page refreshes itself every 60 seconds")
            case .printNote: ("可直接打印", "Printable")
            case .signInTitle: ("需要访问密钥", "An API key is needed")
            case .signInText:
                (
                    "请输入角色为 agent 或 admin 的 API 密钥。密钥只保存在本浏览器的 HttpOnly Cookie 中。",
                    "Enter an API key with role agent or admin. It is kept only in an HttpOnly cookie of this browser."
                )
            case .signInKey: ("API 密钥", "API key")
            case .signInButton: ("进入", "Open the dashboard")
            case .badRequestTitle: ("无法显示报告", "The report cannot be shown")
            }
        }
    }
}
