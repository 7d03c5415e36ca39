import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Report
import Standards
import Store

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the periodic water-quality report (Markdown + SVG charts, optionally HTML and PDF) and one page per river.",
        discussion: """
            Writes report.md, the 水质月报 / 季报 / 年报 of a month, quarter or year (monitoring overview and data \
            capture, standard and method, results per point and river with class shares and compliance, change \
            against the previous period and the same period a year earlier, exceedances and incidents, \
            black-odorous water, instruments and data quality, conclusions), network.svg, and rivers/<id>.md \
            with each river's longitudinal profiles, station time series and registered sources. Files are \
            written under temporary names and moved into place at the end. File names carry ids percent-encoded \
            (a/b → a%2Fb; docs/operations.md, "Report files").

            --format html also writes report.html: the report, every river page and every trace-back report in one \
            self-contained file (charts inline, no network access, a print style sheet with a page per river and \
            per incident). --format pdf also prints it to report.pdf with headless Chromium (apt-get install \
            chromium fonts-noto-cjk; or RIVERTRACE_CHROMIUM=/path/to/chrome); without it the command says so and \
            exits 1 after writing the Markdown and the HTML.

            Examples:
              rivertrace report --period 2026-09
              rivertrace report --period 2026-09 --format html --format pdf
              rivertrace report --period 2026-Q3 --lang en --out reports/2026-Q3
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup var when: PeriodOptions

    @Option(help: "zh (default) or en.")
    var lang: ReportLanguage = .zh

    @Option(help: "Folder to write into (default reports/<period>).")
    var out: String?

    @Option(help: "markdown (always written), html (adds report.html) or pdf (adds report.html and report.pdf); repeatable.")
    var format: [ReportFormat] = [.markdown]

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let zone = settings.timeZone
            let chosen = try when.resolve(in: zone, command: "report")
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            let folder = out ?? "reports/\(chosen.label.replacingOccurrences(of: "…", with: "_"))"
            let job = ReportJob(store: store, network: network, timeZone: zone, uncertainBelow: settings.uncertainBelow)
            let input = try job.prepare(period: chosen)
            let written = try job.write(input, language: lang, into: folder, formats: Set(format))
            print("report \(chosen.label) (\(lang.rawValue)): \(terminalSafe(written.first ?? folder))")
            print("  \(written.count) files in \(terminalSafe(folder)): report.md, network.svg, rivers/*.md, traces/*.md (trace-back reports) and their charts")
            for document in written where document.hasSuffix(".html") || document.hasSuffix(".pdf") {
                print("  \(terminalSafe(document))")
            }
            try requireCoverage(input.document, settings: settings)
        }
    }
}
