import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// `feedloopctl report [show]`: builds the report from the rollups and writes it.
struct ReportShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Write the report of a period (the default subcommand).",
        discussion: """
            Reads only the rollup tables, like GET /v1/reports/summary. --format json is the Report \
            the API returns; csv has one table per section; md and html are report documents with \
            tables (html with inline SVG charts, self-contained and printable). Examples in the \
            report are masked. Exits 1 when the database cannot be read, 64 on a malformed option.

            Examples:
              feedloopctl report show --period 2026-11 --format json | jq 'keys'
              feedloopctl report show --period 2026-W47 --format md --out week47.md
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv, md, html
    }

    @OptionGroup var options: ReportOptions

    @Option(help: "json, csv, md or html.")
    var format: Format = .json

    @Option(help: "Language of md, html and csv: en or zh.")
    var lang: String = "en"

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    func validate() throws {
        guard ReportDocument.Language(rawValue: lang) != nil else {
            throw ValidationError("--lang must be en or zh, got \"\(lang)\"")
        }
    }

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let (period, filter) = try ReportArguments.parse(options, in: db)
        let report = try ReportBuilder.build(period, filter: filter, in: db)
        let labels = ReportDocument.Labels(language: ReportDocument.Language(rawValue: lang) ?? .en)
        let text: String
        switch format {
        case .json:
            let encoder = FeedloopJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            text = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        case .csv: text = ReportDocument.csv(report, labels: labels)
        case .md: text = ReportDocument.markdown(report, labels: labels)
        case .html: text = ReportDocument.html(report, labels: labels)
        }
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CtlError("cannot write \(out): \(error.localizedDescription)")
            }
            StandardError.print("wrote \(format.rawValue) report of \(period.label) to \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}

/// Period and filter from the options, with errors naming the option.
enum ReportArguments {
    static func parse(_ options: ReportOptions, in db: PostgresConnection) throws -> (ReportPeriod, ReportFilter) {
        let period: ReportPeriod
        do {
            period = try ReportBuilder.period(options.period, in: db)
        } catch let error as ReportPeriodError {
            throw ValidationError("--period: \(error.reason)")
        }
        do {
            let filter = try ReportFilter.parse(
                department: options.department, channel: options.channel, category: options.category, level: options.level, tier: options.tier)
            return (period, filter)
        } catch let error as ReportFilterError {
            throw ValidationError("--\(error.field) \(error.reason)")
        }
    }
}
