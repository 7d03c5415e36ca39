import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
import Standards
import Store
import Trace

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Evaluate a period by GB 3838-2002: class per point, target met, main pollutants, river grades.",
        discussion: """
            Period means follow 地表水环境质量评价办法（试行）: valid readings only (no flag or HJ 212 `N`), \
            censored values at half their detection limit; a station parameter with less than 75 % of its \
            expected readings is reported as insufficient, not classed. Methods: docs/methods.md; \
            the --json document: docs/json-schema.md (schema_version 2).

            Examples:
              rivertrace analyze --period 2026-09
              rivertrace analyze --period 2026-Q3 --json > q3.json
              rivertrace analyze --from 2026-07-01 --to 2026-07-15
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup var when: PeriodOptions

    @Flag(help: "Print the versioned JSON document instead of the summary.")
    var json = false

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let zone = settings.timeZone
            let evaluationPeriod = try when.resolve(in: zone, command: "analyze")
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            let document = try AnalysisJob(store: store, network: network, timeZone: zone,
                                           uncertainBelow: settings.uncertainBelow).run(period: evaluationPeriod)
            if json {
                try document.writeJSON(StandardOutput.write)
            } else {
                print(AnalysisText(document: document, network: network, timeZone: zone).text)
                if document.points.allSatisfy({ $0.parameters.allSatisfy { $0.readings == 0 } }) {
                    let span = try store.timeSpan().map { "the store holds readings from \(localTime($0.first, in: zone, format: "yyyy-MM-dd")) to "
                        + localTime($0.last, in: zone, format: "yyyy-MM-dd") }
                    print("\nno readings in \(evaluationPeriod.label): " + (span ?? "the store holds no readings yet"))
                }
            }
            try requireCoverage(document, settings: settings)
        }
    }
}
