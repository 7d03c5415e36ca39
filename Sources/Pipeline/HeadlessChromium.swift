import Foundation
import SystemPackage

/// Chromium (or Chrome) run headless: prints the HTML report to PDF. Found through `RIVERTRACE_CHROMIUM` or on
/// `PATH` as `chromium`, `chromium-browser`, `google-chrome` or `google-chrome-stable` (Debian: `apt-get install
/// chromium`). Each run gets its own empty profile folder, so runs never share a lock or a cache, and is killed
/// when it outlives its timeout.
public struct HeadlessChromium: Sendable {
    /// The browser's executable.
    public let executable: String

    public init(executable: String) {
        self.executable = executable
    }

    /// The names looked for on `PATH`, in order.
    public static let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The browser named by `RIVERTRACE_CHROMIUM`, else the first of ``names`` on `PATH`; nil when there is none.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> HeadlessChromium? {
        if let chosen = environment["RIVERTRACE_CHROMIUM"], !chosen.isEmpty {
            return FileManager.default.isExecutableFile(atPath: chosen) ? HeadlessChromium(executable: chosen) : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where !folder.isEmpty {
                let candidate = FilePath(folder).appending(name).string
                if FileManager.default.isExecutableFile(atPath: candidate) { return HeadlessChromium(executable: candidate) }
            }
        }
        return nil
    }

    /// What to say when no browser is found: how to get one.
    public static let missingMessage = "PDF needs Chromium, which was not found (looked for RIVERTRACE_CHROMIUM, then "
        + names.joined(separator: ", ") + " on PATH): install it with `sudo apt-get install chromium fonts-noto-cjk`, "
        + "or print report.html from any browser"

    /// Runs the browser headless with `arguments` after the common ones; returns its exit status and the last
    /// `keptBytes` of what it wrote (its console and log lines, a dumped DOM), or throws when it cannot start or
    /// outlives `timeout`.
    public func run(_ arguments: [String], timeout: TimeInterval = 120,
                    keptBytes: Int = 64 * 1024) throws -> (status: Int32, output: String) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("rivertrace-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // --no-sandbox: the sandbox cannot start as root or in many containers; the pages are our own files and
        // their Content-Security-Policy forbids scripts and fetches.
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                      "--disable-extensions", "--disable-background-networking", "--user-data-dir=\(profile.path)"]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = environment["HOME"] ?? profile.path
        let child = BoundedProcess(executable: URL(fileURLWithPath: executable), arguments: common + arguments,
                                   environment: environment, timeout: timeout, keptBytes: keptBytes)
        switch child.run() {
        case .notStarted(let reason): throw BrowserError(message: reason)
        case .timedOut: throw BrowserError(message: "\(executable) did not finish within \(Int(timeout)) s: killed")
        case .exited(let status, let output): return (status, output)
        }
    }

    /// Prints the HTML file `html` to `pdf` (A4, the document's print style sheet, no browser header or footer),
    /// through `pdf.part` moved into place, so a failed print never leaves half a PDF.
    public func printPDF(html: String, to pdf: String, timeout: TimeInterval = 120) throws {
        let page = URL(fileURLWithPath: html).absoluteString
        let partial = pdf + ".part"
        defer { unlink(partial) }
        let (status, output) = try run(["--no-pdf-header-footer", "--print-to-pdf-no-header", "--print-to-pdf=\(partial)", page],
                                       timeout: timeout)
        var size: off_t = 0
        var info = stat()
        if stat(partial, &info) == 0 { size = info.st_size }
        guard status == 0, size > 0 else {
            let said = output.split(separator: "\n").suffix(3).joined(separator: " / ")
            throw BrowserError(message: "\(executable) could not print \(html) to PDF (exit \(status))" + (said.isEmpty ? "" : ": \(said)"))
        }
        guard rename(partial, pdf) == 0 else {
            throw BrowserError(message: "cannot move the PDF into place at \(pdf): \(Errno(rawValue: errno))")
        }
    }
}

/// The browser could not be found, started, or did not finish its job.
public struct BrowserError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
