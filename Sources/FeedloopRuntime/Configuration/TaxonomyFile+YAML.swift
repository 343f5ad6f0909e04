import FeedloopCore

extension TaxonomyFile {
    /// The configuration as YAML in the format ``parse(yaml:file:)`` reads; what
    /// `feedloop-classifier taxonomy --export` prints and `config/taxonomy.yaml` holds.
    /// Keywords of one weight that follow each other form one group, so order is kept.
    public func yaml() -> String {
        var out = """
            # Feedloop classification: taxonomy, level rules and duplicate rules.
            # Format: docs/TAXONOMY.md. Check a change with `feedloop-classifier taxonomy FILE`.

            categories:

            """
        for entry in self.taxonomy.categories {
            out += "  - id: \(entry.category.rawValue)\n"
            out += "    name_zh: \(Self.quoted(entry.nameZh))\n"
            out += "    name_en: \(Self.quoted(entry.nameEn))\n"
            out += "    department: \(Self.quoted(entry.department))\n"
            out += Self.keywordGroups(entry.keywords, indent: 4)
            if !entry.subcategories.isEmpty {
                out += "    subcategories:\n"
                for sub in entry.subcategories {
                    out += "      - id: \(Self.quoted(sub.id))\n"
                    out += "        name_zh: \(Self.quoted(sub.nameZh))\n"
                    out += "        name_en: \(Self.quoted(sub.nameEn))\n"
                    if !sub.relatedCategories.isEmpty {
                        out += "        related_categories: [\(sub.relatedCategories.map(\.rawValue).joined(separator: ", "))]\n"
                    }
                    out += Self.keywordGroups(sub.keywords, indent: 8)
                }
            }
        }
        let rules = self.levelRules
        out += "\nignored_phrases: " + Self.list(self.taxonomy.ignoredPhrases, indent: 2) + "\n"
        out += "\nlevels:\n"
        out += "  always_urgent: " + Self.list(rules.alwaysUrgent, indent: 4) + "\n"
        out += "  urgent_when_negative: " + Self.list(rules.urgentWhenNegative, indent: 4) + "\n"
        let complaint = Category.allCases.filter { rules.complaintCategories.contains($0) }.map(\.rawValue)
        out += "  complaint_categories: [\(complaint.joined(separator: ", "))]\n"
        out += "  incident:\n"
        out += "    min_customers: \(rules.incidentMinCustomers)\n"
        out += "    window_minutes: \(Self.number(Self.seconds(rules.incidentWindow) / 60))\n"
        out += "    max_distance: \(rules.incidentMaxDistance)\n"
        out += "  strong_negative_score: \(Self.number(rules.strongNegativeScore))\n"
        out += "  needs_review_below: \(Self.number(rules.needsReviewBelow))\n"
        out += "\nduplicates:\n"
        out += "  window_hours: \(Self.number(Self.seconds(self.duplicateRules.window) / 3600))\n"
        out += "  max_distance: \(self.duplicateRules.maxDistance)\n"
        return out
    }

    private static func keywordGroups(_ keywords: [WeightedKeyword], indent: Int) -> String {
        guard !keywords.isEmpty else { return "" }
        let pad = String(repeating: " ", count: indent)
        var out = "\(pad)keywords:\n"
        var start = 0
        while start < keywords.count {
            var end = start
            while end < keywords.count, keywords[end].weight == keywords[start].weight { end += 1 }
            out += "\(pad)  - weight: \(self.number(keywords[start].weight))\n"
            out += "\(pad)    terms: " + self.list(keywords[start..<end].map(\.term), indent: indent + 6) + "\n"
            start = end
        }
        return out
    }

    /// A flow list, wrapped near 110 columns with continuation lines indented by `indent`.
    private static func list(_ items: [String], indent: Int) -> String {
        var lines: [String] = []
        var line = "["
        for (i, item) in items.enumerated() {
            let piece = self.quoted(item) + (i == items.count - 1 ? "" : ",")
            if line.count + piece.count > 100, line != "[" {
                lines.append(line)
                line = String(repeating: " ", count: indent)
            } else if line != "[" {
                line += " "
            }
            line += piece
        }
        lines.append(line + "]")
        return lines.joined(separator: "\n")
    }

    /// Double-quoted, so that "315" stays text and nothing is read as YAML syntax.
    private static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    private static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }
}
