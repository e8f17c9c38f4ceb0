import DeviceModel
import Foundation

/// Summary statistics of the accuracies of a grid point's trials, in double precision.
public struct TrialStatistics: Codable, Hashable, Sendable {
    public var trials: Int
    public var mean: Double
    /// Sample standard deviation (n - 1 in the denominator); 0 for one trial.
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double
    /// Half-width of the two-sided 95 % confidence interval of the mean,
    /// t(0.975, n - 1) * s / sqrt(n); 0 for one trial.
    public var confidenceHalfWidth: Double

    public var confidenceLow: Double { mean - confidenceHalfWidth }
    public var confidenceHigh: Double { mean + confidenceHalfWidth }

    /// - Precondition: at least one value.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "statistics need at least one trial")
        let n = Double(values.count)
        trials = values.count
        mean = values.reduce(0, +) / n
        minimum = values.min()!
        maximum = values.max()!
        guard values.count > 1 else {
            standardDeviation = 0
            confidenceHalfWidth = 0
            return
        }
        let m = mean
        standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
        let t = (try? StudentT.quantile(probability: 0.975, degreesOfFreedom: n - 1)) ?? .nan
        confidenceHalfWidth = t * standardDeviation / n.squareRoot()
    }
}
