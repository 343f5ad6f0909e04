import Mustache

/// Template variables that remember which names a template asked for and did not find: the
/// start-up check renders every template with these around a sample and refuses names that
/// no enclosing context has. Lists of mappings (history, scores) are wrapped too, each item
/// knowing its parent, so a name found further up the context stack is not a miss.
final class TemplateVariables: MustacheParent {
    /// Names asked for and found nowhere, shared by the whole tree.
    final class Misses {
        var names: [String] = []
    }

    let values: [String: Any]
    let parent: TemplateVariables?
    let misses: Misses

    init(_ values: [String: Any], parent: TemplateVariables? = nil, misses: Misses) {
        self.values = values
        self.parent = parent
        self.misses = misses
    }

    func child(named name: String) -> Any? {
        if let value = values[name] {
            if let items = value as? [[String: Any]] {
                return items.map { TemplateVariables($0, parent: self, misses: misses) }
            }
            return value
        }
        var ancestor = parent
        while let a = ancestor {
            if a.values[name] != nil { return nil }
            ancestor = a.parent
        }
        if !misses.names.contains(name) { misses.names.append(name) }
        return nil
    }
}
