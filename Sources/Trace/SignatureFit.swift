import RiverModel
import Statistics

/// How well an event's parameter profile fits each kind of source (`sources.csv` `signature`).
///
/// Profiles after `../shared/reference/standards.md` (signatures) and Metcalf & Eddy: domestic sewage raises
/// NH3-N and TP and pulls DO down; industrial effluent raises conductivity and CODMn and shifts pH;
/// farmland and stormwater runoff raise turbidity, TP and TN, and stormwater dilutes conductivity.
public enum SignatureFit {
    /// Weight of each parameter's relative change in the profile (sign: the expected direction). In a fixed order:
    /// the fit is a sum, and a sum's last bits depend on its order.
    static let profiles: [SourceSignature: [(Parameter, Double)]] = [
        .domestic: [(.ammoniaNitrogen, 1.0), (.totalPhosphorus, 0.7), (.dissolvedOxygen, -0.6), (.totalNitrogen, 0.5),
                    (.permanganateIndex, 0.3)],
        .industrial: [(.conductivity, 1.0), (.permanganateIndex, 0.7), (.pH, 0.6), (.chemicalOxygenDemand, 0.5)],
        .agricultural: [(.turbidity, 1.0), (.totalNitrogen, 0.7), (.totalPhosphorus, 0.6), (.ammoniaNitrogen, 0.2)],
        .stormwater: [(.turbidity, 1.0), (.totalPhosphorus, 0.6), (.permanganateIndex, 0.5), (.conductivity, -0.5)],
    ]

    /// The event's change per parameter on a common scale: relative to the baseline for concentrations
    /// (×4, capped at 1, so +25 % counts fully), pH by |shift| / 0.5, DO by the relative fall.
    public static func changes(of event: AnomalyEvent) -> [Parameter: Double] {
        var result: [Parameter: Double] = [:]
        for parameter in event.parameters {
            let change: Double
            switch parameter.parameter {
            case .pH: change = min(1, abs(parameter.increment) / 0.5)
            default:
                let base = max(abs(parameter.baseline), 1e-9)
                change = max(-1, min(1, 4 * parameter.increment / base))
            }
            result[parameter.parameter] = change
        }
        return result
    }

    /// The profile among domestic, industrial, agricultural and stormwater that fits the event best, and its fit
    /// (domestic first on a tie).
    public static func bestProfile(changes: [Parameter: Double],
                                   measured: Set<Parameter>? = nil) -> (signature: SourceSignature, fit: Double) {
        [SourceSignature.domestic, .industrial, .agricultural, .stormwater]
            .map { ($0, fit($0, changes: changes, measured: measured)) }
            .reduce((SourceSignature.unknown, -1.0)) { best, next in next.1 > best.1 ? next : best }
    }

    /// 0…1: the weighted share of the profile the event shows.
    /// - Parameter measured: the parameters the event's station measures (nil: every one). A profile is weighed over
    ///   these, but never over less than half its weight: a station without a COD analyser shows no COD rise whatever
    ///   the effluent, and counting that absence against the industrial profile made industrial plumes look like
    ///   farmland runoff (docs/methods.md); a station that sees only a minor part of a profile cannot confirm it.
    public static func fit(_ signature: SourceSignature, changes: [Parameter: Double],
                           measured: Set<Parameter>? = nil) -> Double {
        switch signature {
        case .mixed:
            return 0.9 * max(fit(.domestic, changes: changes, measured: measured),
                             fit(.industrial, changes: changes, measured: measured))
        case .unknown:
            return 0.4
        default:
            guard let profile = profiles[signature] else { return 0 }
            var total = 0.0
            var weight = 0.0
            var seen = 0.0
            for (parameter, w) in profile {
                weight += abs(w)
                guard measured?.contains(parameter) ?? true else { continue }
                seen += abs(w)
                guard let change = changes[parameter] else { continue }
                // pH counts in either direction: acids and alkalis both come from industry.
                total += parameter == .pH ? abs(w) * abs(change) : max(0, w * change)
            }
            return weight > 0 ? total / max(seen, 0.5 * weight) : 0
        }
    }
}
