import ArgumentParser
import FeedloopRuntime

/// `feedloopctl model activate N`: the version running classifiers switch to.
struct ModelActivateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Make a stored classifier model version the active one.",
        discussion: """
            Running classifier workers pick the new version up at their next poll, without a restart. \
            Activating an older version rolls back.

            Example: feedloopctl model activate 3
            """
    )

    @Argument(help: "The version to activate.") var version: Int

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        do {
            try ClassifierModelStore.activate(version: self.version, in: db)
        } catch let error as ClassifierModelStore.StoreError {
            throw CtlError("\(error)")
        }
        print("classifier model version \(self.version) is active")
    }
}
