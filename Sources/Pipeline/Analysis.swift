import Foundation
import Synchronization
import Report
import RiverModel
import Standards
import Statistics
import Store
import Trace

/// Reads a period's readings from the store and evaluates every point, river and the district.
public struct AnalysisJob: Sendable {
    public let store: ReadingStore
    public let network: Network
    public let timeZone: TimeZone
    /// The moment the analysis looks at the store from: readings after it are left out, exactly as if they had not
    /// been ingested yet (nil: every reading). What a `run` at that hour could know — the alert-latency benchmark
    /// steps it hour by hour (docs/performance.md).
    public let asOf: Date?
    /// Below this confidence a traced event is `uncertain` (settings `uncertain_below`).
    public let uncertainBelow: Double
    /// The most months read into memory at once (a year, what a district analyses most); a longer period is read in
    /// parts of ``monthsPerPart`` (``readInParts(period:months:)``).
    var monthsReadAtOnce = 12
    /// The months of one part of a longer period: with its margins a part holds a third more readings than its months,
    /// and two parts are held at a time.
    var monthsPerPart = 3

    public init(store: ReadingStore, network: Network, timeZone: TimeZone, asOf: Date? = nil,
                uncertainBelow: Double = TraceEngine.defaultUncertainBelow) {
        self.store = store
        self.network = network
        self.timeZone = timeZone
        self.asOf = asOf
        self.uncertainBelow = uncertainBelow
    }

    /// The end (exclusive) of a store query that asks up to `end`, cut so that only readings at or before ``asOf``
    /// are seen.
    func visibleEnd(_ end: Date) -> Date {
        guard let asOf else { return end }
        // The store keeps whole seconds and queries `time < end`: a reading at asOf itself is seen, one after it not.
        return min(end, Date(timeIntervalSince1970: asOf.timeIntervalSince1970.rounded(.down) + 1))
    }

    /// The parameters whose step-ups between points rank the stretches of persistent pollution.
    static let segmentParameters: [Parameter] = [.ammoniaNitrogen, .totalPhosphorus, .permanganateIndex]

    /// Evaluates `period` and finds its faults, events and trace-backs.
    ///
    /// Classes, exceedances and black-odorous grades are aggregates of the period itself. Faults, anomaly events and
    /// their traces are found month by month, each calendar month with the same context (``baselineMargin`` either
    /// side) whatever period is asked for, and kept when they begin inside the period: an event is found and traced
    /// the same way in a month's report, a quarter's, a year's or a range that cuts it differently.
    public func run(period: EvaluationPeriod) throws -> AnalysisDocument {
        // The long-term trends read the daily sums on another thread while the period is read and analysed here.
        let trended = Background { try self.trends(until: period.end) }
        defer { trended.wait() }
        let months = Self.months(overlapping: period, timeZone: timeZone)
        var (document, detections) = months.count <= monthsReadAtOnce
            ? try readOnce(period: period, months: months)
            : try readInParts(period: period, months: months)

        let inPeriod = { (date: Date) in date >= period.start && date < period.end }
        var lagObservations: [LagObservation] = []
        for found in detections {
            document.faults += found.faults.filter { inPeriod($0.start) }
            document.events += found.events.filter { inPeriod($0.start) }
            document.traces += found.traces.filter { inPeriod($0.eventStart) }
            lagObservations += found.lagObservations.filter { inPeriod($0.time) }
        }
        document.travelTimes = LearnedTravelTimes.learn(lagObservations, network: network)
        document.uncertainBelow = uncertainBelow
        (document.trends, document.changePoints) = try trended.value()
        let means = Dictionary(uniqueKeysWithValues: document.points.map { point in
            (point.pointID, Dictionary(uniqueKeysWithValues: point.parameters.compactMap { result in result.mean.map { (result.parameter, $0) } }))
        })
        let limits = Dictionary(uniqueKeysWithValues: Self.segmentParameters.compactMap { parameter in
            GB3838.limit(parameter, .iii).map { (parameter, $0) }
        })
        document.segments = PersistentPollution.rank(network: network, means: means, limits: limits)
        return document
    }

    /// A period of up to ``monthsReadAtOnce`` months: read once, packed, over every month's context; the evaluation and
    /// each month take their part. The evaluation takes each point as soon as it is read (in its own order), on the
    /// core the read leaves free.
    func readOnce(period: EvaluationPeriod, months: [EvaluationPeriod]) throws -> (AnalysisDocument, [MonthDetection]) {
        let arriving = ArrivingReadings()
        let evaluated = Background {
            self.evaluation(period: period) { arriving.take($0).observations(point: $0, from: period.start, to: period.end) }
        }
        let span: ReadingSpan
        do {
            defer { arriving.finish() }
            let read = context(of: months)
            span = try store.readingSpan(from: read.start, to: read.end,
                                         pointOrder: evaluationOrder.map(\.id), arrived: arriving.put)
        } catch {
            evaluated.wait()
            throw error
        }
        let detections = detect(months: months, readings: span)
        return (try evaluated.value(), detections)
    }

    /// A longer period, read ``monthsPerPart`` months (and their margins) at a time, so that memory holds two parts,
    /// not the whole period, however long it is. A thread of its own reads the parts in one snapshot of the store and,
    /// while it waits for a part to be searched and dropped, evaluates the period one point at a time; the months are
    /// searched here on every core as their parts arrive (as ``readOnce(period:months:)`` searches them: a
    /// `concurrentPerform` started from a `Background` thread corrupted the heap under load, in the tests' stress).
    /// The document is the one ``readOnce(period:months:)`` makes.
    func readInParts(period: EvaluationPeriod, months: [EvaluationPeriod]) throws -> (AnalysisDocument, [MonthDetection]) {
        let parts = stride(from: 0, to: months.count, by: monthsPerPart).map { first in
            Array(months[first..<min(months.count, first + monthsPerPart)])
        }
        let inFlight = PartsInFlight()
        let evaluated = Background {
            do {
                return try store.inOneSnapshot { reader in
                    let end = visibleEnd(period.end)
                    var evaluation = PeriodEvaluation(network: network, period: period, timeZone: timeZone)
                    var points = evaluationOrder[...]
                    func evaluateNext() throws {
                        let point = points.removeFirst()
                        evaluation.add(point, series: try reader.readingSpan(from: period.start, to: end, point: point.id)
                                        .observations(point: point.id, from: period.start, to: period.end))
                    }
                    for (index, part) in parts.enumerated() {
                        while !inFlight.hasRoom, !points.isEmpty { try evaluateNext() }
                        inFlight.waitForRoom()
                        let read = context(of: part)
                        inFlight.put(index, try reader.readingSpan(from: read.start, to: read.end), months: part.count)
                    }
                    while !points.isEmpty { try evaluateNext() }
                    return evaluation.document
                }
            } catch {
                // The months waiting for parts that will not come stop waiting.
                inFlight.fail()
                throw error
            }
        }
        let found = Mutex([MonthDetection?](repeating: nil, count: months.count))
        DispatchQueue.concurrentPerform(iterations: months.count) { index in
            let part = index / monthsPerPart
            guard let span = inFlight.take(part) else { return }
            let detection = detect(month: months[index], readings: span)
            inFlight.searched(part)
            found.withLock { $0[index] = detection }
        }
        let document = try evaluated.value()
        return (document, found.withLock { $0.compactMap { $0 } })
    }

    /// The readings the detection of `months` reads: the months and ``baselineMargin`` either side, no later than
    /// ``asOf``.
    func context(of months: [EvaluationPeriod]) -> (start: Date, end: Date) {
        (months.first!.start.addingTimeInterval(-Self.baselineMargin),
         visibleEnd(months.last!.end.addingTimeInterval(Self.baselineMargin)))
    }

    /// The classes of `period` only — every point, river and the district, exceedance episodes and black-odorous
    /// grades — without faults, events, traces, trends or segments: what a comparison with an earlier period
    /// (环比, 同比) needs, for a fraction of ``run(period:)``'s work.
    public func evaluate(period: EvaluationPeriod) throws -> AnalysisDocument {
        var document = try evaluation(period: period) { point in
            try store.allSeries(from: period.start, to: visibleEnd(period.end), point: point)[point] ?? [:]
        }
        document.uncertainBelow = uncertainBelow
        return document
    }

    /// The network's points river by river (tree order), each river's from upstream: the order of the evaluation's
    /// tables, and the order the store is read in for it.
    var evaluationOrder: [MonitoringPoint] {
        network.riversInTreeOrder.flatMap { network.points(on: $0.id) }
    }

    /// The evaluation part of an analysis, taking one point's readings of the period at a time from `seriesOf`.
    func evaluation(period: EvaluationPeriod,
                    seriesOf: (_ pointID: String) throws -> [Parameter: [Observation]]) rethrows -> AnalysisDocument {
        var evaluation = PeriodEvaluation(network: network, period: period, timeZone: timeZone)
        for point in evaluationOrder {
            evaluation.add(point, series: try seriesOf(point.id))
        }
        return evaluation.document
    }

    /// What one calendar month's detection found: the faults, events and traces that begin in it.
    struct MonthDetection {
        var faults: [FaultFinding] = []
        var events: [AnomalyEvent] = []
        var traces: [TraceResult] = []
        /// The travel times the month's plumes showed (its margins included).
        var lagObservations: [LagObservation] = []
    }

    /// Faults, anomaly events and traces of one calendar month, from the month and ``baselineMargin`` either side.
    func detect(month: EvaluationPeriod, readings span: ReadingSpan) -> MonthDetection {
        let context = EvaluationPeriod(label: month.label, start: month.start.addingTimeInterval(-Self.baselineMargin),
                                       end: month.end.addingTimeInterval(Self.baselineMargin))
        var faults: [FaultFinding] = []
        // Drift, clock and rate-of-change checks compare each station with the others: they run once all are read.
        var stationSeries: [String: [Parameter: NeighbourFaultScan.TimedValues]] = [:]
        var usable: [String: [Parameter: UsableReadings]] = [:]
        for point in network.points {
            // One point's readings at a time, as the detectors read them (no observation per reading).
            let series = span.reportedSeries(point: point.id, from: context.start, to: context.end)
            guard !series.isEmpty else { continue }
            let isStation = NeighbourFaultScan.isStation(point, series)
            // The water's values, once for both: the baselines' and, at stations, the neighbour checks'.
            for (parameter, readings) in series {
                let water = readings.water(of: parameter)
                if Self.eventParameters.contains(parameter) {
                    usable[point.id, default: [:]][parameter] = UsableReadings(times: water.times, values: water.values)
                }
                if isStation, !water.times.isEmpty {
                    stationSeries[point.id, default: [:]][parameter] = .init(times: water.times, values: water.values)
                }
            }
            let ordered = series.sorted(by: { $0.key < $1.key })
            var detected: [Parameter: [DetectedFault]] = [:]
            // The station's interval as the baselines take it: the median over the pollution parameters it reports.
            var intervals: [TimeInterval] = []
            if isStation {
                for (parameter, readings) in ordered {
                    detected[parameter] = SensorFaultDetector.detect(times: readings.reportedTimes, values: readings.reportedValues)
                    if readings.reportedTimes.count >= 3, Self.eventParameters.contains(parameter) {
                        intervals.append(SensorFaultDetector.typicalInterval(readings.reportedTimes))
                    }
                }
            }
            // A spike two analysers share at a coarsely read station is a pulse passing (see `sharedSpikes`).
            let water = SensorFaultDetector.sharedSpikes(Self.eventParameters.flatMap { detected[$0] ?? [] },
                                                         interval: intervals.isEmpty ? 3_600 : SensSlope.median(intervals))
            for (parameter, readings) in ordered {
                for (time, value) in zip(readings.reportedTimes, readings.reportedValues) {
                    guard let rule = PhysicalBounds.violation(parameter, value) else { continue }
                    faults.append(FaultFinding(pointID: point.id, parameter: parameter, kind: .impossibleValue,
                                               start: time, end: time, value: value, rule: rule))
                }
                for fault in detected[parameter] ?? [] where !(fault.kind == .spike && water.contains(fault.start)) {
                    faults.append(FaultFinding(pointID: point.id, parameter: parameter, kind: FaultKind(fault.kind),
                                               start: fault.start, end: fault.end, value: fault.value, rule: fault.kind.rule))
                }
            }
        }
        faults += NeighbourFaultScan(stations: stationSeries).findings()
        let stationBaselines = baselines(of: usable, period: month, faults: faults)
        // The tracer sees the events of the margins too: a rain that began the evening before the month, an
        // upstream event under way at the turn of the month, and more rains to learn each station's response from.
        let events = self.events(in: stationBaselines, period: context)
        var tracer = TraceEngine(network: network, baselines: stationBaselines.series, events: events,
                                 faults: faults.map { FaultWindow(pointID: $0.pointID, parameter: $0.parameter,
                                                                  start: $0.start, end: $0.end) })
        tracer.uncertainBelow = uncertainBelow
        let inMonth = { (date: Date) in date >= month.start && date < month.end }
        let monthEvents = events.filter { inMonth($0.start) }
        return MonthDetection(faults: faults.filter { inMonth($0.start) }.sorted { ($0.start, $0.pointID) < ($1.start, $1.pointID) },
                              events: monthEvents, traces: monthEvents.map(tracer.trace),
                              lagObservations: tracer.travelTimes.observations.filter { inMonth($0.time) })
    }

    /// ``detect(month:readings:)`` for each month (in order), from the readings of `span`: independent of one another,
    /// they run on every core.
    func detect(months: [EvaluationPeriod], readings span: ReadingSpan) -> [MonthDetection] {
        let found = Mutex([MonthDetection?](repeating: nil, count: months.count))
        DispatchQueue.concurrentPerform(iterations: months.count) { index in
            let detection = detect(month: months[index], readings: span)
            found.withLock { $0[index] = detection }
        }
        return found.withLock { $0.map { $0! } }
    }

    /// The calendar months, local time, that overlap `period` (at least one).
    static func months(overlapping period: EvaluationPeriod, timeZone: TimeZone) -> [EvaluationPeriod] {
        let offset = timeZone.secondsFromGMT(for: period.start)
        let firstDay = Int(((period.start.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down))
        var (year, month, _) = CivilCalendar.date(days: firstDay)
        var months: [EvaluationPeriod] = []
        while true {
            let label = String(format: "%04d-%02d", year, month)
            guard let calendarMonth = PeriodParser.parse(label, timeZone: timeZone) else { break }
            if calendarMonth.start >= period.end && !months.isEmpty { break }
            months.append(calendarMonth)
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }
}
