import Foundation
import RiverModel

/// The physics a `--vary` run draws away from `rivers.csv` and the fixed model: true velocities, how they rise
/// with the flow in rain, dispersion, decay and mixing at confluences (docs/simulator.md, "Variation").
///
/// Every factor is drawn from the seed on a random stream of its own, so a run without `--vary` draws none of them
/// and writes the same bytes as before the knob existed. Factors are rounded to 4 decimals when drawn: the model
/// runs on the very numbers truth.json records.
public struct SimulationVariation: Codable, Sendable, Equatable {
    /// True velocity at base flow over `velocity_m_s` of rivers.csv, per river id: U(0.5, 1.5).
    public var velocityFactors: [String: Double]
    /// The velocity rises with the flow as (Q/Q₀)^`flowExponent` (hydraulic geometry, v ∝ Q^0.4).
    public var flowExponent: Double
    /// Q/Q₀ = 1 + `flowPerRunoff` × the model's runoff factor (0 in dry weather, about 1 in heavy rain).
    public var flowPerRunoff: Double
    /// Multiplies the longitudinal spreading σ of every plume: U(1, 3) per run.
    public var dispersionFactor: Double
    /// Multiplies each parameter's first-order decay rate, per parameter code: U(0.5, 2) per run.
    public var decayFactors: [String: Double]
    /// Per tributary id: the share of the fully mixed increment its plumes show at the first station below its
    /// mouth on the river it joins (not yet mixed across the channel): U(0.5, 1.5).
    public var confluenceMixing: [String: Double]

    enum CodingKeys: String, CodingKey {
        case velocityFactors = "velocity_factors"
        case flowExponent = "flow_exponent"
        case flowPerRunoff = "flow_per_runoff"
        case dispersionFactor = "dispersion_factor"
        case decayFactors = "decay_factors"
        case confluenceMixing = "confluence_mixing"
    }

    public init(velocityFactors: [String: Double], flowExponent: Double = 0.4, flowPerRunoff: Double = 2,
                dispersionFactor: Double = 1, decayFactors: [String: Double] = [:],
                confluenceMixing: [String: Double] = [:]) {
        self.velocityFactors = velocityFactors
        self.flowExponent = flowExponent
        self.flowPerRunoff = flowPerRunoff
        self.dispersionFactor = dispersionFactor
        self.decayFactors = decayFactors
        self.confluenceMixing = confluenceMixing
    }

    /// The parameters whose decay the model applies (``WaterQualityModel/decayPerDay(_:)`` not 0), in the order
    /// their factors are drawn.
    static let decaying: [Parameter] = [.ammoniaNitrogen, .totalPhosphorus, .totalNitrogen, .permanganateIndex,
                                        .chemicalOxygenDemand, .biochemicalOxygenDemand, .turbidity,
                                        .dissolvedOxygen, .pH]

    /// Draws the factors of a run from `seed`: velocities on stream 10, dispersion and decay on 11, confluence
    /// mixing on 12 (streams 1–4 are the plan's, the model's, the noise's and the lab schedule's).
    public static func draw(seed: UInt64, network: Network) -> SimulationVariation {
        func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
        var velocity = RandomSource(seed: seed, stream: 10)
        var factors: [String: Double] = [:]
        for river in network.rivers.sorted(by: { $0.id < $1.id }) {
            factors[river.id] = rounded(velocity.uniform(0.5...1.5))
        }
        var spreading = RandomSource(seed: seed, stream: 11)
        let dispersion = rounded(spreading.uniform(1...3))
        var decay: [String: Double] = [:]
        for parameter in decaying { decay[parameter.code] = rounded(spreading.uniform(0.5...2)) }
        var mixing = RandomSource(seed: seed, stream: 12)
        var confluences: [String: Double] = [:]
        for river in network.rivers.sorted(by: { $0.id < $1.id }) where river.flowsInto != nil {
            confluences[river.id] = rounded(mixing.uniform(0.5...1.5))
        }
        return SimulationVariation(velocityFactors: factors, dispersionFactor: dispersion, decayFactors: decay,
                                   confluenceMixing: confluences)
    }

    /// The decay rate per day of `parameter` in this run.
    func decayPerDay(_ parameter: Parameter) -> Double {
        WaterQualityModel.decayPerDay(parameter) * (decayFactors[parameter.code] ?? 1)
    }

    /// How many times faster than at base flow water moves at runoff factor `runoff`.
    func speedFactor(runoff: Double) -> Double {
        pow(1 + flowPerRunoff * runoff, flowExponent)
    }
}
