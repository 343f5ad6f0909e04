import FeedloopCore
import Postgres

/// Compares the rollups with a recomputation from the raw tables (``RawTotals``).
public enum ReportVerifier {
    /// Every number of the period's totals that differs, as `name: rollup ≠ raw`; empty
    /// when the rollups are right.
    public static func differences(_ period: ReportPeriod, filter: ReportFilter, in db: PostgresConnection) throws -> [String] {
        let rollup = try RollupReader.totals(period, filter: filter, in: db)
        let raw = try RawTotals.totals(period, filter: filter, in: db)
        return rollup.differences(from: raw)
    }
}
