import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses chart markup as XML: whether it is well-formed, its elements by name, and the
/// attributes and text of each, so that tests check structure rather than strings.
final class SVGChartXML: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private(set) var texts: [String] = []
    private var current = ""
    let wellFormed: Bool
    let error: String?

    init(_ markup: String) {
        let parser = XMLParser(data: Data(markup.utf8))
        let collector = Collector()
        parser.delegate = collector
        self.wellFormed = parser.parse()
        self.error = parser.parserError.map { String(describing: $0) }
        self.elements = collector.elements
        self.texts = collector.texts
    }

    func elements(_ name: String) -> [Element] { self.elements.filter { $0.name == name } }

    /// The root `<svg>`'s attributes.
    var root: [String: String] { self.elements.first?.attributes ?? [:] }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var texts: [String] = []
        var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            self.elements.append(Element(name: name, attributes: attributes))
            self.text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { self.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" || name == "title" { self.texts.append(self.text) }
            self.text = ""
        }
    }
}
