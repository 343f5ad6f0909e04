import FeedloopCore

extension ReportDocument {
    /// A part of a document: a heading and its tables (the HTML forms add charts).
    public struct Section: Sendable {
        /// `overview`, `times`, `sla`, `escalations`, `breakdowns`, `problems`, `incidents`,
        /// `keywords`, `satisfaction`, `daily`.
        public var id: String
        public var title: String
        public var tables: [Table]
    }

    /// One table of a document, independent of the format: Markdown and HTML print its cells
    /// formatted for people, CSV prints the raw values under machine-readable column names.
    public struct Table: Sendable {
        /// The CSV section name and HTML id (`overview`, `sla_compliance`, …).
        public var id: String
        public var title: String
        public var columns: [Column]
        public var rows: [Row]

        public init(id: String, title: String, columns: [Column], rows: [Row]) {
            self.id = id
            self.title = title
            self.columns = columns
            self.rows = rows
        }
    }

    /// A column: its heading for people and its CSV name. A column of figures becomes three
    /// CSV columns: `NAME`, `NAME_previous` and `NAME_change`.
    public struct Column: Sendable {
        public var title: String
        public var csvName: String
        public var isFigure: Bool

        public init(_ title: String, csv: String, figure: Bool = false) {
            self.title = title
            self.csvName = csv
            self.isFigure = figure
        }
    }

    /// One row; `highlighted` marks it (the three lowest satisfaction dimensions).
    public struct Row: Sendable {
        public var cells: [Cell]
        public var highlighted: Bool

        public init(_ cells: [Cell], highlighted: Bool = false) {
            self.cells = cells
            self.highlighted = highlighted
        }
    }

    /// A table cell.
    public enum Cell: Sendable {
        /// Text for people and its code for CSV (`Online chat` / `chat`).
        case text(String, raw: String)
        /// A figure: its value with the change beside it (three CSV columns).
        case figure(Figure, Measure, Polarity)
        /// A plain value.
        case value(Double?, Measure)
        /// The change of a figure only (its value and previous value are in other columns).
        case change(Figure, Measure, Polarity)
        /// Masked example tickets.
        case examples([ReportExample])

        /// Text that is the same for people and for CSV.
        static func plain(_ text: String) -> Cell { .text(text, raw: text) }
    }
}
