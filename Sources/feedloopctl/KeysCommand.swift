import ArgumentParser
import FeedloopRuntime
import Foundation
import Postgres

/// `feedloopctl keys`: the producer's API keys.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys for the producer's HTTP API.",
        discussion: """
            A key looks like fl_<prefix>_<secret>. Only its SHA-256 digest is stored, so the key is shown once, when it is created; the prefix names it in listings and in the producer's logs. Roles: intake (channel integrations: submit feedback and survey answers, read tickets), agent (staff tools: read tickets), admin (everything). A revoked key is refused within FEEDLOOP_API_KEY_CACHE_SECONDS (default 5 s) by every running producer.

            Examples:
              KEY=$(feedloopctl keys create --name web-chat --role intake)
              feedloopctl keys list
              feedloopctl keys list --json
              feedloopctl keys revoke k3x9q2mz
            """,
        subcommands: [KeysCreateCommand.self, KeysListCommand.self, KeysRevokeCommand.self]
    )
}

extension APIRole: ExpressibleByArgument {}

/// `feedloopctl keys create`: prints the new key alone on standard output, for `$(…)`.
struct KeysCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a key and print it (once: it cannot be shown again).",
        discussion: "Standard output gets the key alone; its prefix, name and role go to standard error."
    )

    @Option(help: "What the key is for, e.g. the integration's name (1–100 characters).")
    var name: String

    @Option(help: "intake, agent or admin.")
    var role: APIRole

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let created: (key: APIKey, record: APIKeyRecord)
        do {
            created = try APIKeyStore.create(name: name, role: role, in: db)
        } catch let failure as APIKeyStore.Failure {
            throw CtlError("cannot create the key: \(failure)")
        }
        print(created.key.text)
        StandardError.print(
            "created key \(created.record.prefix) (id \(created.record.id), \(created.record.name), role \(created.record.role.rawValue)); store it now, it is not shown again"
        )
    }
}

/// `feedloopctl keys list`: every key, never a secret.
struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List keys: prefix, name, role, created, last used, revoked.",
        discussion: "--json prints an array of {id, name, role, prefix, created_at, last_used_at, revoked_at}."
    )

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let keys = try APIKeyStore.list(in: db)
        if json {
            try JSONOutput.print(keys)
            return
        }
        guard !keys.isEmpty else {
            print("no API keys; create one with `feedloopctl keys create --name NAME --role intake`")
            return
        }
        var table = TextTable(["Id", "Prefix", "Name", "Role", "Created", "Last used", "Revoked"], numericColumns: [0])
        let format = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().time(includingFractionalSeconds: false)
        for key in keys {
            table.append([
                "\(key.id)", key.prefix, key.name, key.role.rawValue, key.createdAt.formatted(format),
                key.lastUsedAt.map { $0.formatted(format) } ?? "never", key.revokedAt.map { $0.formatted(format) } ?? "",
            ])
        }
        print(table.render())
    }
}

/// `feedloopctl keys revoke`: by prefix or id.
struct KeysRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a key by its prefix (or fl_<prefix>) or its id.",
        discussion: "Revoking is permanent; the row stays for the record. Revoking a revoked key changes nothing."
    )

    @Argument(help: ArgumentHelp("The key's prefix or id, as `keys list` shows them.", valueName: "prefix-or-id"))
    var key: String

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        guard let record = try APIKeyStore.revoke(key, in: db) else {
            throw CtlError("no API key with prefix or id \(key.prefix(20))")
        }
        print("revoked key \(record.prefix) (id \(record.id), \(record.name), role \(record.role.rawValue))")
    }
}
