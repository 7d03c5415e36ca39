import ArgumentParser

@main
struct Rivertrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rivertrace",
        abstract: "Water-quality sensor dumps of a river network → store, evaluation, trace-back reports.",
        discussion: """
            Settings come from rivertrace.toml (or --config); --store and --network override them.

            Exit codes:
              0  done, every row accepted
              1  failure: the command could not do its job (store, network files, unreadable path)
              2  usage: bad flags or arguments
              3  done, but some rows were quarantined, conflicted, or a file needs attention
            """,
        subcommands: [IngestCommand.self, CheckCommand.self, StatusCommand.self, QuarantineCommand.self])
}
