import RiverModel
import Statistics

/// How well an event's parameter profile fits each kind of source (`sources.csv` `signature`).
///
/// Profiles after `../shared/reference/standards.md` (signatures) and Metcalf & Eddy: domestic sewage raises
/// NH3-N and TP and pulls DO down; industrial effluent raises conductivity and CODMn and shifts pH;
/// farmland and stormwater runoff raise turbidity, TP and TN, and stormwater dilutes conductivity.
public enum SignatureFit {
    /// Weight of each parameter's relative change in the profile (sign: the expected direction).
    static let profiles: [SourceSignature: [String: Double]] = [
        .domestic: ["nh3n": 1.0, "tp": 0.7, "do": -0.6, "tn": 0.5, "codmn": 0.3],
        .industrial: ["cond": 1.0, "codmn": 0.7, "ph": 0.6, "cod": 0.5],
        .agricultural: ["turb": 1.0, "tn": 0.7, "tp": 0.6, "nh3n": 0.2],
        .stormwater: ["turb": 1.0, "tp": 0.6, "codmn": 0.5, "cond": -0.5],
    ]

    /// The event's change per parameter on a common scale: relative to the baseline for concentrations
    /// (×4, capped at 1, so +25 % counts fully), pH by |shift| / 0.5, DO by the relative fall.
    public static func changes(of event: AnomalyEvent) -> [String: Double] {
        var result: [String: Double] = [:]
        for parameter in event.parameters {
            let change: Double
            switch parameter.parameter {
            case "ph": change = min(1, abs(parameter.increment) / 0.5)
            default:
                let base = max(abs(parameter.baseline), 1e-9)
                change = max(-1, min(1, 4 * parameter.increment / base))
            }
            result[parameter.parameter] = change
        }
        return result
    }

    /// 0…1: the weighted share of the profile the event shows.
    public static func fit(_ signature: SourceSignature, changes: [String: Double]) -> Double {
        switch signature {
        case .mixed:
            return 0.9 * max(fit(.domestic, changes: changes), fit(.industrial, changes: changes))
        case .unknown:
            return 0.4
        default:
            guard let profile = profiles[signature] else { return 0 }
            var total = 0.0
            var weight = 0.0
            for (parameter, w) in profile {
                weight += abs(w)
                guard let change = changes[parameter] else { continue }
                // pH counts in either direction: acids and alkalis both come from industry.
                total += parameter == "ph" ? abs(w) * abs(change) : max(0, w * change)
            }
            return weight > 0 ? total / weight : 0
        }
    }
}
