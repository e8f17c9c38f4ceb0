import Crossbar
import DeviceModel
import Peripherals

/// The rule that sets the ADC full-scale current of each tile.
public enum ADCRangeMode: Hashable, Sendable {
    /// The largest current the tile can produce: V_read * (rows used) * (Gmax - Gmin) for a
    /// differential ADC, V_read * (rows used) * Gmax for the ADC of one array. No code clips.
    case worstCase
    /// The same I_fs, in amperes, for every tile.
    case fixed(amperes: Double)
    /// Per layer, the given percentile (0 to 100] of the current magnitudes the layer's
    /// tiles produce on calibration images that the study does not score, programmed
    /// without variation.
    case calibrated(percentile: Double)
}

/// The currents the column ADCs convert.
public enum ADCConversion: String, Hashable, Sendable, Codable, CaseIterable {
    /// One ADC converts the differential current I+ - I- of each column.
    case differential
    /// Each array of the pair has its own ADC; the digital path subtracts the codes.
    case perArray
}

/// Everything one grid point fixes about the hardware: device, levels, variation, tile
/// size and converters.
public struct AnalogSettings: Sendable {
    public var window: ConductanceWindow
    public var levels: ConductanceLevels
    public var variation: ProgrammingVariation
    public var tile: TileShape
    public var dac: DAC
    public var adc: ADC
    public var adcRange: ADCRangeMode
    public var adcConversion: ADCConversion
    /// Stuck-at faults drawn when the tiles are programmed.
    public var faults: StuckAtFaults = .none
    /// Conductance drift from programming to the read time; nil for none.
    public var drift: ConductanceDrift?
    /// t, the time after programming at which the tiles are read, in seconds; only
    /// drift uses it.
    public var readTimeSeconds = 1.0
    /// sigma_r, the relative read noise of every cell on every read; 0 for none.
    public var readNoise = 0.0
    /// Wire, driver and sense resistance of every tile. With any of them above 0, each
    /// programmed tile is solved as a circuit and read through its effective conductances.
    public var wires = WireResistance.ideal
    /// I_fs per weight layer (by operation index), in amperes, for `.calibrated` ranges;
    /// filled by `MonteCarloStudy` before a point runs.
    public var calibratedFullScaleAmperes: [Int: Float] = [:]

    public init(window: ConductanceWindow, levels: ConductanceLevels, variation: ProgrammingVariation,
                tile: TileShape, dac: DAC, adc: ADC, adcRange: ADCRangeMode,
                adcConversion: ADCConversion = .differential) {
        self.window = window
        self.levels = levels
        self.variation = variation
        self.tile = tile
        self.dac = dac
        self.adc = adc
        self.adcRange = adcRange
        self.adcConversion = adcConversion
    }

    public var readVoltageVolts: Float { dac.readVoltageVolts }

    /// How each cell of this point is programmed.
    public var cellProgramming: CellProgramming {
        CellProgramming(window: window, variation: variation, faults: faults, drift: drift,
                        readTimeSeconds: readTimeSeconds)
    }

    /// True when two trials can differ: programming draws random numbers or reads are noisy.
    public var isRandom: Bool { cellProgramming.isRandom || readNoise > 0 }

    /// The ADC full scale of a tile of layer `operationIndex` with `rowsUsed` driven rows,
    /// in amperes.
    public func adcFullScaleAmperes(rowsUsed: Int, operationIndex: Int) -> Float {
        switch adcRange {
        case .worstCase:
            let conductance = adcConversion == .differential ? window.spanSiemens : window.maximumSiemens
            return Float(Double(readVoltageVolts) * Double(rowsUsed) * conductance)
        case .fixed(let amperes):
            return Float(amperes)
        case .calibrated:
            guard let amperes = calibratedFullScaleAmperes[operationIndex] else {
                preconditionFailure("layer \(operationIndex) has a calibrated ADC range but no calibration")
            }
            return amperes
        }
    }
}
