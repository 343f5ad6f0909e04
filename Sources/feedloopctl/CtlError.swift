/// A failure the operator can act on; its description is printed as the command's error
/// (never with a password or customer data) and the command exits with code 1.
struct CtlError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
