import Foundation
import Report
import RiverModel
import SystemPackage

extension JSONEncoder {
    /// The encoder of what `run` writes (alert files, the run summary, `alerts --json`): snake_case keys, ISO 8601
    /// dates, sorted keys; pretty for files people read.
    public static func runOutput(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}

/// An alert that ended, as an alert file lists it.
public struct ClearedAlert: Sendable, Codable, Equatable {
    public var id: String
    public var kind: String
    public var pointID: String?
    public var raisedAt: Date
    public var clearedAt: Date
    /// How it ended, where the run can say (a forecast verified or missed): the condition's latest sentence.
    public var noteZh: String?
    public var noteEn: String?
}

/// One run's alert file (`alerts/YYYYMMDD-HHMMSS.json`): what was raised and what was cleared.
public struct AlertFile: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    public var generatedAt: Date
    public var timeZone: String
    public var raised: [Alert]
    public var cleared: [ClearedAlert]
    /// Ids among `raised` whose condition had already ended when it was first seen (raised and cleared at once).
    public var alreadyOver: [String]
}

/// The two files of one run's alerts.
public struct AlertFiles: Sendable, Equatable {
    public var json: String
    public var markdown: String

    static func markdownPath(for json: String) -> String {
        json.hasSuffix(".json") ? String(json.dropLast(5)) + ".md" : json + ".md"
    }

    /// Writes the JSON and the Markdown (each under a temporary name, then renamed into place).
    static func write(_ file: AlertFile, into folder: String, timeZone: TimeZone, network: Network) throws -> AlertFiles {
        try createFolder(folder)
        let stamp = localTime(file.generatedAt, in: timeZone, format: "yyyyMMdd-HHmmss")
        var base = FilePath(folder).appending(stamp).string
        var counter = 1
        while FileManager.default.fileExists(atPath: base + ".json") {
            base = FilePath(folder).appending("\(stamp)-\(counter)").string
            counter += 1
        }
        let encoder = JSONEncoder.runOutput(pretty: true)
        let files = AlertFiles(json: base + ".json", markdown: base + ".md")
        try place(try encoder.encode(file), at: files.json)
        try place(Data(markdown(file, timeZone: timeZone).utf8), at: files.markdown)
        return files
    }

    /// The alerts for people: newest condition first, Chinese then English; user text escaped for Markdown.
    static func markdown(_ file: AlertFile, timeZone: TimeZone) -> String {
        var md = ["# 水质预警 / Water-quality alerts " + localTime(file.generatedAt, in: timeZone), ""]
        let over = Set(file.alreadyOver)
        if !file.raised.isEmpty {
            md += ["## 新预警 / New alerts (\(file.raised.count))", "",
                   "| 级别 / severity | 类型 / kind | 点位 / point | 开始 / since | 说明 / details |", "|---|---|---|---|---|"]
            for alert in file.raised.sorted(by: { ($0.severity, $0.start) > ($1.severity, $1.start) }) {
                let state = over.contains(alert.id) ? "（已结束 / already over）" : ""
                md.append("| \(alert.severity.rawValue) | \(alert.kind.chinese) / \(alert.kind.english) | "
                          + "\(escapeMarkdown(alert.pointID ?? "—")) | \(localTime(alert.start, in: timeZone)) | "
                          + "\(escapeMarkdown(alert.messageZh))\(state)<br>\(escapeMarkdown(alert.messageEn)) |")
            }
            md.append("")
        }
        if !file.cleared.isEmpty {
            md += ["## 已解除 / Cleared (\(file.cleared.count))", ""]
            for alert in file.cleared {
                md.append("- \(escapeMarkdown(alert.id)) — 预警于 / raised \(localTime(alert.raisedAt, in: timeZone))"
                          + (alert.noteZh.map { "：" + escapeMarkdown($0) } ?? "")
                          + (alert.noteEn.map { "<br>" + escapeMarkdown($0) } ?? ""))
            }
            md.append("")
        }
        md.append("ids: `kind/point/parameter/start`; `rivertrace alerts` lists the open ones.")
        return md.joined(separator: "\n") + "\n"
    }

    private static func place(_ data: Data, at path: String) throws {
        let temporary = path + ".part"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw PathError(path: path, message: "cannot write the alert file: \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PathError(path: path, message: "cannot move the alert file into place: \(Errno(rawValue: errno))")
        }
    }
}

/// Runs the on-alert command for one alert file.
public enum AlertCommand {
    /// `/bin/sh -c COMMAND` with the JSON path as `$1` and in `RIVERTRACE_ALERT_JSON` (the Markdown in
    /// `RIVERTRACE_ALERT_MARKDOWN`), standard input closed; returns nil on exit 0, else what went wrong. A command
    /// that outlives `timeout` is killed and counts as failed.
    public static func run(_ command: String, files: AlertFiles, timeout: TimeInterval) -> String? {
        var environment = ProcessInfo.processInfo.environment
        environment["RIVERTRACE_ALERT_JSON"] = files.json
        environment["RIVERTRACE_ALERT_MARKDOWN"] = files.markdown
        let child = BoundedProcess(executable: URL(fileURLWithPath: "/bin/sh"),
                                   arguments: ["-c", command + " \"$1\"", "rivertrace-on-alert", files.json],
                                   environment: environment, timeout: timeout)
        switch child.run() {
        case .notStarted(let reason): return reason
        case .timedOut: return "did not finish within \(Int(timeout)) s: killed"
        case .exited(let status, let said):
            guard status == 0 else { return "exit \(status)" + (said.isEmpty ? "" : ": " + terminalSafe(said)) }
            return nil
        }
    }
}
