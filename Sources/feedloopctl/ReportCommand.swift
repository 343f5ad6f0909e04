import ArgumentParser

/// `feedloopctl report`: a period's report as a document or data, and `report verify`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a period's report (json, csv, md, html) from the rollups, or verify the rollups against the raw tables.",
        discussion: """
            Examples:
              feedloopctl report --period 2026-W47 --format md --out week47.md
              feedloopctl report --period 2026-11 --format html --lang zh --out november.html
              feedloopctl report --period 2026-11-01..2026-11-15 --department customer_service --format csv
              feedloopctl report verify --period 2026-W47
            """,
        subcommands: [ReportShowCommand.self, ReportVerifyCommand.self],
        defaultSubcommand: ReportShowCommand.self
    )
}

/// The period and filter options both report subcommands take.
struct ReportOptions: ParsableArguments {
    @Option(help: "Day YYYY-MM-DD, ISO week YYYY-Www, month YYYY-MM or range YYYY-MM-DD..YYYY-MM-DD, in the rollups' time zone.")
    var period: String

    @Option(help: "Only tickets routed to this department.")
    var department: String?

    @Option(help: "Only tickets from this channel (hotline, chat, store, email, social, survey, return_visit, research).")
    var channel: String?

    @Option(help: "Only tickets of this category (product, service, logistics, price, suggestion, other).")
    var category: String?

    @Option(help: "Only tickets of this level (1, 2 or 3).")
    var level: String?

    @Option(help: "Only tickets of customers of this tier (vip, regular, new).")
    var tier: String?
}
