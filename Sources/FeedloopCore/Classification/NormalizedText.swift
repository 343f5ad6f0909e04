/// Text folded for matching: lowercase, full-width ASCII and curly apostrophes made plain.
struct NormalizedText {
    let scalars: [Unicode.Scalar]

    init(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            Self.fold(scalar, into: &scalars)
        }
        self.scalars = scalars
    }

    /// Folds one scalar; used for keywords too, so both sides agree.
    static func fold(_ scalar: Unicode.Scalar, into out: inout [Unicode.Scalar]) {
        let v = scalar.value
        switch v {
        case 0x41...0x5A:
            out.append(Unicode.Scalar(v + 0x20)!)
        case 0x00...0x7F:
            out.append(scalar)
        case 0xFF01...0xFF5E:
            // Full-width forms, common in Chinese input methods ("ＶＩＰ", "！").
            fold(Unicode.Scalar(v - 0xFEE0)!, into: &out)
        case 0x3400...0x9FFF:
            // CJK ideographs, most of Chinese text: no case to fold.
            out.append(scalar)
        case 0x3000:
            out.append(" ")
        case 0x2018, 0x2019:
            out.append("'")
        default:
            if scalar.properties.changesWhenLowercased {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
    }

    static func fold(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            fold(scalar, into: &out)
        }
        return out
    }

    static func isASCIIAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A: return true
        default: return false
        }
    }

    static func isClauseBreak(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case ",", ".", "!", "?", ";", ":", "\n", "\r", "，", "。", "！", "？", "；", "：", "、", "…":
            return true
        default:
            return false
        }
    }
}
