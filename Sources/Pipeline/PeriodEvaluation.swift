import Foundation
import Report
import RiverModel
import Standards

/// The evaluation of a period, built one point at a time (so that only one point's readings need be held): each
/// point's classes, black-odorous grade and exceedance episodes, then the rivers and the district from the points.
struct PeriodEvaluation {
    let network: Network
    let period: EvaluationPeriod
    let timeZone: TimeZone
    private let evaluator: Evaluator
    private var points: [PointResult] = []
    private var exceedances: [ExceedanceEpisode] = []
    private var blackOdorous: [BlackOdorousResult] = []

    init(network: Network, period: EvaluationPeriod, timeZone: TimeZone) {
        self.network = network
        self.period = period
        self.timeZone = timeZone
        evaluator = Evaluator(network: network, period: period)
    }

    /// Evaluates one point from its readings of the period. Points are added in the order of the document's tables.
    mutating func add(_ point: MonitoringPoint, series: [Parameter: [Observation]]) {
        points.append(evaluator.evaluate(point: point, series: series))
        if let grading = BlackOdorousGrader.grade(pointID: point.id, series: series), grading.grade != .none {
            blackOdorous.append(grading)
        }
        if point.kind == .automatic, let target = network.targetClass(of: point) {
            for parameter in GB3838.riverClassParameters {
                guard let observations = series[parameter] else { continue }
                exceedances += ExceedanceFinder.episodes(
                    pointID: point.id, parameter: parameter, observations: observations, target: target,
                    body: network.river(point.riverID)?.waterBody ?? .river)
            }
        }
    }

    /// The document of the points added so far, with their rivers and the district.
    var document: AnalysisDocument {
        let rivers = network.riversInTreeOrder.map { river in
            evaluator.evaluateGroup(id: river.id, points: points.filter { $0.riverID == river.id })
        }
        var document = AnalysisDocument(period: period, timeZone: timeZone.identifier, points: points, rivers: rivers,
                                        district: evaluator.evaluateGroup(id: nil, points: points),
                                        exceedances: exceedances.sorted { ($0.start, $0.pointID) < ($1.start, $1.pointID) })
        document.blackOdorous = blackOdorous
        return document
    }
}
