import DeviceModel
import Foundation

/// The distortion of one weight layer's outputs (after the bias) against the float
/// network fed the same images, so errors of earlier layers propagate into later ones.
public struct LayerDistortion: Codable, Hashable, Sendable {
    public var operationIndex: Int
    public var layer: String
    /// Sum of squared float outputs.
    public var signalEnergy: Double
    /// Sum of squared differences between emulated and float outputs.
    public var errorEnergy: Double

    /// NMSE = sum (y - y_float)^2 / sum y_float^2.
    public var normalizedMeanSquareError: Double {
        signalEnergy > 0 ? errorEnergy / signalEnergy : 0
    }

    /// SQNR = -10 log10(NMSE) in dB, infinite when the outputs are equal to within the
    /// float32 rounding floor (NMSE below `roundingFloor`).
    public var signalToNoiseDecibels: Double {
        Self.decibels(normalizedMeanSquareError)
    }

    /// NMSE of 1e-12 (SQNR 120 dB): the float32 product of the same weights in another order
    /// or scale differs by about this much, so smaller errors are rounding, not distortion.
    public static let roundingFloor = 1e-12

    public static func decibels(_ nmse: Double) -> Double {
        nmse <= roundingFloor ? .infinity : -10 * log10(nmse)
    }
}

extension MonteCarloStudy {
    /// Compares every weight layer's outputs on the first `distortionImages` test images
    /// with the float network's.
    func measureDistortion(_ programmed: ProgrammedNetwork, readNoiseGenerator: RandomGenerator?) -> [LayerDistortion] {
        guard distortionImages > 0 else { return [] }
        let input = testSet.batch(0..<min(distortionImages, testSet.count))
        let weightLayers = Set(network.weightLayerIndices)
        var reference: [Int: [Float]] = [:]
        _ = network.forward(input, engine: FloatEngine()) { index, output in
            if weightLayers.contains(index) { reference[index] = output.values }
        }
        var distortions: [LayerDistortion] = []
        _ = network.forward(input, engine: AnalogEngine(programmed: programmed, readNoiseGenerator: readNoiseGenerator)) { index, output in
            guard let expected = reference[index] else { return }
            var signal = 0.0
            var error = 0.0
            for (y, r) in zip(output.values, expected) {
                signal += Double(r) * Double(r)
                error += (Double(y) - Double(r)) * (Double(y) - Double(r))
            }
            distortions.append(LayerDistortion(operationIndex: index, layer: network.operations[index].displayName,
                                               signalEnergy: signal, errorEnergy: error))
        }
        return distortions
    }
}

/// Per-layer distortion of a grid point, averaged over its trials.
public struct LayerDistortionSummary: Codable, Hashable, Sendable {
    public var layer: String
    /// The mean over trials of each trial's NMSE.
    public var normalizedMeanSquareError: Double
    /// -10 log10 of the mean NMSE, in dB; infinite at the float32 rounding floor.
    public var signalToNoiseDecibels: Double

    static func average(_ trials: [[LayerDistortion]]) -> [LayerDistortionSummary] {
        guard let first = trials.first else { return [] }
        return first.indices.map { i in
            let nmse = trials.map { $0[i].normalizedMeanSquareError }.reduce(0, +) / Double(trials.count)
            return LayerDistortionSummary(layer: first[i].layer, normalizedMeanSquareError: nmse,
                                          signalToNoiseDecibels: LayerDistortion.decibels(nmse))
        }
    }
}
