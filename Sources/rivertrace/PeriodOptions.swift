import ArgumentParser
import Foundation
import Pipeline
import Standards

/// `--period` or `--from`/`--to`, as `analyze` and `report` take them.
struct PeriodOptions: ParsableArguments {
    @Option(help: "A month (2026-10), quarter (2026-Q3) or year (2026), local time.")
    var period: String?

    @Option(help: "First day of a custom period (YYYY-MM-DD).")
    var from: String?

    @Option(help: "Last day of a custom period, included (YYYY-MM-DD).")
    var to: String?

    func validate() throws {
        switch (period, from, to) {
        case (.some, nil, nil), (nil, .some, .some): break
        default: throw ValidationError("give --period, or --from and --to")
        }
    }

    /// The period in `zone`; a period that cannot be read is a usage error (exit 2).
    func resolve(in zone: TimeZone, command: String) throws -> EvaluationPeriod {
        let chosen = period.map { PeriodParser.parse($0, timeZone: zone) }
            ?? PeriodParser.range(from: from!, to: to!, timeZone: zone)
        guard let chosen else {
            printError("rivertrace \(command): cannot read the period \(period ?? "\(from!) … \(to!)"): "
                       + "expected 2026-10, 2026-Q3, 2026, or --from/--to dates such as 2026-07-01")
            throw ExitCode(2)
        }
        return chosen
    }
}
