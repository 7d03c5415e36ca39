import ArgumentParser
import Foundation
import Ingest
import Report
import Statistics

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Run a trend test on a column of a plain CSV (read through libcsv; blank cells are missing).",
        discussion: """
            Results are those of pyMannKendall 1.4.3 on the same data (trend, h, p, z, Tau, s, var_s, slope, \
            intercept; slope per row). Where no meaningful number exists — fewer than 4 values, all equal, a \
            Hamed-Rao or Yue-Wang corrected variance of zero or less (pyMannKendall prints NaN there) — the result \
            is "not assessed" with the reason and its code (exit 3), never NaN or infinity.

            Every row is a position in time: a blank cell, a blank line or a missing marker (--, *, NA) is a \
            missing value in its place, as pyMannKendall keeps NaN in place.

            Tests: original, hamed-rao, yue-wang, pre-whitening, trend-free-pre-whitening, seasonal and \
            correlated-seasonal (--period), regional and correlated-multivariate (several --column), partial \
            (--column SERIES --column COVARIATE), sens-slope; pettitt (a shift, as pyhomogeneity without \
            simulation); spearman (the Chinese evaluation method's rank correlation with its critical values); \
            censored and censored-seasonal (--period): Kendall's S with censored comparisons and the \
            Akritas-Theil-Sen slope (cells such as <0.05, 0.05L or ND(0.05) are below their detection limit; slope \
            per row, per cycle for the seasonal one; the other tests refuse such cells rather than read <0.05 as 0.05).

            Examples:
              rivertrace stats water-quality.csv --column DS
              rivertrace stats water-quality.csv --column DS --test hamed-rao --lag 3 --json
              rivertrace stats water-quality.csv --column DS --column Discharge --test partial
              rivertrace stats rainfall.csv --column Dhaka --column Sylhet --test regional
              rivertrace stats ammonia.csv --column NH3N --test censored
              rivertrace stats station.csv --column NH3N --time-column 监测时间
              rivertrace stats annual-means.csv --column NH3N --test spearman   # prints the critical value used
              rivertrace stats daily-means.csv --each-column --time-column date --json   # every column, JSON Lines

            Rows are taken in file order for the tests; put them in time order. --time-column adds the slope per year \
            from the times themselves (irregular sampling), with Gilbert's confidence interval.
            """)

    @Argument(help: "A CSV file with a header row.")
    var file: String

    @Option(help: "Column name (or 1-based number); repeat for regional / correlated-multivariate (one per site) and partial (the series, then the covariate).")
    var column: [String] = []

    @Flag(name: .customLong("each-column"),
          help: "Run the test on every column but --time-column, one after another, reading the file once: one result per column, named (with --json one object per line, with \"column\"). A column that is not numbers is reported and the others go on (exit 3).")
    var eachColumn = false

    @Option(name: .customLong("skip-column"), help: "With --each-column: leave this column out (name or 1-based number, e.g. a day number); repeat for more.")
    var skipColumn: [String] = []

    @Option(help: "The test.")
    var test: TestChoice = .original

    @Option(help: "Lags for hamed-rao / yue-wang (default: all).")
    var lag: Int?

    @Option(help: "Season length for --test seasonal, correlated-seasonal and censored-seasonal (12 for monthly data).")
    var period: Int = 12

    @Option(name: .customLong("time-column"),
            help: "A column of times (name or number): adds Sen's slope per year from the real times with its confidence interval, and makes the censored tests' slope per year.")
    var timeColumn: String?

    @Option(help: "Significance level.")
    var alpha: Double = 0.05

    @Flag(help: "Print JSON.")
    var json = false

    /// The tests `--test` offers.
    enum TestChoice: String, CaseIterable, ExpressibleByArgument {
        case original, hamedRao = "hamed-rao", yueWang = "yue-wang", preWhitening = "pre-whitening"
        case trendFreePreWhitening = "trend-free-pre-whitening", seasonal, correlatedSeasonal = "correlated-seasonal"
        case regional, correlatedMultivariate = "correlated-multivariate", partial, sensSlope = "sens-slope", pettitt
        case spearman, censored, censoredSeasonal = "censored-seasonal"

        /// Tests of several columns at once.
        var isMultiColumn: Bool { [.regional, .correlatedMultivariate, .partial].contains(self) }
    }

    func validate() throws {
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha \(alpha): expected 0 < α < 1") }
        if let lag, lag < 1 { throw ValidationError("--lag \(lag): expected 1 or more") }
        guard period >= 2 else { throw ValidationError("--period \(period): expected 2 or more") }
        if !skipColumn.isEmpty, !eachColumn { throw ValidationError("--skip-column goes with --each-column") }
        if eachColumn {
            guard column.isEmpty else { throw ValidationError("--each-column takes every column: give no --column") }
            guard !test.isMultiColumn else { throw ValidationError("--each-column: --test \(test) compares several columns at once; give them with --column") }
            return
        }
        if test == .partial, column.count != 2 { throw ValidationError("--test partial: give --column SERIES --column COVARIATE") }
        if test == .correlatedMultivariate, column.count < 2 { throw ValidationError("--test \(test): give two or more --column") }
        if !test.isMultiColumn, column.count != 1 { throw ValidationError("--test \(test): give one --column") }
    }

    func run() throws {
        try runReportingFailures {
            let times = try timeColumn.map { try NumericColumns.readTimes(path: file, name: $0, timeZone: .current) }
            guard eachColumn else {
                let values = test == .censored || test == .censoredSeasonal ? nil : try NumericColumns.read(path: file, names: column)
                try ColumnTest(command: self, columns: column, label: nil).run(table: values, times: times)
                return
            }
            var attention = false
            let skipped = Set(skipColumn + (timeColumn.map { [$0] } ?? []))
            for (name, values) in try NumericColumns.readEach(path: file, excluding: skipped) {
                let one = ColumnTest(command: self, columns: [name], label: name)
                do {
                    switch values {
                    case .success(let values): try one.run(table: [name: values], times: times)
                    // The censored tests read their cells themselves.
                    case .failure where test == .censored || test == .censoredSeasonal: try one.run(table: nil, times: times)
                    case .failure(let error): try one.printUnreadable(error)
                    }
                } catch let exit as ExitCode where exit.rawValue == Exit.attention.rawValue {
                    attention = true
                }
            }
            if attention { throw Exit.attention }
        }
    }
}

/// One run of the chosen test, on `columns` (one, or the several a multi-column test compares): computes and prints.
/// In `--each-column` mode `label` names the column in every line and JSON object printed.
private struct ColumnTest {
    let command: StatsCommand
    let columns: [String]
    let label: String?

    private var file: String { command.file }
    private var test: StatsCommand.TestChoice { command.test }
    private var alpha: Double { command.alpha }
    private var json: Bool { command.json }
    private var period: Int { command.period }

    /// - Parameter table: the columns' values (nil for the censored tests, which read their own cells).
    func run(table: [String: [Double?]]?, times: [Date?]?) throws {
        guard let table else {
            try printCensoredTest(try NumericColumns.readCensored(path: file, name: columns[0]), times: times)
            return
        }
        let values = table[columns[0]]!
        let rows = values.indices.map { index in columns.map { table[$0]![index] } }
        if test == .pettitt || test == .spearman {
            try printRankTest(values)
            return
        }
        if test == .sensSlope {
            try printSensSlope(values)
            return
        }
        let result: TrendTestResult
        do {
            let lag = command.lag
            switch test {
            case .hamedRao: result = try MannKendall.hamedRao(values, alpha: alpha, lag: lag)
            case .yueWang: result = try MannKendall.yueWang(values, alpha: alpha, lag: lag)
            case .preWhitening: result = try MannKendall.preWhitening(values, alpha: alpha)
            case .trendFreePreWhitening: result = try MannKendall.trendFreePreWhitening(values, alpha: alpha)
            case .seasonal: result = try MannKendall.seasonal(values, period: period, alpha: alpha)
            case .correlatedSeasonal: result = try MannKendall.correlatedSeasonal(values, period: period, alpha: alpha)
            case .regional: result = try MannKendall.regional(rows, alpha: alpha)
            case .correlatedMultivariate: result = try MannKendall.correlatedMultivariate(rows, alpha: alpha)
            case .partial: result = try MannKendall.partial(values, covariate: table[columns[1]]!, alpha: alpha)
            case .original, .sensSlope, .pettitt, .spearman, .censored, .censoredSeasonal:
                result = try MannKendall.original(values, alpha: alpha)
            }
        } catch let error as TrendTestError {
            try printNotAssessed(error.reason)
        }
        let annual = try times.map { try annualSlope(times: $0, values: values) }
        if json {
            print(try encoded(MergedObject(first: result, second: annual)))
        } else {
            // Seven significant digits on a terminal; --json keeps every digit.
            print("""
                \(test.rawValue) Mann-Kendall on \(columnNames) (\(count(values))): \(result.trend.rawValue)
                  h \(result.h), p \(g(result.p)), z \(g(result.z)), Tau \(g(result.tau)), s \(g(result.s)), var_s \(g(result.varS))
                  Sen's slope \(g(result.slope)) per row, intercept \(g(result.intercept))
                """)
            if let annual {
                print("  Sen's slope from the times \(g(annual.perYear)) per year, \(Int((1 - alpha) * 100)) % interval "
                      + "[\(g(annual.lower)), \(g(annual.upper))] (\(annual.pairs) pairs)")
            }
        }
    }

    /// `--each-column`: a column with a cell that is neither a number nor missing is not tested; says where (exit 3).
    func printUnreadable(_ error: ColumnError) throws -> Never {
        if json {
            print(try encoded(NotAssessedOutput(reason: "\(error)", reasonCode: "not_numbers",
                                                reasonChinese: "该列含非数值单元格（第 \(error.line) 行），未检验")))
        } else {
            print(terminalSafe("\(columnNames): not assessed: \(error)"))
        }
        throw Exit.attention
    }

    /// The column names as given, safe on a terminal (they come from the user's file or command line).
    private var columnNames: String { terminalSafe(columns.joined(separator: ", ")) }

    /// "5 values of 6 rows": the rows keep their positions, missing ones included.
    private func count(_ values: [Double?]) -> String {
        let present = values.compactMap { $0 }.count
        return present == values.count ? "\(present) values" : "\(present) values of \(values.count) rows"
    }

    /// Prints why the test was not assessed — JSON `{"trend": "not assessed", "reason", "reason_code", "reason_zh"}`
    /// or a line of text — and ends with exit code 3.
    private func printNotAssessed(_ reason: NotAssessedReason) throws -> Never {
        if json {
            print(try encoded(NotAssessedOutput(reason: reason.english, reasonCode: reason.code, reasonChinese: reason.chinese)))
        } else {
            print(terminalSafe((label.map { "\($0): " } ?? "") + "not assessed: \(reason.english)"))
        }
        throw Exit.attention
    }

    /// Sen's slope per row alone: at least two values at different rows.
    private func printSensSlope(_ values: [Double?]) throws {
        let present = values.compactMap { $0 }
        guard present.count >= 2 else { try printNotAssessed(.tooFewValues(found: present.count, needed: 2)) }
        let (slope, intercept) = SensSlope.estimate(values)
        guard slope.isFinite, intercept.isFinite else { try printNotAssessed(.nonFiniteResult) }
        if json {
            print(try encoded(SensSlopeOutput(slope: slope, intercept: intercept)))
        } else {
            print("Sen's slope \(g(slope)) per row, intercept \(g(intercept)) (\(count(values)))")
        }
    }

    /// Sen's slope per year over the rows with both a time and a value.
    private func annualSlope(times: [Date?], values: [Double?]) throws -> AnnualSlope {
        let rows = values.indices.filter { $0 < times.count && times[$0] != nil && values[$0] != nil }
        do {
            return try AnnualSenSlope.estimate(times: rows.map { times[$0]! }, values: rows.map { values[$0]! }, alpha: alpha)
        } catch let error as TrendTestError {
            try printNotAssessed(error.reason)
        }
    }

    /// Times are row numbers (cycles for the seasonal test, as the seasonal Sen slope), so the slope is per row;
    /// with a time column, decimal years, so the slope is per year.
    private func printCensoredTest(_ cells: CensoredColumn, times: [Date?]?) throws {
        let rows = cells.values.indices.filter { cells.values[$0] != nil && (times == nil || times![$0] != nil) }
        let seasonal = test == .censoredSeasonal
        let result: CensoredTrendResult
        func time(_ row: Int) -> Double {
            if let times { return times[row]!.timeIntervalSince1970 / (365.25 * 86_400) }
            return Double(seasonal ? row / period : row)
        }
        do {
            result = try CensoredTrend.seasonal(times: rows.map(time),
                                                values: rows.map { cells.values[$0]! }, censored: rows.map { cells.censored[$0] },
                                                seasons: rows.map { seasonal ? $0 % period : 0 }, alpha: alpha)
        } catch let error as TrendTestError {
            try printNotAssessed(error.reason)
        }
        if json {
            print(try encoded(result))
        } else {
            print("""
                \(test.rawValue) Kendall on \(columnNames) (\(result.n) values, \(result.censored) censored): \(result.trend.rawValue)
                  h \(result.h), p \(g(result.p)), z \(g(result.z)), Tau \(g(result.tau)), s \(g(result.s)), var_s \(g(result.varS))
                  Akritas-Theil-Sen slope \(g(result.slope)) per \(times != nil ? "year" : seasonal ? "cycle" : "row"), intercept \(g(result.intercept))
                """)
        }
    }

    private func printRankTest(_ values: [Double?]) throws {
        do {
            if test == .pettitt {
                let result = try Pettitt.test(values, alpha: alpha)
                print(json ? try encoded(result)
                      : "Pettitt on \(columnNames) (\(count(values))): \(result.h ? "shift" : "no significant shift") after data row "
                        + "\(result.changePoint) (line \(result.changePoint + 1) of the file), U \(g(result.u)), p \(g(result.p)), "
                        + "mean \(g(result.meanBefore)) → \(g(result.meanAfter))")
            } else {
                let result = try SpearmanTrend.test(values)
                let ties = result.tiedValues > 0 ? ", \(result.tiedValues) tied values at average ranks" : ""
                print(json ? try encoded(result)
                      : "Spearman on \(columnNames) (n \(result.n)\(ties)): r_s \(g(result.rs)); critical value W_p at n = \(result.n): "
                        + "\(String(format: "%.3f", result.critical05)) (α 0.05)"
                        + (result.critical01.map { String(format: ", %.3f (α 0.01)", $0) } ?? ", none at α 0.01")
                        + " [\(result.criticalSource.citation)]: \(result.trend.rawValue)"
                        + (result.significant01 ? " (also at α 0.01)" : ""))
            }
        } catch let error as TrendTestError {
            try printNotAssessed(error.reason)
        }
    }

    /// JSON with sorted keys, through JSONEncoder: strings escaped, and a NaN would be an error rather than text.
    /// In `--each-column` mode with the column's name (`column`), one object on one line.
    private func encoded<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try label.map { try encoder.encode(MergedObject(first: ColumnLabel(column: $0), second: value)) }
            ?? encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    /// A number with seven significant digits, as a person reads it.
    private func g(_ value: Double) -> String { String(format: "%.7g", value) }
}

/// `stats --json` when a test is not assessed.
private struct NotAssessedOutput: Encodable {
    let trend = "not assessed"
    var reason: String
    var reasonCode: String
    var reasonChinese: String

    enum CodingKeys: String, CodingKey {
        case trend, reason
        case reasonCode = "reason_code"
        case reasonChinese = "reason_zh"
    }
}

/// `stats --test sens-slope --json`.
private struct SensSlopeOutput: Encodable {
    var slope: Double
    var intercept: Double
}

/// `stats --each-column --json`: the column each object is about.
private struct ColumnLabel: Encodable {
    var column: String
}

/// Two objects' keys in one JSON object (a test's result and the slope per year from the times).
private struct MergedObject<First: Encodable, Second: Encodable>: Encodable {
    var first: First
    var second: Second?

    func encode(to encoder: Encoder) throws {
        try first.encode(to: encoder)
        try second?.encode(to: encoder)
    }
}
