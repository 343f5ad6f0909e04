import FeedloopCore

/// Renders a ``Report`` for people: Markdown, a self-contained HTML document with inline SVG
/// charts, and CSV. Used by `feedloopctl report --format md|html|csv` and by the dashboard
/// that `feedloop-analytics` serves at `/`.
///
/// Every renderer is a pure function of the report and its ``Labels`` (language, taxonomy and
/// questionnaires for naming categories and survey dimensions): the same report always gives
/// the same bytes. Example tickets arrive masked in the report; renderers escape them and never
/// look anything else up.
public enum ReportDocument {}
