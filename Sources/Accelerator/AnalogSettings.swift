import DeviceModel
import Peripherals

/// How the ADC full-scale current of each tile is chosen.
public enum ADCRangeMode: Hashable, Sendable {
    /// I_fs = V_read * (rows used in the tile) * (Gmax - Gmin): no code can clip.
    case worstCase
    /// The same I_fs, in amperes, for every tile.
    case fixed(amperes: Double)
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

    public init(window: ConductanceWindow, levels: ConductanceLevels, variation: ProgrammingVariation,
                tile: TileShape, dac: DAC, adc: ADC, adcRange: ADCRangeMode) {
        self.window = window
        self.levels = levels
        self.variation = variation
        self.tile = tile
        self.dac = dac
        self.adc = adc
        self.adcRange = adcRange
    }

    public var readVoltageVolts: Float { dac.readVoltageVolts }

    /// The ADC full scale of a tile with `rowsUsed` driven rows, in amperes.
    public func adcFullScaleAmperes(rowsUsed: Int) -> Float {
        switch adcRange {
        case .worstCase: Float(Double(readVoltageVolts) * Double(rowsUsed) * window.spanSiemens)
        case .fixed(let amperes): Float(amperes)
        }
    }
}
