import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
import Store
import Simulator

/// Flags every command takes: where the settings, the store and the network are.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Settings file (default: ./rivertrace.toml when present).")
    var config: String?

    @Option(name: .long, help: "SQLite store file (overrides the settings).")
    var store: String?

    @Option(name: .long, help: "Folder with rivers.csv, points.csv, sources.csv (overrides the settings).")
    var network: String?

    /// The existing store of these settings (reading commands never create one, and never wait for a writer).
    func existingStore(_ settings: Settings) throws -> ReadingStore {
        try ReadingStore(path: settings.storePath, access: .existing)
    }

    /// The network folder's network; when the folder is missing, the copy the last ingest saved in `store`.
    func network(_ settings: Settings, store: ReadingStore) throws -> Network {
        if !FileManager.default.fileExists(atPath: settings.networkDirectory), let saved = try store.savedNetwork() {
            return saved
        }
        return try NetworkLoader.load(directory: settings.networkDirectory)
    }

    /// The settings with the flags applied.
    func settings() throws -> Settings {
        var settings = try Settings.load(explicitPath: config)
        if let store { settings.storePath = store }
        if let network { settings.networkDirectory = network }
        return settings
    }
}

/// Exit codes, documented in `rivertrace --help`, the README and docs/operations.md.
enum Exit {
    static let attention = ExitCode(3)
}

/// Exit 3 when the period's data cover less than `minimum_coverage`: what was printed rests on partial data.
func requireCoverage(_ document: AnalysisDocument, settings: Settings) throws {
    let coverage = document.summary.coverage
    guard coverage.overall < settings.minimumCoverage else { return }
    printError("rivertrace: attention: \(document.period.label) has \(Int((coverage.overall * 100).rounded())) % of the expected "
               + "readings (minimum_coverage \(Int((settings.minimumCoverage * 100).rounded())) %), "
               + "\(coverage.pointsWithoutData.count) point(s) without data: the findings rest on partial data")
    throw Exit.attention
}

/// Runs a command body, turning the errors that stop a command into a message and exit code 1.
func runReportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        // Errors quote paths and cells from users' files: each line shown terminal-safe, the line breaks kept.
        let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false).map { terminalSafe(String($0)) }
        FileHandle.standardError.write(Data("rivertrace: error: \(lines.joined(separator: "\n"))\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

// Choices among the library's own cases: argument-parser lists them in --help and names the valid ones on a typo.
extension ReportLanguage: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension ScenarioName: ExpressibleByArgument {}
